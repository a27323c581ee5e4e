import Foundation
import XCTest
@testable import Machine

/// Debian's unmodified armhf kernel boots as a VCPU under the hypervisor to
/// our busybox initramfs, runs its commands and powers off through PSCI.
/// The guest comes from scripts/get-debian-guest (CI runs it first). Its
/// /init writes and reads back the virtio disk, reads virtio-rng and writes
/// to the virtio console.
final class LinuxBootTests: XCTestCase {
    static var cache: URL {
        if let dir = ProcessInfo.processInfo.environment["ARMVISOR_GUEST_CACHE"] { return URL(fileURLWithPath: dir) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/armvisor/debian-guest")
    }

    /// The `stamp` of scripts/get-debian-guest whose /init this test expects.
    static let initramfsStamp = "initramfs-2: virtio-mmio blk rng console"

    func testDebianKernelBootsToInitAndPowersOff() throws {
        let kernel = Self.cache.appendingPathComponent("vmlinuz"), initrd = Self.cache.appendingPathComponent("initrd.cpio.gz")
        let stamp = (try? String(contentsOf: Self.cache.appendingPathComponent("initrd.version"), encoding: .utf8)) ?? ""
        guard FileManager.default.fileExists(atPath: kernel.path), FileManager.default.fileExists(atPath: initrd.path),
              stamp.trimmingCharacters(in: .whitespacesAndNewlines) == Self.initramfsStamp else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                return XCTFail("no current Debian guest in \(Self.cache.path): CI must run scripts/get-debian-guest first")
            }
            throw XCTSkip("no current Debian guest: run scripts/get-debian-guest (downloads Debian's armhf kernel and busybox)")
        }
        // A 1 MiB disk whose first line the guest must read back to us.
        let token = "ARMVISOR-HOST-\(UUID().uuidString)"
        let disk = FileManager.default.temporaryDirectory.appendingPathComponent("armvisor-linux-disk-\(getpid()).img")
        var diskBytes = [UInt8](repeating: 0, count: 1 << 20)
        diskBytes.replaceSubrange(0..<token.utf8.count + 1, with: Array((token + "\n").utf8))
        try Data(diskBytes).write(to: disk)
        defer { try? FileManager.default.removeItem(at: disk) }

        let capture = GuestRunner.Capture()
        let machine = try VirtMachine(ramSize: 256 << 20, virtio: VirtioOptions(diskPath: disk.path)) { capture.bytes.append($0) }
        let image = GuestImage.flat(try GuestImage.read(path: kernel.path),
                                    at: VirtMemoryMap.ramBase + VirtMemoryMap.defaultFlatLoadOffset)
        try machine.load(image, bootargs: "console=ttyAMA0", initrd: try GuestImage.read(path: initrd.path))
        let outcome = machine.run(maxInstructions: 20_000_000_000)
        machine.shutdown()
        let text = capture.text
        XCTAssertEqual(outcome, .powerOff, String(text.suffix(3000)))
        for marker in ["CPU: ARMv7 Processor [414fc0f0]", "CPU: All CPU(s) started in SVC mode.",
                       "VFP support v0.3: implementor 41 architecture 4 part 30 variant f rev 0",
                       "arch_timer: cp15 timer(s) running at 62.50MHz (virt).", "psci: PSCIv1.0 detected",
                       "ttyAMA0 at MMIO 0x9000000", "is a PL011 rev1", "ARMVISOR-INIT-MARKER",
                       "model name\t: ARMv7 Processor rev 0 (v7l)", "arch_timer", "reboot: Power down"] {
            XCTAssertTrue(text.contains(marker), "console lacks \"\(marker)\"")
        }
        XCTAssertFalse(text.contains(" neon"), "no Advanced SIMD is reported")

        // virtio: every module loaded, the disk read, written and read back, entropy and hvc0 used.
        XCTAssertFalse(text.contains("insmod"), "a module failed to load")
        let lines = Set(text.split(whereSeparator: \.isNewline).map(String.init))
        for line in ["ARMVISOR-DISK-SECTORS: 2048", "ARMVISOR-DISK-READ: \(token)",
                     "ARMVISOR-DISK-READBACK: ARMVISOR-GUEST-WROTE-THIS", "ARMVISOR-RNG: virtio_rng.0 16 bytes",
                     "ARMVISOR-HVC0-OUTPUT"] {
            XCTAssertTrue(lines.contains(line), "console lacks the line \"\(line)\"")
        }
        XCTAssertTrue(text.contains("virtio_blk virtio0: [vda] 2048 512-byte logical blocks"))
        // After power-off the guest's write is in the file (sector 8), the rest as we left it.
        let after = [UInt8](try Data(contentsOf: disk))
        let written = Array("ARMVISOR-GUEST-WROTE-THIS\n".utf8)
        XCTAssertEqual(after.count, diskBytes.count)
        XCTAssertEqual(Array(after[4096..<4096 + written.count]), written)
        XCTAssertEqual(Array(after[0..<4096]), Array(diskBytes[0..<4096]))
        XCTAssertEqual(Array(after[4096 + written.count..<after.count]), Array(diskBytes[4096 + written.count..<after.count]))
        XCTAssertGreaterThan(machine.statistics.vfpSwitches, 0)
    }

    /// Two VCPUs on two host threads: PSCI CPU_ON brings the secondary up,
    /// IPIs go through the in-kernel vGIC, both CPUs are online in /proc.
    func testDebianKernelBootsWithTwoVCPUs() throws {
        let kernel = Self.cache.appendingPathComponent("vmlinuz"), initrd = Self.cache.appendingPathComponent("initrd.cpio.gz")
        guard FileManager.default.fileExists(atPath: kernel.path), FileManager.default.fileExists(atPath: initrd.path) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                return XCTFail("no Debian guest in \(Self.cache.path): CI must run scripts/get-debian-guest first")
            }
            throw XCTSkip("no Debian guest: run scripts/get-debian-guest (downloads Debian's armhf kernel and busybox)")
        }
        let capture = GuestRunner.Capture()
        let machine = try VirtMachine(ramSize: 256 << 20, cpus: 2) { capture.bytes.append($0) }
        let image = GuestImage.flat(try GuestImage.read(path: kernel.path),
                                    at: VirtMemoryMap.ramBase + VirtMemoryMap.defaultFlatLoadOffset)
        try machine.load(image, bootargs: "console=ttyAMA0", initrd: try GuestImage.read(path: initrd.path))
        let outcome = machine.run(maxInstructions: 20_000_000_000)
        let text = capture.text
        XCTAssertEqual(outcome, .powerOff, String(text.suffix(3000)))
        for marker in ["CPU: All CPU(s) started in SVC mode.", "CPU1: thread -1, cpu 1, socket 0, mpidr 80000001",
                       "smp: Brought up 1 node, 2 CPUs", "ARMVISOR-INIT-MARKER", "processor\t: 1",
                       "reboot: Power down"] {
            XCTAssertTrue(text.contains(marker), "console lacks \"\(marker)\"")
        }
        // /proc/interrupts has a column per CPU and the secondary took timer ticks.
        let timerLine = text.split(whereSeparator: \.isNewline).first { $0.contains("arch_timer") && $0.contains("27") }
        let counts = timerLine.map { $0.split(separator: " ").dropFirst().prefix(2).compactMap { Int($0) } } ?? []
        XCTAssertEqual(counts.count, 2, "arch_timer line: \(timerLine ?? "missing")")
        XCTAssertTrue(counts.allSatisfy { $0 > 0 }, "both CPUs take virtual timer interrupts: \(counts)")
        XCTAssertGreaterThan(machine.vcpus[1].instructionCount, 1_000_000, "the secondary VCPU ran")
    }

    /// --icount: the counter follows executed instructions, idle time is
    /// skipped, the RTC and entropy seed are fixed: two boots print exactly
    /// the same bytes, timestamps included.
    func testDeterministicBootsAreByteIdentical() throws {
        let kernel = Self.cache.appendingPathComponent("vmlinuz"), initrd = Self.cache.appendingPathComponent("initrd.cpio.gz")
        guard FileManager.default.fileExists(atPath: kernel.path), FileManager.default.fileExists(atPath: initrd.path) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                return XCTFail("no Debian guest in \(Self.cache.path): CI must run scripts/get-debian-guest first")
            }
            throw XCTSkip("no Debian guest: run scripts/get-debian-guest (downloads Debian's armhf kernel and busybox)")
        }
        var outputs: [String] = []
        for _ in 0..<2 {
            let capture = GuestRunner.Capture()
            let machine = try VirtMachine(ramSize: 256 << 20, deterministic: true) { capture.bytes.append($0) }
            let image = GuestImage.flat(try GuestImage.read(path: kernel.path),
                                        at: VirtMemoryMap.ramBase + VirtMemoryMap.defaultFlatLoadOffset)
            try machine.load(image, bootargs: "console=ttyAMA0", initrd: try GuestImage.read(path: initrd.path))
            XCTAssertEqual(machine.run(maxInstructions: 20_000_000_000), .powerOff, String(capture.text.suffix(2000)))
            outputs.append(capture.text)
        }
        XCTAssertTrue(outputs[0].contains("ARMVISOR-INIT-MARKER") && outputs[0].contains("reboot: Power down"))
        XCTAssertTrue(outputs[0].contains("2026-01-01T00:00"), "the RTC starts at the fixed epoch")
        XCTAssertEqual(outputs[0], outputs[1], "two --icount boots differ")
    }
}
