import Foundation
@testable import HostNetwork
import XCTest

/// A real TAP interface: the guest's ARP request reaches the host kernel,
/// whose reply comes back through the fake port.
final class TapBackendTests: XCTestCase {
    static let ipCandidates = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]

    /// Skips (fails under CI=true) when this host cannot make TAP interfaces.
    private func requireTap() throws -> String {
        var problem: String?
        let ip = Self.ipCandidates.first { FileManager.default.isExecutableFile(atPath: $0) }
        if access("/dev/net/tun", F_OK) != 0 {
            problem = "/dev/net/tun is missing (load the tun module: modprobe tun)"
        } else if geteuid() != 0 {
            problem = "creating a TAP interface needs root (or CAP_NET_ADMIN)"
        } else if ip == nil {
            problem = "the ip command (iproute2) is missing"
        }
        if let problem { try skipOrFail(problem) }
        return ip!
    }

    private func skipOrFail(_ problem: String) throws -> Never {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            throw NetworkBackendError("TAP test cannot run in CI: \(problem)")
        }
        throw XCTSkip("TAP test skipped: \(problem)")
    }

    /// A TAP backend for `name`; skips (fails under CI=true) when root lacks
    /// CAP_NET_ADMIN (a container without it).
    private func makeTap(_ name: String) throws -> TapBackend {
        do {
            return try TapBackend(ifname: name)
        } catch let error as NetworkBackendError where error.description.hasPrefix("tap \(name): permission denied") {
            try skipOrFail("\(error) (a container needs CAP_NET_ADMIN)")
        }
    }

    private func run(_ tool: String, _ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NetworkBackendError("\(tool) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }

    /// A name no other run uses at the same time (at most 15 characters).
    private func uniqueName() -> String { "avt\(getpid() % 100_000)x\(Int.random(in: 0..<1000))" }

    func testARPThroughTheHostKernel() throws {
        let ip = try requireTap()
        let name = uniqueName()
        let backend = try makeTap(name)
        let port = FakePort()
        backend.attach(port)
        try backend.start()
        addTeardownBlock { backend.stop() }
        try run(ip, "addr", "add", "192.168.213.1/24", "dev", name)
        try run(ip, "link", "set", name, "up")

        let guestMAC: [UInt8] = [0x52, 0x54, 0x00, 0xAA, 0xBB, 0xCC]
        let guestIP = Packets.ip(192, 168, 213, 2), hostIP = Packets.ip(192, 168, 213, 1)
        let request = Packets.arpRequest(from: guestMAC, ip: guestIP, for: hostIP)
        func isReply(_ frame: ParsedFrame) -> Bool { frame.isARP && frame.arpOperation == 2 && frame.arpSenderIP == hostIP }
        var reply: ParsedFrame?
        for _ in 0..<10 where reply == nil {   // the interface may take a moment to come up
            XCTAssertTrue(request.withUnsafeBytes { backend.transmit($0) })
            reply = port.waitForFrame(timeout: 0.5, isReply)
        }
        let answer = try XCTUnwrap(reply, "no ARP reply from the host kernel")
        XCTAssertEqual(answer.destinationMAC, guestMAC)
        XCTAssertEqual(answer.arpTargetMAC, guestMAC)
        XCTAssertEqual(answer.arpTargetIP, guestIP)

        // Back-pressure: while the port refuses, the backend reads nothing more.
        port.accepting = false
        let attemptsBefore = port.deliveryAttempts
        XCTAssertTrue(request.withUnsafeBytes { backend.transmit($0) })
        XCTAssertTrue(port.wait { $0.deliveryAttempts == attemptsBefore + 1 })
        XCTAssertTrue(request.withUnsafeBytes { backend.transmit($0) })
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(port.deliveryAttempts, attemptsBefore + 1, "no reading while the port refuses")
        let seen = port.delivered.count
        port.accepting = true
        backend.receiveSpaceAvailable()
        XCTAssertNotNil(port.waitForFrame(skipping: seen, isReply), "the refused frames arrive after receiveSpaceAvailable")
    }

    /// An interface deleted under the backend stops its polling instead of
    /// making the loop spin on the descriptor's error.
    func testDeletedInterfaceDoesNotSpinTheLoop() throws {
        let ip = try requireTap()
        let name = uniqueName()
        let backend = try makeTap(name)
        backend.attach(FakePort())
        try backend.start()
        defer { backend.stop() }
        try run(ip, "link", "delete", name)
        Thread.sleep(forTimeInterval: 0.1)
        let before = Self.processCPUSeconds()
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertLessThan(Self.processCPUSeconds() - before, 0.1, "the loop spins")
    }

    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let time = { (t: timeval) in Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return time(usage.ru_utime) + time(usage.ru_stime)
    }

    func testABusyInterfaceIsAnError() throws {
        _ = try requireTap()
        let name = uniqueName()
        let first = try makeTap(name)
        defer { first.stop() }
        XCTAssertThrowsError(try TapBackend(ifname: name)) { error in
            XCTAssertEqual("\(error)", "tap \(name): device busy: another process has it open; close that or choose another ifname")
        }
    }

    func testBadNamesAndNonTapInterfacesAreErrors() throws {
        _ = try requireTap()
        try makeTap(uniqueName()).stop()   // skips without the right to make TAP interfaces at all
        for name in ["bad/name", "lo", "a-name-far-too-long"] {
            XCTAssertThrowsError(try TapBackend(ifname: name), name) { error in
                XCTAssertEqual("\(error)", "tap \(name): bad interface name, or an interface of that name exists "
                                   + "and is not a TAP device: choose another ifname")
            }
        }
    }

    static let withoutNetAdmin = "ARMVISOR_TEST_WITHOUT_NET_ADMIN"

    /// Without CAP_NET_ADMIN, making a TAP interface is refused with an error
    /// that says what to do. As root, the test runs itself again through
    /// setpriv(1) with CAP_NET_ADMIN dropped.
    func testPermissionDeniedWithoutNetAdmin() throws {
        let name = "avtnoperm\(getpid() % 10_000)"
        if ProcessInfo.processInfo.environment[Self.withoutNetAdmin] == "1" {
            XCTAssertThrowsError(try TapBackend(ifname: name)) { error in
                XCTAssertEqual("\(error)", NetworkBackendError.tapOpen(EPERM, ifname: name).description)
            }
            return
        }
        _ = try requireTap()
        guard let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first(where: FileManager.default.isExecutableFile) else {
            try skipOrFail("setpriv (util-linux) is missing")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: setpriv)
        process.arguments = ["--inh-caps=-net_admin", "--bounding-set=-net_admin",
                             try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
                             "HostNetworkTests.TapBackendTests/testPermissionDeniedWithoutNetAdmin"]
        process.environment = ProcessInfo.processInfo.environment.merging([Self.withoutNetAdmin: "1"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("Executed 1 test, with 0 failures"), text)
    }

    /// The errors for a host without TAP or without the right say what to do.
    func testMissingDeviceAndPermissionErrorsSayWhatToDo() {
        let permission = NetworkBackendError.tapOpen(EPERM, ifname: "tap0").description
        XCTAssertEqual(permission, "tap tap0: permission denied: run as root or with CAP_NET_ADMIN, "
                           + "or create the interface for your user first (ip tuntap add tap0 mode tap user $USER)")
        XCTAssertEqual(NetworkBackendError.tapOpen(EACCES, ifname: "tap0").description, permission)
        XCTAssertTrue(NetworkBackendError.tapOpen(ENOENT, ifname: "tap0").description
            .hasPrefix("tap tap0: /dev/net/tun is missing: load the tun module (modprobe tun)"))
        XCTAssertEqual(NetworkBackendError.tapOpen(EMFILE, ifname: "tap0").description, "tap tap0: too many open files")
    }
}
