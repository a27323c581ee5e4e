import Devices
import HostNetwork
import XCTest

/// The guest as the tests play it, on slirp's 10.0.2.0/24.
enum Guest {
    static let mac: [UInt8] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56]
    static let ip = Packets.ip(10, 0, 2, 15)
    static let gateway = Packets.ip(10, 0, 2, 2)
    static let dns = Packets.ip(10, 0, 2, 3)
}

extension XCTestCase {
    /// A started slirp backend with a fake port that answers ARP for the
    /// guest, stopped at the end of the test.
    func startSlirp(_ configuration: SlirpConfiguration = SlirpConfiguration()) throws -> (SlirpBackend, FakePort) {
        let backend = try SlirpBackend(configuration)
        let port = FakePort()
        port.answerARP(through: backend, mac: Guest.mac, ip: Guest.ip)
        backend.attach(port)
        try backend.start()
        addTeardownBlock { backend.stop() }
        return (backend, port)
    }

    /// Sends `frame` from the guest, which the backend must take.
    func transmit(_ frame: [UInt8], to backend: NetworkBackend, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(frame.withUnsafeBytes { backend.transmit($0) }, "transmit refused", file: file, line: line)
    }

    /// The guest asks for the gateway's MAC (which also tells slirp the
    /// guest's) and returns it.
    func resolveGateway(_ backend: NetworkBackend, _ port: FakePort,
                        file: StaticString = #filePath, line: UInt = #line) throws -> [UInt8] {
        transmit(Packets.arpRequest(from: Guest.mac, ip: Guest.ip, for: Guest.gateway), to: backend)
        let reply = try XCTUnwrap(port.waitForFrame { $0.isARP && $0.arpOperation == 2 && $0.arpSenderIP == Guest.gateway },
                                  "no ARP reply from the gateway", file: file, line: line)
        return reply.arpSenderMAC
    }
}
