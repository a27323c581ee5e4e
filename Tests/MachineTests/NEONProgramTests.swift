import XCTest
import Foundation
@testable import Machine
import Guests
import ARMv7

/// A real Advanced SIMD program of ours (guests/neonprog: T32 C code with
/// arm_neon.h intrinsics: Adler-32, 4x4 float matrices, a 3x3 u8 blur,
/// saturating fixed point, permutes, estimates and conversions) prints
/// byte-identical text on Armvisor (bare metal) and on qemu-arm (its Linux
/// build). guests/Makefile builds both (`make check-neonprog` also compares
/// qemu-arm with qemu-system-arm).
final class NEONProgramTests: XCTestCase {
    static func qemuOrSkip() throws -> String? {
        if let q = ["/usr/bin/qemu-arm", "/usr/local/bin/qemu-arm"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            return q
        }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            XCTFail("qemu-arm is required in CI")
            return nil
        }
        throw XCTSkip("qemu-arm not found: apt-get install qemu-user to compare with QEMU")
    }

    /// Runs a static ARM Linux executable under qemu-arm and returns its standard output.
    static func runLinux(_ elf: [UInt8], qemu: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("armvisor-neonprog-\(getpid())-\(UUID().uuidString)")
        try Data(elf).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        chmod(path.path, 0o755)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: qemu)
        p.arguments = ["-cpu", "cortex-a15", path.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        return String(decoding: data, as: UTF8.self)
    }

    func testNEONProgramMatchesQEMU() throws {
        guard let qemu = try Self.qemuOrSkip() else { return }
        let reference = try Self.runLinux(EmbeddedGuests.neonProgramLinux, qemu: qemu)
        XCTAssertTrue(reference.hasSuffix("neonprog: done\n"), reference)
        XCTAssertFalse(reference.contains(" BAD"), reference)
        // Bare metal on both engines, and as a VCPU under the hypervisor (the
        // lazy VFP/NEON switch). Far fewer than 20 million instructions; an
        // unexpected exception loops in the guest's handler.
        var runs: [(String, RunOutcome, String)] = []
        for engine in ExecutionEngine.allCases {
            let (outcome, text) = try GuestRunner.run(EmbeddedGuests.neonProgram, maxInstructions: 20_000_000, engine: engine)
            runs.append(("bare metal, \(engine)", outcome, text))
        }
        let (outcome, text, machine) = try GuestRunner.runVirtualized(EmbeddedGuests.neonProgram, maxInstructions: 20_000_000)
        runs.append(("virtualized", outcome, text))
        XCTAssertGreaterThan(machine.statistics.vfpSwitches, 0, "the guest's NEON use went through the lazy switch")
        for (engine, outcome, text) in runs {
            XCTAssertEqual(outcome, .powerOff, "\(engine)")
            if text != reference {
                let got = text.split(separator: "\n", omittingEmptySubsequences: false)
                let want = reference.split(separator: "\n", omittingEmptySubsequences: false)
                let k = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
                XCTFail("\(engine): neonprog line \(k + 1) differs from qemu-arm:\n  qemu-arm: \(k < want.count ? want[k] : "(end)")\n  armvisor: \(k < got.count ? got[k] : "(end)")")
            }
        }
    }

    /// With the cross compiler installed, a fresh build of guests/neonprog
    /// prints what the committed binary prints (so the committed one is not stale).
    func testNEONProgramBuildsFromSource() throws {
        guard let qemu = try Self.qemuOrSkip() else { return }
        let gcc = "/usr/bin/arm-linux-gnueabihf-gcc"
        guard FileManager.default.isExecutableFile(atPath: gcc) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("arm-linux-gnueabihf-gcc not found: CI installs gcc-arm-linux-gnueabihf")
                return
            }
            throw XCTSkip("arm-linux-gnueabihf-gcc not found (apt-get install gcc-arm-linux-gnueabihf)")
        }
        let guests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("guests")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("armvisor-neonprog-build-\(getpid())")
        defer { try? FileManager.default.removeItem(at: out) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: gcc)
        p.currentDirectoryURL = guests
        // The flags of guests/Makefile's NEONCFLAGS for the Linux build.
        p.arguments = ["-mthumb", "-mcpu=cortex-a15", "-mfpu=neon-vfpv4", "-mfloat-abi=hard", "-mfp16-format=ieee",
                       "-mno-unaligned-access", "-O2", "-ffreestanding", "-nostdlib", "-fno-builtin", "-fno-tree-vectorize",
                       "-static", "-Wl,--build-id=none", "-o", out.path,
                       "neonprog/neonprog.c", "fpprog/start_linux.S", "fpprog/port_linux.c", "fpprog/fpfmt.c"]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "arm-linux-gnueabihf-gcc failed")
        let fresh = try Self.runLinux([UInt8](try Data(contentsOf: out)), qemu: qemu)
        XCTAssertEqual(fresh, try Self.runLinux(EmbeddedGuests.neonProgramLinux, qemu: qemu),
                       "guests/neonprog/neonprog.c changed: rebuild the images (cd guests && make prebuilt)")
    }
}
