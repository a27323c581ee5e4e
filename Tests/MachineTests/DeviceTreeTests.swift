import Foundation
import XCTest
@testable import Machine
import Guests

/// Our DTB is what dtc (the reference implementation) reads without warnings.
final class DeviceTreeTests: XCTestCase {
    func testHeaderAndStructureOfAnEmptyTree() {
        var w = FDTWriter()
        w.beginNode("")
        w.property("x", cells: [7])
        w.endNode()
        let b = w.finish()
        func be32(_ o: Int) -> UInt32 { b[o..<o + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        XCTAssertEqual(be32(0), 0xD00D_FEED)
        XCTAssertEqual(Int(be32(4)), b.count)
        XCTAssertEqual(be32(20), 17, "version")
        XCTAssertEqual(be32(24), 16, "last compatible version")
        let structOffset = Int(be32(8))
        XCTAssertEqual(be32(structOffset), 1, "FDT_BEGIN_NODE")
        XCTAssertEqual(be32(structOffset + Int(be32(36)) - 4), 9, "FDT_END closes the structure block")
    }

    func testVirtTreeDecompilesWithoutWarnings() throws {
        let tree = VirtDeviceTree(ramSize: 256 << 20, cpus: 2, bootargs: "console=ttyAMA0 quiet",
                                  initrd: (0x4800_0000, 0x4810_0000), rngSeed: [1, 2, 3, 4], virtioTransports: 3)
        let blob = tree.blob()
        guard let dtc = ["/usr/bin/dtc", "/usr/local/bin/dtc"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { return XCTFail("dtc is required in CI") }
            throw XCTSkip("dtc not found: apt-get install device-tree-compiler to check the DTB")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("armvisor-\(getpid()).dtb")
        try Data(blob).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: dtc)
        p.arguments = ["-I", "dtb", "-O", "dts", file.path]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let dts = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let warnings = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertEqual(warnings, "", "dtc warnings")
        XCTAssertFalse(dts.contains("virtio_mmio@a000600"), "only the transports asked for")
        for expected in ["memory@40000000", "reg = <0x00 0x40000000 0x00 0x10000000>", "cpu@1", "enable-method = \"psci\"",
                         "method = \"hvc\"", "arm,armv7-timer", "arm,cortex-a15-gic", "pl011@9000000",
                         "clock-names = \"uartclk\\0apb_pclk\"", "bootargs = \"console=ttyAMA0 quiet\"",
                         "linux,initrd-start = <0x00 0x48000000>", "stdout-path = \"/pl011@9000000\"",
                         // virtio-mmio transport n at 0x0a000000 + 0x200·n, SPI 16 + n, edge-triggered.
                         "virtio_mmio@a000000 {", "virtio_mmio@a000200 {", "virtio_mmio@a000400 {",
                         "compatible = \"virtio,mmio\"", "reg = <0x00 0xa000400 0x00 0x200>",
                         "interrupts = <0x00 0x10 0x01>", "interrupts = <0x00 0x12 0x01>", "dma-coherent;"] {
            XCTAssertTrue(dts.contains(expected), "missing \(expected) in\n\(dts)")
        }
    }

    func testVirtMachinePassesTheDTBInR2() throws {
        let capture = GuestRunner.Capture()
        let m = try VirtMachine(ramSize: 64 << 20) { capture.bytes.append($0) }
        try m.load(GuestImage.flat(EmbeddedGuests.demo, at: VirtMemoryMap.ramBase + 0x1_0000), bootargs: "console=ttyAMA0")
        XCTAssertEqual(m.dtbAddress, VirtMemoryMap.ramBase + (32 << 20), "RAM + min(RAM/2, 128 MiB) without an initrd")
        XCTAssertEqual(try m.vcpus[0].register(.core(2)), m.dtbAddress)
        XCTAssertEqual(m.run(), .powerOff)
        XCTAssertTrue(capture.text.contains("DTB at 0x42000000"), capture.text)
    }
}
