import Foundation
import XCTest
@testable import Machine
import Guests

/// A real floating-point program of ours (guests/fpprog: Thumb-2, hard-float
/// VFP; n-body, matrix inverse, printing of doubles) prints byte-identical
/// output on Armvisor, under the hypervisor, and on qemu-arm.
final class RealProgramTests: XCTestCase {
    func testFloatingPointProgramMatchesQEMU() throws {
        let (outcome, text, machine) = try GuestRunner.runVirtualized(EmbeddedGuests.fpProgram)
        XCTAssertEqual(outcome, .powerOff)
        XCTAssertGreaterThan(machine.statistics.vfpSwitches, 0, "the guest's VFP use went through the lazy switch")
        guard let qemu = ["/usr/bin/qemu-arm", "/usr/local/bin/qemu-arm"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { return XCTFail("qemu-arm is required in CI") }
            throw XCTSkip("qemu-arm not found: apt-get install qemu-user to compare with QEMU")
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("armvisor-fpprog-\(getpid())")
        try Data(EmbeddedGuests.fpProgramLinux).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        chmod(path.path, 0o755)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: qemu)
        p.arguments = [path.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let reference = String(decoding: data, as: UTF8.self)
        XCTAssertGreaterThan(reference.count, 1000)
        XCTAssertEqual(text, reference)
    }

    func testFloatingPointProgramBareMetalMatchesVirtualized() throws {
        let (o1, bare) = try GuestRunner.run(EmbeddedGuests.fpProgram)
        let (o2, virt, _) = try GuestRunner.runVirtualized(EmbeddedGuests.fpProgram)
        XCTAssertEqual(o1, .powerOff)
        XCTAssertEqual(o2, .powerOff)
        XCTAssertEqual(bare, virt)
    }
}
