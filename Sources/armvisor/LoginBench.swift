import Foundation
import Benchmarks

/// `armvisor bench --login`: the Debian system disk of scripts/get-debian-disk
/// (systemd, udev, sshd, DHCP) booted to its first login prompt, on Armvisor
/// and on `qemu-system-arm -M virt -cpu cortex-a15` with the same kernel,
/// initramfs, disk and devices (virtio-mmio block on a raw file, virtio-mmio
/// net on libslirp user networking, virtio entropy). Each run boots a fresh
/// sparse copy of the disk, so every run is a first boot of the same image.
struct LoginBench {
    var kernel: String
    var initrd: String
    var disk: String
    var qemu: String
    var repeats: Int
    var timeout: Double

    func run() throws {
        for (what, path) in [("kernel", kernel), ("initrd", initrd)] where !FileManager.default.fileExists(atPath: path) {
            fail("no \(what) at \(path): run scripts/get-debian-guest, or give --kernel and --initrd", status: 2)
        }
        guard FileManager.default.fileExists(atPath: disk) else {
            fail("no system disk at \(disk): run scripts/get-debian-disk (as root), or give --disk", status: 2)
        }
        let selfPath = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        say("== boot to the login prompt: \(disk), seconds from start to the first \"login:\", \(repeats) runs each")
        say("build   \(BootBench.buildConfiguration)")
        let qemuPath = BootBenchmark.findExecutable(qemu)
        if qemuPath == nil { say("\(qemu): not found (apt-get install qemu-system-arm) — Armvisor alone, no ratio") }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("armvisor-loginbench-\(getpid()).img")
        defer { try? FileManager.default.removeItem(at: copy) }
        let append = "console=ttyAMA0 root=/dev/vda"

        var mine: [Double] = [], theirs: [Double] = []
        for i in 1...repeats {
            mine.append(try measure("armvisor", copy: copy,
                                    selfPath, ["run", "--kernel", kernel, "--initrd", initrd, "--mem", "512M",
                                               "--disk", copy.path, "--net", "user", "--append", append]))
            say(String(format: "run %d  armvisor  %7.1f s", i, mine.last!))
            if let q = qemuPath {
                theirs.append(try measure("qemu-system-arm", copy: copy,
                                          q, ["-M", "virt", "-cpu", "cortex-a15", "-m", "512M", "-nographic",
                                              "-kernel", kernel, "-initrd", initrd, "-append", append,
                                              "-drive", "file=\(copy.path),format=raw,if=none,id=disk0",
                                              "-device", "virtio-blk-device,drive=disk0",
                                              "-netdev", "user,id=net0", "-device", "virtio-net-device,netdev=net0",
                                              "-device", "virtio-rng-device"]))
                say(String(format: "run %d  qemu      %7.1f s", i, theirs.last!))
            }
        }
        let m = BootBenchmark.median(mine)
        say(String(format: "median   armvisor  %7.1f s", m))
        if !theirs.isEmpty {
            let q = BootBenchmark.median(theirs)
            say(String(format: "median   qemu      %7.1f s", q))
            say(String(format: "ratio armvisor/qemu (time; below 1 = Armvisor faster)  %.2f", m / q))
        }
    }

    /// Seconds to the first login prompt of one boot of a fresh copy.
    func measure(_ name: String, copy: URL, _ executable: String, _ arguments: [String]) throws -> Double {
        try? FileManager.default.removeItem(at: copy)
        let cp = Process()
        cp.executableURL = URL(fileURLWithPath: "/bin/cp")
        cp.arguments = ["--sparse=always", disk, copy.path]
        try cp.run()
        cp.waitUntilExit()
        guard cp.terminationStatus == 0 else { fail("cannot copy \(disk) to \(copy.path)", status: 1) }
        let run = try BootBenchmark.time(executable: executable, arguments: arguments, marker: "login:",
                                         timeout: timeout, stopAtMarker: true)
        guard !run.timedOut, let seconds = run.markerSeconds else {
            fail("\(name) reached no login prompt (status \(run.status)):\n\(run.outputTail)\n\(run.stderr.suffix(1000))",
                 status: 1)
        }
        return seconds
    }

    func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
}
