import ArgumentParser
import ARMv7
import Foundation
import Machine
import Benchmarks
import Guests

/// `armvisor bench`: the CoreMark-like integer workload of guests/bench, run
/// on Armvisor (bare-metal build) and on qemu-arm (Linux user-mode build of
/// the same C source) in the same command, with the ratio of their speeds.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run the CoreMark-like benchmark on Armvisor and qemu-arm side by side (--boot: a Linux boot, --io: network and disk, --login: the Debian system to its login prompt, each vs qemu-system-arm).")

    @Option(name: .long, help: "The qemu-arm binary to compare with.")
    var qemu: String = "qemu-arm"

    @Option(name: .long, help: "Runs of each; the best time is reported.")
    var repeats: Int = 3

    @Flag(name: .long, help: "Only the hypervisor round-trip measurements.")
    var exitsOnly = false

    @Option(name: .long, help: "Round trips per exit measurement.")
    var exitIterations: Int = 200_000

    @Flag(name: .long, help: "Boot benchmark: Linux to /init's marker and power-off, Armvisor vs qemu-system-arm.")
    var boot = false

    @Flag(name: .long, help: "I/O benchmark: the Debian guest's TCP to the host over user networking and sequential virtio disk write/read, Armvisor vs qemu-system-arm.")
    var io = false

    @Flag(name: .long, help: "With --io: the network is a TAP interface this command makes (root; a private /24, deleted afterwards) instead of user networking.")
    var tap = false

    @Flag(name: .long, help: "Login benchmark: the Debian system disk (scripts/get-debian-disk) booted to its login prompt, Armvisor vs qemu-system-arm.")
    var login = false

    @Option(name: .long, help: "System disk for --login (default: the cached disk of scripts/get-debian-disk).")
    var disk: String = (ProcessInfo.processInfo.environment["ARMVISOR_DISK_CACHE"]
        ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/armvisor/debian-disk").path)
        + "/debian.img"

    @Option(name: .long, help: "Kernel for --boot (default: the cached Debian guest).")
    var kernel: String = BenchCommand.guestCache + "/vmlinuz"

    @Option(name: .long, help: "Initramfs for --boot (default: the cached Debian guest).")
    var initrd: String = BenchCommand.guestCache + "/initrd.cpio.gz"

    @Option(name: .long, help: "The qemu-system-arm binary to compare with (--boot).")
    var qemuSystem: String = "qemu-system-arm"

    @Option(name: .long, help: "Seconds before a boot run is declared hung (--boot).")
    var bootTimeout: Double = 900

    @Option(name: .long, help: "CPUs for --boot (Armvisor --cpus, qemu -smp), 1 to 8.")
    var cpus = 1

    @Option(name: .long, help: "How Armvisor executes guest instructions: jit or interpreter.")
    var engine: ExecutionEngine = .default

    /// Where scripts/get-debian-guest caches the guest.
    static var guestCache: String {
        ProcessInfo.processInfo.environment["ARMVISOR_GUEST_CACHE"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/armvisor/debian-guest").path
    }

    func run() throws {
        guard repeats > 0 && repeats < 100 else { fail("--repeats must be 1...99", status: 2) }
        guard exitIterations > 0 && exitIterations <= 100_000_000 else {
            fail("--exit-iterations must be 1...100000000", status: 2)
        }
        if login {
            guard bootTimeout > 0 else { fail("--boot-timeout must be positive", status: 2) }
            return try LoginBench(kernel: kernel, initrd: initrd, disk: disk, qemu: qemuSystem, repeats: repeats,
                                  timeout: bootTimeout).run()
        }
        if tap && !io { fail("--tap goes with --io", status: 2) }
        if io {
            guard bootTimeout > 0 else { fail("--boot-timeout must be positive", status: 2) }
            var bench = IOBench(kernel: kernel, initrd: initrd, qemu: qemuSystem, repeats: repeats, timeout: bootTimeout)
            if tap {
                do { bench.tap = try BenchTap() } catch { fail("\(error)", status: 2) }
            }
            defer { bench.tap?.remove() }
            return try bench.run()
        }
        if boot {
            guard bootTimeout > 0 else { fail("--boot-timeout must be positive", status: 2) }
            guard (1...8).contains(cpus) else { fail("--cpus must be 1 to 8", status: 2) }
            return try BootBench(kernel: kernel, initrd: initrd, qemu: qemuSystem, repeats: repeats,
                                 timeout: bootTimeout, engine: engine, cpus: cpus).run()
        }
        var ratios: [(String, Double)] = []
        for (name, bare, linux) in [("A32", EmbeddedGuests.bench, EmbeddedGuests.benchLinux),
                                     ("T32", EmbeddedGuests.benchThumb, EmbeddedGuests.benchThumbLinux),
                                     ("T32+VFP floating-point", EmbeddedGuests.benchFP, EmbeddedGuests.benchFPLinux),
                                     ("T32+NEON Advanced SIMD", EmbeddedGuests.benchNEON, EmbeddedGuests.benchNEONLinux)]
            where !exitsOnly {
            let integer = name == "A32" || name == "T32"
            print("== \(integer ? "integer" : name) workload\(integer ? ", \(name) build" : "")")
            if let r = try compare(bare: bare, linux: linux) { ratios.append((name, r)) }
        }
        if ratios.count >= 2 {
            print(String(format: "T32 time per instruction / A32: %.2f (guest code of the same C source)",
                         ratios[0].1 / ratios[1].1))
        }
        print("== hypervisor round trips (guest → Hyp → host → Hyp → guest)")
        let n = exitIterations
        let hvc = try ExitBenchmark.hypercallRoundTrip(iterations: n)
        print(String(format: "null hypercall         %7.0f ns  %9.0f per second", hvc, 1e9 / hvc))
        let mmio = try ExitBenchmark.mmioRoundTrip(iterations: n)
        print(String(format: "MMIO write exit        %7.0f ns  %9.0f per second", mmio, 1e9 / mmio))
    }

    /// Runs one workload both ways; returns Armvisor MIPS / qemu-arm MIPS.
    func compare(bare: [UInt8], linux: [UInt8]) throws -> Double? {
        var best = Double.infinity
        var instructions: UInt64 = 0
        var armvisorOutput = ""
        for _ in 0..<repeats {
            var out: [UInt8] = []
            let m = try BareMetalMachine(ramSize: 64 << 20, engine: engine) { out.append($0) }
            try m.load(GuestImage.flat(bare, at: VirtMemoryMap.ramBase + VirtMemoryMap.defaultFlatLoadOffset))
            let t0 = DispatchTime.now()
            let outcome = m.run()
            let t = Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e9
            guard outcome == .powerOff else { fail("bench guest did not finish: \(outcome)", status: 1) }
            best = min(best, t)
            instructions = m.core.instructionCount
            armvisorOutput = String(decoding: out, as: UTF8.self)
        }
        let mips = Double(instructions) / best / 1e6
        print("guest instructions     \(instructions)")
        print(String(format: "armvisor               %.3f s  %7.1f MIPS", best, mips))
        let (qemuTime, qemuOutput) = try runQEMU(linux)
        guard let qt = qemuTime else {
            print("qemu-arm               not found (apt-get install qemu-user) — no ratio")
            return nil
        }
        let qmips = Double(instructions) / qt / 1e6
        print(String(format: "qemu-arm               %.3f s  %7.1f MIPS", qt, qmips))
        print(String(format: "ratio armvisor/qemu    %.3f", mips / qmips))
        if qemuOutput != armvisorOutput {
            fail("outputs differ:\n--- armvisor\n\(armvisorOutput)--- qemu-arm\n\(qemuOutput)", status: 1)
        }
        print("outputs identical      \(armvisorOutput.split(separator: "\n").first ?? "")")
        return mips
    }

    /// Runs the Linux build under qemu-arm; nil time when qemu-arm is missing.
    func runQEMU(_ image: [UInt8]) throws -> (Double?, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("armvisor-bench-\(getpid())")
        try Data(image).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        chmod(path.path, 0o755)
        var best = Double.infinity
        var output = ""
        for _ in 0..<repeats {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [qemu, path.path]
            let pipe = Pipe()
            p.standardOutput = pipe
            p.standardError = FileHandle.nullDevice
            let t0 = DispatchTime.now()
            do { try p.run() } catch { return (nil, "") }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            let t = Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e9
            if p.terminationStatus == 127 { return (nil, "") }
            guard p.terminationStatus == 0 else { fail("\(qemu) exited with \(p.terminationStatus)", status: 1) }
            best = min(best, t)
            output = String(decoding: data, as: UTF8.self)
        }
        return (best, output)
    }
}
