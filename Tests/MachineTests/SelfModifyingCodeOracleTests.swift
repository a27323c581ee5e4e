import ARMv7
import Foundation
import XCTest
@testable import Machine

/// The self-modifying-code system guest (guests/systest/selfmod.c: A32 and
/// T32 functions generated, run and rewritten, with and without cache
/// maintenance, hot and chained, and through a second virtual alias of one
/// physical page with the MMU on) prints byte-identical UART text on
/// Armvisor's JIT, its interpreter and qemu-system-arm, the oracle.
final class SelfModifyingCodeOracleTests: XCTestCase {
    static let image = GuestRunner.prebuilt.appendingPathComponent("systest-selfmod.bin")

    func testJITInterpreterAndQEMUPrintTheSameTranscript() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.image))
        let (jitOutcome, jit) = try GuestRunner.run(bytes, engine: .jit)
        let (interpOutcome, interp) = try GuestRunner.run(bytes, engine: .interpreter)
        XCTAssertEqual(jitOutcome, .powerOff, "JIT: \(jitOutcome)\n\(jit)")
        XCTAssertEqual(interpOutcome, .powerOff, "interpreter: \(interpOutcome)\n\(interp)")
        Self.assertFinishedClean(jit, "JIT")
        Self.assertFinishedClean(interp, "interpreter")
        XCTAssertEqual(jit, interp, "JIT and interpreter transcripts differ")

        guard let qemu = Self.onPath("qemu-system-arm") else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                return XCTFail("qemu-system-arm is required in CI (.ci/run installs it)")
            }
            throw XCTSkip("qemu-system-arm not found: apt-get install qemu-system-arm to compare with QEMU")
        }
        // Both ways guests/Makefile's check-qemu boots: entered in Hyp, and in SVC.
        for virtualization in ["on", "off"] {
            let reference = try Self.runQEMU(qemu, virtualization: virtualization)
            Self.assertFinishedClean(reference, "qemu-system-arm virtualization=\(virtualization)")
            XCTAssertEqual(jit, reference, "JIT vs qemu-system-arm (virtualization=\(virtualization))")
            XCTAssertEqual(interp, reference, "interpreter vs qemu-system-arm (virtualization=\(virtualization))")
        }
    }

    private static func assertFinishedClean(_ text: String, _ who: String,
                                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(text.contains("\nDONE\n"), "\(who) did not finish:\n\(text)", file: file, line: line)
        for failure in text.split(separator: "\n") where failure.hasPrefix("FAIL") {
            XCTFail("\(who): \(failure)", file: file, line: line)
        }
    }

    private static func onPath(_ tool: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(tool) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs the flat image the way `make check-qemu` does (QEMU loads a raw
    /// -kernel image at RAM + 0x10000, as Armvisor does), killed after 60 s.
    private static func runQEMU(_ qemu: URL, virtualization: String) throws -> String {
        let p = Process()
        p.executableURL = qemu
        p.arguments = ["-M", "virt,virtualization=\(virtualization)", "-cpu", "cortex-a15", "-m", "256",
                       "-nographic", "-monitor", "none", "-serial", "stdio", "-kernel", image.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = Pipe()   // never written: the serial port gets no input
        try p.run()
        let timedOut = Flag()
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) {
            if p.isRunning {
                timedOut.set()
                p.terminate()
            }
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        if timedOut.isSet { XCTFail("qemu-system-arm overran 60 s and was killed; output:\n\(text)") }
        return text.replacingOccurrences(of: "\r\n", with: "\n")
    }

    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.lock(); value = true; lock.unlock() }
        var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    }
}
