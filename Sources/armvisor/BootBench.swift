import ARMv7
import Foundation
import Machine
import Benchmarks

/// `armvisor bench --boot`: Debian's kernel and initramfs booted to /init's
/// marker and to power-off by Armvisor (this binary, spawned as a child)
/// and by `qemu-system-arm -M virt -cpu cortex-a15` (TCG), timed the same
/// way from outside, plus Armvisor's start-up time and host memory.
struct BootBench {
    var kernel: String
    var initrd: String
    var qemu: String
    var repeats: Int
    var timeout: Double
    var engine: ExecutionEngine
    var cpus: Int

    static let marker = "ARMVISOR-INIT-MARKER"
    static let append = "console=ttyAMA0"

    #if DEBUG
    static let buildConfiguration = "debug build (the emulator modules are -O, the rest -Onone): not release figures"
    #else
    static let buildConfiguration = "release build"
    #endif

    func run() throws {
        for (what, path) in [("kernel", kernel), ("initrd", initrd)] where !FileManager.default.fileExists(atPath: path) {
            fail("no \(what) at \(path): run scripts/get-debian-guest, or give --kernel and --initrd", status: 2)
        }
        let selfPath = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        say("== boot: kernel to /init's \(Self.marker) and to power-off, 256 MiB, \(cpus) CPU(s), \(Self.append), "
            + "engine \(engine.rawValue), \(repeats) runs each")
        say("kernel  \(kernel)\ninitrd  \(initrd)\nbuild   \(Self.buildConfiguration)")
        let qemuPath = BootBenchmark.findExecutable(qemu)
        if qemuPath == nil { say("\(qemu): not found (apt-get install qemu-system-arm) — Armvisor alone, no ratio") }

        var armvisor: [BootBenchmark.Run] = [], reports: [BootTimingReport] = [], qemuRuns: [BootBenchmark.Run] = []
        for i in 1...repeats {
            let a = try BootBenchmark.time(
                executable: selfPath,
                arguments: ["run", "--kernel", kernel, "--initrd", initrd, "--mem", "256M", "--append", Self.append,
                            "--timing-report", "--engine", engine.rawValue, "--cpus", String(cpus)],
                marker: Self.marker, timeout: timeout)
            try check(a, "armvisor")
            guard let report = BootTimingReport.parse(a.stderr) else { fail("armvisor gave no timing report:\n\(a.stderr)", status: 1) }
            armvisor.append(a); reports.append(report)
            say(String(format: "run %d  armvisor  marker %8.3f s  power-off %8.3f s", i, a.markerSeconds!, a.exitSeconds))
            if let q = qemuPath {
                let r = try BootBenchmark.time(
                    executable: q,
                    arguments: ["-M", "virt", "-cpu", "cortex-a15", "-smp", String(cpus), "-m", "256M", "-nographic",
                                "-kernel", kernel, "-initrd", initrd, "-append", Self.append],
                    marker: Self.marker, timeout: timeout)
                try check(r, "qemu-system-arm")
                qemuRuns.append(r)
                say(String(format: "run %d  qemu      marker %8.3f s  power-off %8.3f s", i, r.markerSeconds!, r.exitSeconds))
            }
        }
        let aMarker = BootBenchmark.median(armvisor.map { $0.markerSeconds! })
        let aOff = BootBenchmark.median(armvisor.map(\.exitSeconds))
        say(String(format: "median   armvisor  marker %8.3f s  power-off %8.3f s", aMarker, aOff))
        if !qemuRuns.isEmpty {
            let qMarker = BootBenchmark.median(qemuRuns.map { $0.markerSeconds! })
            let qOff = BootBenchmark.median(qemuRuns.map(\.exitSeconds))
            say(String(format: "median   qemu      marker %8.3f s  power-off %8.3f s", qMarker, qOff))
            say(String(format: "ratio armvisor/qemu (time; above 1 = Armvisor slower)  marker %.2f  power-off %.2f",
                         aMarker / qMarker, aOff / qOff))
        }
        // Start-up: spawn (parent's clock) to the first world switch (child's clock, same CLOCK_MONOTONIC).
        let startups = zip(armvisor, reports).map { Double($1.firstGuestEntryNanoseconds &- $0.spawnedAt) / 1e6 }
        say(String(format: "armvisor spawn → first guest instruction  median %.1f ms (goal < 20 ms; runs: %@)",
                     BootBenchmark.median(startups), startups.map { String(format: "%.1f", $0) }.joined(separator: ", ")))
        // Memory: peak RSS minus the guest RAM the guest (and loader) touched.
        let mib = 1024.0 * 1024.0
        let beyond = reports.map { Double($0.peakResidentBytes) - Double($0.guestResidentBytes) }
        let last = reports.last!
        say(String(format: "armvisor host memory beyond guest RAM  median %.1f MiB (goal < 64 MiB, code cache included): "
                     + "peak RSS %.1f MiB − guest RAM resident %.1f MiB (last run)",
                     BootBenchmark.median(beyond) / mib, Double(last.peakResidentBytes) / mib,
                     Double(last.guestResidentBytes) / mib))
    }

    /// Prints a line at once (progress shows in a file or pipe too).
    func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    /// A run must have printed the marker and exited 0.
    func check(_ r: BootBenchmark.Run, _ name: String) throws {
        if r.timedOut { fail("\(name) did not power off within \(Int(timeout)) s:\n\(r.outputTail)", status: 1) }
        guard r.status == 0, r.markerSeconds != nil else {
            fail("\(name) exited with \(r.status)\(r.markerSeconds == nil ? " without the marker" : ""):\n"
                 + "\(r.outputTail)\n\(r.stderr.suffix(1000))", status: 1)
        }
    }
}
