import Foundation
import XCTest
import HostNetwork
@testable import Machine
@testable import Devices

/// The TAP backend end to end: Debian's kernel and busybox on virtio-net,
/// attached to a TAP interface this test makes (as root) and addresses on
/// the host's side. The guest takes a static address on the link (a TAP has
/// no DHCP server), resolves the host by ARP through the host kernel and
/// fetches a file from an HTTP server listening on the host's TAP address;
/// the SHA-256 matches. Nothing leaves the host: the interface is a private
/// point-to-point link, removed when the VM closes it.
final class TapNetworkLinuxTests: XCTestCase {
    static let ipCandidates = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]

    /// The ip command; skips (fails under CI=true) where TAP interfaces
    /// cannot be made.
    func requireTap() throws -> String {
        var problem: String?
        let ip = Self.ipCandidates.first { FileManager.default.isExecutableFile(atPath: $0) }
        if access("/dev/net/tun", F_OK) != 0 {
            problem = "/dev/net/tun is missing (load the tun module: modprobe tun)"
        } else if geteuid() != 0 {
            problem = "creating a TAP interface needs root (or CAP_NET_ADMIN)"
        } else if ip == nil {
            problem = "the ip command is missing (apt-get install iproute2)"
        }
        if let problem {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("TAP test cannot run in CI: \(problem)") }
            throw XCTSkip("TAP test skipped: \(problem)")
        }
        return ip!
    }

    func run(_ tool: String, _ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NetworkBackendError("\(tool) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
        return text
    }

    func testGuestFetchesAFileFromTheHostOverATapInterface() throws {
        let ip = try requireTap()
        let name = "avn\(getpid() % 100_000)x\(Int.random(in: 0..<1000))"
        // A /24 no interface of this host uses.
        let used = try run(ip, "-4", "-o", "addr", "show")
        let net = try XCTUnwrap((200..<250).shuffled().map { "192.168.\($0)." }.first { !used.contains($0) },
                                "every candidate subnet is in use here")
        let host = net + "1", guest = net + "2"

        var virtio = VirtioOptions()
        virtio.network = try NetworkOptions(parsing: "tap,ifname=\(name)").makeNetworkBackend()
        _ = try run(ip, "addr", "add", "\(host)/24", "dev", name)
        _ = try run(ip, "link", "set", name, "up")

        var generator = SystemRandomNumberGenerator()
        let body = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let server = try LoopbackHTTPServer(body: body, address: host)
        defer { server.stop() }

        let (outcome, text, machine) = try DebianGuest.boot(
            virtio: virtio,
            bootargs: "console=ttyAMA0 armvisor.net-static=\(guest)/24,\(host) armvisor.net-check=http://\(host):\(server.port)/blob",
            requiring: "static address", maxInstructions: 40_000_000_000)
        XCTAssertEqual(outcome, .powerOff, String(text.suffix(3000)))
        let lines = Set(text.split(whereSeparator: \.isNewline).map(String.init))
        XCTAssertTrue(lines.contains("ARMVISOR-NET-STATIC: \(guest)/24 via \(host)"), String(text.suffix(3000)))
        XCTAssertTrue(lines.contains("ARMVISOR-NET-ADDRESS: \(guest)"), String(text.suffix(3000)))
        let expected = "ARMVISOR-NET-FETCHED: \(body.count) bytes sha256 \(try DebianGuest.sha256(body))"
        XCTAssertTrue(lines.contains(expected), "wanted \(expected):\n\(text.suffix(3000))")
        XCTAssertEqual(server.requests, ["GET /blob HTTP/1.1"])
        let stats = try XCTUnwrap(machine.virtio.net).statistics
        XCTAssertGreaterThan(stats.receivedFrames, UInt64(body.count / 1514), "frames reached the guest")
    }
}
