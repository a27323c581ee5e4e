import Foundation
import XCTest
import Guests
import ARMv7
@testable import Machine
@testable import Devices

/// Debian's unmodified armhf kernel boots as a VM under the hypervisor to
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
    static let initramfsStamp = "initramfs-7: virtio-mmio blk rng console net, settled; neon check; neonprog; root= hand-off; net check; io bench 3; modules on demand; static address, io-bench host"

    struct Boot {
        var outcome: RunOutcome
        var text: String
        var machine: VirtMachine
        var diskBefore: [UInt8]
        var diskAfter: [UInt8]
        var token: String
    }

    /// Boots the cached guest with a 1 MiB disk whose first line is `token`.
    private func boot(cpus: Int = 1, deterministic: Bool = false, engine: ExecutionEngine = .default,
                      bootargs: String = "console=ttyAMA0", token: String = "ARMVISOR-HOST-\(UUID().uuidString)") throws -> Boot {
        let kernel = Self.cache.appendingPathComponent("vmlinuz"), initrd = Self.cache.appendingPathComponent("initrd.cpio.gz")
        let stamp = (try? String(contentsOf: Self.cache.appendingPathComponent("initrd.version"), encoding: .utf8)) ?? ""
        guard FileManager.default.fileExists(atPath: kernel.path), FileManager.default.fileExists(atPath: initrd.path),
              stamp.trimmingCharacters(in: .whitespacesAndNewlines) == Self.initramfsStamp else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("no current Debian guest in \(Self.cache.path): CI must run scripts/get-debian-guest first")
                throw XCTSkip("failed above")
            }
            throw XCTSkip("no current Debian guest: run scripts/get-debian-guest (downloads Debian's armhf kernel and busybox)")
        }
        let disk = FileManager.default.temporaryDirectory.appendingPathComponent("armvisor-linux-disk-\(getpid())-\(UUID().uuidString).img")
        var diskBytes = [UInt8](repeating: 0, count: 1 << 20)
        diskBytes.replaceSubrange(0..<token.utf8.count + 1, with: Array((token + "\n").utf8))
        try Data(diskBytes).write(to: disk)
        defer { try? FileManager.default.removeItem(at: disk) }

        let capture = GuestRunner.Capture()
        let machine = try VirtMachine(ramSize: 256 << 20, cpus: cpus, deterministic: deterministic, engine: engine,
                                      virtio: VirtioOptions(diskPath: disk.path)) { capture.bytes.append($0) }
        let image = GuestImage.flat(try GuestImage.read(path: kernel.path),
                                    at: VirtMemoryMap.ramBase + VirtMemoryMap.defaultFlatLoadOffset)
        try machine.load(image, bootargs: bootargs, initrd: try GuestImage.read(path: initrd.path))
        let outcome = machine.run(maxInstructions: 20_000_000_000)
        machine.shutdown()
        return Boot(outcome: outcome, text: capture.text, machine: machine, diskBefore: diskBytes,
                    diskAfter: [UInt8](try Data(contentsOf: disk)), token: token)
    }

    /// What every boot must show: the healthy-boot lines (docs/ARCHITECTURE.md), /init's
    /// output, the virtio disk written and read back, and a PSCI power-off.
    private func checkHealthyBoot(_ b: Boot, file: StaticString = #filePath, line: UInt = #line) {
        let text = b.text
        XCTAssertEqual(b.outcome, .powerOff, String(text.suffix(3000)), file: file, line: line)
        for marker in ["Booting Linux on physical CPU 0x0", "CPU: ARMv7 Processor [414fc0f0]",
                       "CPU: All CPU(s) started in SVC mode.",
                       "VFP support v0.3: implementor 41 architecture 4 part 30 variant f rev 0",
                       "arch_timer: cp15 timer(s) running at 62.50MHz (virt).", "psci: PSCIv1.0 detected",
                       "ttyAMA0 at MMIO 0x9000000", "is a PL011 rev1", "ARMVISOR-INIT-MARKER",
                       "model name\t: ARMv7 Processor rev 0 (v7l)", "arch_timer", "reboot: Power down"] {
            XCTAssertTrue(text.contains(marker), "console lacks \"\(marker)\"", file: file, line: line)
        }
        // The Cortex-A15's Advanced SIMD and PMUv2, as Linux finds them.
        let features = text.split(whereSeparator: \.isNewline).first { $0.hasPrefix("Features") } ?? ""
        for hwcap in ["vfpv4", "neon", "idiva", "lpae"] {
            XCTAssertTrue(features.split(separator: " ").contains(Substring(hwcap)),
                          "HWCAP \(hwcap) missing: \(features)", file: file, line: line)
        }
        XCTAssertTrue(text.contains("hw perfevents: enabled with armv7_cortex_a15 PMU driver, 7"),
                      "the PMU driver probes", file: file, line: line)
        // virtio: every module loaded, the disk read, written and read back, entropy and hvc0 used.
        // busybox's own complaint ("insmod: can't insert …") or the init
        // script's ("insmod x.ko failed"); a kernel stall dump naming the
        // insmod task is not a failed load.
        let failedLoads = text.split(separator: "\n").filter {
            $0.contains("insmod: ") || ($0.contains("insmod ") && $0.hasSuffix(" failed"))
        }
        XCTAssertTrue(failedLoads.isEmpty, "a module failed to load: \(failedLoads)", file: file, line: line)
        let lines = Set(text.split(whereSeparator: \.isNewline).map(String.init))
        for l in ["ARMVISOR-DISK-SECTORS: 2048", "ARMVISOR-DISK-READ: \(b.token)",
                  "ARMVISOR-DISK-READBACK: ARMVISOR-GUEST-WROTE-THIS", "ARMVISOR-RNG: virtio_rng.0 16 bytes",
                  "ARMVISOR-HVC0-OUTPUT"] {
            XCTAssertTrue(lines.contains(l), "console lacks the line \"\(l)\"; its end:\n\(text.suffix(2500))",
                          file: file, line: line)
        }
        XCTAssertTrue(text.contains("virtio_blk virtio0: [vda] 2048 512-byte logical blocks"), file: file, line: line)
        // After power-off the guest's write is in the file (sector 8), the rest as we left it.
        let written = Array("ARMVISOR-GUEST-WROTE-THIS\n".utf8)
        let before = b.diskBefore, after = b.diskAfter
        XCTAssertEqual(after.count, before.count, file: file, line: line)
        guard after.count == before.count else { return }
        XCTAssertEqual(Array(after[4096..<4096 + written.count]), written, file: file, line: line)
        XCTAssertEqual(Array(after[0..<4096]), Array(before[0..<4096]), file: file, line: line)
        XCTAssertEqual(Array(after[(4096 + written.count)...]), Array(before[(4096 + written.count)...]), file: file, line: line)
        XCTAssertGreaterThan(b.machine.statistics.vfpSwitches, 0, file: file, line: line)
    }

    func testDebianKernelBootsToInitAndPowersOff() throws {
        let b = try boot()
        checkHealthyBoot(b)
        XCTAssertTrue(b.text.contains("smp: Brought up 1 node, 1 CPU"))
    }

    /// The kernel's own NEON code on the guest's Advanced SIMD: the xor
    /// benchmark measures the NEON template, and every NEON crypto driver
    /// passes the self-tests the kernel runs when it registers.
    func testDebianKernelNEONCodePassesItsSelfTests() throws {
        let b = try boot(bootargs: "console=ttyAMA0 armvisor.neon-check")
        checkHealthyBoot(b)
        let lines = b.text.split(whereSeparator: \.isNewline).map(String.init)
        XCTAssertTrue(lines.contains("ARMVISOR-NEON-CHECK"), String(b.text.suffix(3000)))
        let failedLoads = lines.filter { $0.hasPrefix("insmod ") && $0.hasSuffix(" failed") }
        XCTAssertTrue(failedLoads.isEmpty, "\(failedLoads)")
        // "ARMVISOR-CRYPTO: <driver> <selftest result>" from /proc/crypto.
        let crypto = lines.filter { $0.hasPrefix("ARMVISOR-CRYPTO: ") }.map { $0.split(separator: " ").map(String.init) }
        let neon = crypto.filter { $0.count == 3 && $0[1].contains("neon") }
        for driver in ["chacha20-neon", "xchacha20-neon", "sha1-neon", "sha256-neon", "sha512-neon",
                       "cbc-aes-neonbs", "ctr-aes-neonbs", "xts-aes-neonbs", "poly1305-neon", "nhpoly1305-neon",
                       "blake2b-256-neon"] {
            XCTAssertTrue(neon.contains { $0[1] == driver }, "/proc/crypto lacks \(driver): \(neon)")
        }
        // "unknown": an algorithm type without self-tests (curve25519's kpp).
        XCTAssertTrue(neon.allSatisfy { $0[2] == "passed" || $0[2] == "unknown" },
                      "a NEON driver failed its self-test: \(neon)")
        XCTAssertGreaterThanOrEqual(neon.filter { $0[2] == "passed" }.count, 25)
        let alg = lines.filter { $0.contains("alg:") && ($0.contains("fail") || $0.contains("error")) }
        XCTAssertTrue(alg.isEmpty, "crypto self-test failures: \(alg)")
        // The xor module benchmarks its templates, NEON's among them (the
        // kernel prints only the winner).
        XCTAssertTrue(lines.contains { $0.contains("xor: using function:") }, "xor benchmark ran")
        // Our NEON program's Linux build, run by the guest's kernel from the
        // initramfs, prints what it prints under qemu-arm.
        guard let qemu = try NEONProgramTests.qemuOrSkip() else { return }
        let want = try NEONProgramTests.runLinux(EmbeddedGuests.neonProgramLinux, qemu: qemu)
            .split(whereSeparator: \.isNewline).map(String.init)
        let prefix = "ARMVISOR-NEONPROG: "
        let got = lines.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
        XCTAssertGreaterThan(want.count, 10)
        XCTAssertEqual(got, want, "neonprog in the guest vs qemu-arm")
    }

    /// Two VCPUs on two host threads: PSCI CPU_ON brings the secondary up,
    /// IPIs go through the in-kernel vGIC, both CPUs are online in /proc.
    func testDebianKernelBootsWithTwoVCPUs() throws {
        let b = try boot(cpus: 2)
        checkHealthyBoot(b)
        let text = b.text
        for marker in ["CPU1: thread -1, cpu 1, socket 0, mpidr 80000001", "smp: Brought up 1 node, 2 CPUs",
                       "processor\t: 0", "processor\t: 1"] {
            XCTAssertTrue(text.contains(marker), "console lacks \"\(marker)\"")
        }
        // /proc/interrupts has a column per CPU and each took virtual timer ticks.
        let timerLine = text.split(whereSeparator: \.isNewline).first { $0.contains("arch_timer") && $0.contains(" 27 ") }
        let counts = timerLine.map { $0.split(separator: " ").dropFirst().prefix(2).compactMap { Int($0) } } ?? []
        XCTAssertEqual(counts.count, 2, "arch_timer line: \(timerLine ?? "missing")")
        XCTAssertTrue(counts.allSatisfy { $0 > 0 }, "both CPUs take virtual timer interrupts: \(counts)")
        let ipiLine = text.split(whereSeparator: \.isNewline).first { $0.contains("Rescheduling interrupts") }
        XCTAssertNotNil(ipiLine, "IPIs are listed")
        XCTAssertGreaterThan(b.machine.vcpus[1].instructionCount, 1_000_000, "the secondary VCPU ran")
    }

    /// --icount: the counter follows executed instructions, idle time is
    /// skipped, the RTC, entropy seed and virtio-rng are fixed: two boots
    /// print exactly the same bytes, timestamps included.
    /// Two `--icount` boots, one translated by the JIT and one interpreted,
    /// print the same bytes after the same number of instructions: the
    /// boot is deterministic and the engines are indistinguishable.
    func testDeterministicBootsAreByteIdentical() throws {
        let first = try boot(deterministic: true, engine: .jit, token: "ARMVISOR-HOST-FIXED-TOKEN")
        let second = try boot(deterministic: true, engine: .interpreter, token: "ARMVISOR-HOST-FIXED-TOKEN")
        checkHealthyBoot(first)
        XCTAssertTrue(first.text.contains("2026-01-01T00:00"), "the RTC starts at the fixed epoch")
        XCTAssertEqual(first.text, second.text, "the --icount boots under the JIT and the interpreter differ")
        XCTAssertEqual(first.machine.instructionCount, second.machine.instructionCount)
    }
}
