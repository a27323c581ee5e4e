import Foundation

/// The interface `BenchTap` made and has not removed yet (for `atexit`).
nonisolated(unsafe) private var benchTapToRemove: (ip: String, name: String)?

/// The host's side of `armvisor bench --io --tap`: a persistent TAP
/// interface with a private /24 no interface of this host uses, the host at
/// .1 and the guest at .2. Armvisor and qemu-system-arm attach to it in
/// turn; it is deleted at the end. Needs root (CAP_NET_ADMIN) and iproute2.
final class BenchTap {
    let name: String
    let hostAddress: String
    let guestAddress: String
    private let ip: String

    init() throws {
        guard let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw UsageError("--tap needs the ip command (apt-get install iproute2)")
        }
        guard access("/dev/net/tun", F_OK) == 0 else { throw UsageError("--tap: /dev/net/tun is missing (modprobe tun)") }
        guard geteuid() == 0 else { throw UsageError("--tap makes a TAP interface: run as root") }
        self.ip = ip
        name = "avbench\(getpid() % 100_000)"
        let used = try Self.run(ip, ["-4", "-o", "addr", "show"])
        guard let net = (200..<250).map({ "192.168.\($0)." }).first(where: { !used.contains($0) }) else {
            throw UsageError("--tap: every candidate subnet 192.168.200-249.0/24 is in use on this host")
        }
        hostAddress = net + "1"
        guestAddress = net + "2"
        _ = try Self.run(ip, ["tuntap", "add", "dev", name, "mode", "tap"])
        // A failing run ends with exit(), past any defer: remove it then too.
        benchTapToRemove = (ip, name)
        atexit { benchTapToRemove.map { _ = try? BenchTap.run($0.ip, ["link", "delete", $0.name]) } }
        do {
            _ = try Self.run(ip, ["addr", "add", "\(hostAddress)/24", "dev", name])
            _ = try Self.run(ip, ["link", "set", name, "up"])
        } catch {
            remove()
            throw error
        }
    }

    /// Deletes the interface.
    func remove() {
        guard benchTapToRemove != nil else { return }
        benchTapToRemove = nil
        _ = try? Self.run(ip, ["link", "delete", name])
    }

    /// The guest's kernel arguments for a static address on the link.
    var guestArguments: String { "armvisor.net-static=\(guestAddress)/24,\(hostAddress)" }

    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw UsageError("\(tool) \(arguments.joined(separator: " ")): \(problem.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return text
    }
}
