import Foundation
import Benchmarks

/// `armvisor bench --io`: the Debian guest's virtio-net and virtio-blk under
/// load, on Armvisor and on `qemu-system-arm -M virt -cpu cortex-a15` with the
/// same guest, the same kind of devices (virtio-mmio net on user-mode
/// networking, virtio-mmio blk on a raw file) and the same backend (libslirp,
/// or with `--tap` one TAP interface both attach to in turn).
///
/// The guest's /init (`armvisor.io-bench=PORT:MIB[:HOST]`) sends MIB MiB
/// over TCP to a sink this command runs on 127.0.0.1:PORT, reached through
/// the gateway 10.0.2.2 (with `--tap`: on the host's TAP address, the guest
/// at a static address on the link); that is the guest → host throughput,
/// timed here from the first byte to the last. It then writes MIB MiB to
/// /dev/vda with a final fsync and reads them back with a cold page cache
/// (timed by the guest's own clock, /proc/uptime).
struct IOBench {
    var kernel: String
    var initrd: String
    var qemu: String
    var repeats: Int
    var timeout: Double
    var mebibytes = 64
    /// The network: libslirp's user networking, or this TAP interface.
    var tap: BenchTap?

    struct Result { var network: Double; var write: Double; var read: Double }

    func run() throws {
        for (what, path) in [("kernel", kernel), ("initrd", initrd)] where !FileManager.default.fileExists(atPath: path) {
            fail("no \(what) at \(path): run scripts/get-debian-guest, or give --kernel and --initrd", status: 2)
        }
        let selfPath = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let network = tap.map { "a TAP interface (\($0.name), guest \($0.guestAddress))" } ?? "user networking (libslirp)"
        say("== I/O: \(mebibytes) MiB guest → host TCP over \(network), \(mebibytes) MiB sequential "
            + "disk write (fsync) and read (cold cache), MB/s (10^6 bytes/s), \(repeats) runs each")
        say("build   \(BootBench.buildConfiguration)")
        let qemuPath = BootBenchmark.findExecutable(qemu)
        if qemuPath == nil { say("\(qemu): not found (apt-get install qemu-system-arm) — Armvisor alone, no ratio") }
        let disk = FileManager.default.temporaryDirectory.appendingPathComponent("armvisor-iobench-\(getpid()).img")
        defer { try? FileManager.default.removeItem(at: disk) }

        var mine: [Result] = [], theirs: [Result] = []
        for i in 1...repeats {
            mine.append(try measure("armvisor", disk: disk) { port in
                (selfPath, ["run", "--kernel", kernel, "--initrd", initrd, "--mem", "256M", "--disk", disk.path,
                            "--net", tap.map { "tap,ifname=\($0.name)" } ?? "user", "--append", append(port)])
            })
            report(i, "armvisor", mine.last!)
            if let q = qemuPath {
                theirs.append(try measure("qemu-system-arm", disk: disk) { port in
                    (q, ["-M", "virt", "-cpu", "cortex-a15", "-m", "256M", "-nographic", "-kernel", kernel,
                         "-initrd", initrd, "-append", append(port),
                         "-drive", "file=\(disk.path),format=raw,if=none,id=disk0", "-device", "virtio-blk-device,drive=disk0",
                         "-netdev", tap.map { "tap,id=net0,ifname=\($0.name),script=no,downscript=no" } ?? "user,id=net0",
                         "-device", "virtio-net-device,netdev=net0"])
                })
                report(i, "qemu", theirs.last!)
            }
        }
        let m = median(mine)
        say(String(format: "median   armvisor  net %7.1f  disk write %7.1f  read %7.1f MB/s", m.network, m.write, m.read))
        if !theirs.isEmpty {
            let q = median(theirs)
            say(String(format: "median   qemu      net %7.1f  disk write %7.1f  read %7.1f MB/s", q.network, q.write, q.read))
            say(String(format: "ratio armvisor/qemu (throughput; above 1 = Armvisor faster)  net %.2f  write %.2f  read %.2f",
                         m.network / q.network, m.write / q.write, m.read / q.read))
        }
    }

    func append(_ port: UInt16) -> String {
        guard let tap else { return "console=ttyAMA0 armvisor.io-bench=\(port):\(mebibytes)" }
        return "console=ttyAMA0 \(tap.guestArguments) armvisor.io-bench=\(port):\(mebibytes):\(tap.hostAddress)"
    }

    /// One guest run against a fresh sink and a fresh (sparse) disk.
    func measure(_ name: String, disk: URL, command: (UInt16) -> (String, [String])) throws -> Result {
        guard FileManager.default.createFile(atPath: disk.path, contents: nil),
              truncate(disk.path, off_t(mebibytes + 16) << 20) == 0 else { fail("cannot make \(disk.path)", status: 1) }
        let sink = try ByteSink(expected: mebibytes << 20, address: tap?.hostAddress ?? "127.0.0.1")
        let (executable, arguments) = command(sink.port)
        let run = try BootBenchmark.time(executable: executable, arguments: arguments, marker: "ARMVISOR-IO-DISK",
                                         timeout: timeout)
        let received = sink.finish()
        guard !run.timedOut, run.status == 0, let line = run.outputTail.split(whereSeparator: \.isNewline)
                .first(where: { $0.hasPrefix("ARMVISOR-IO-DISK:") }) else {
            fail("\(name) did not finish the I/O run (status \(run.status)):\n\(run.outputTail)\n\(run.stderr.suffix(1000))", status: 1)
        }
        // "ARMVISOR-IO-DISK: mib N write T0 T1 read T2 T3"
        let f = line.split(separator: " ")
        guard f.count == 9, let t0 = Double(f[4]), let t1 = Double(f[5]), let t2 = Double(f[7]), let t3 = Double(f[8]) else {
            fail("\(name): unreadable result line: \(line)", status: 1)
        }
        let bytes = Double(mebibytes << 20)
        guard received.bytes == mebibytes << 20, received.seconds > 0 else {
            fail("\(name): the sink got \(received.bytes) of \(mebibytes << 20) bytes", status: 1)
        }
        return Result(network: bytes / received.seconds / 1e6, write: bytes / max(t1 - t0, 0.01) / 1e6,
                      read: bytes / max(t3 - t2, 0.01) / 1e6)
    }

    func median(_ results: [Result]) -> Result {
        Result(network: BootBenchmark.median(results.map(\.network)), write: BootBenchmark.median(results.map(\.write)),
               read: BootBenchmark.median(results.map(\.read)))
    }

    func report(_ i: Int, _ name: String, _ r: Result) {
        say(String(format: "run %d  %-8@  net %7.1f  disk write %7.1f  read %7.1f MB/s", i, name, r.network, r.write, r.read))
    }

    func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
}

/// A TCP sink on 127.0.0.1 (or the host's TAP address): accepts one
/// connection, reads `expected` bytes (then closes it, so the sender's nc
/// ends) and times them from the first byte to the last.
final class ByteSink: @unchecked Sendable {
    let port: UInt16
    let expected: Int
    private let listener: Int32
    private let done = DispatchSemaphore(value: 0)
    private var total = 0
    private var first: Date?
    private var last: Date?

    init(expected: Int, address host: String) throws {
        self.expected = expected
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard fd >= 0, ok else { throw UsageError("cannot listen on \(host) for the I/O benchmark") }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in serve() }
    }

    private func serve() {
        defer { done.signal() }
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return }
        defer { close(connection) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while total < expected {
            let n = read(connection, &buffer, buffer.count)
            if n <= 0 { return }
            if first == nil { first = Date() }
            total += n
            last = Date()
        }
    }

    /// Stops listening; the bytes received and the seconds they took.
    func finish() -> (bytes: Int, seconds: Double) {
        shutdown(listener, Int32(SHUT_RDWR))
        done.wait()
        close(listener)
        guard let first, let last else { return (total, 0) }
        return (total, last.timeIntervalSince(first))
    }
}
