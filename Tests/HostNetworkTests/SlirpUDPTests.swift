import HostNetwork
import XCTest

/// UDP through slirp, both ways, against sockets on the host's 127.0.0.1.
final class SlirpUDPTests: XCTestCase {
    private func datagram(from sourcePort: UInt16, to destinationPort: UInt16, gatewayMAC: [UInt8],
                          _ payload: [UInt8]) -> [UInt8] {
        let ip = Packets.udp(from: Guest.ip, sourcePort, to: Guest.gateway, destinationPort, payload)
        return Packets.ethernet(to: gatewayMAC, from: Guest.mac, type: Packets.etherIPv4, ip)
    }

    /// A datagram to 10.0.2.2:PORT reaches the host's 127.0.0.1:PORT, and
    /// the host's answer comes back to the guest from 10.0.2.2:PORT.
    func testGuestDatagramsReachHostLoopbackAndTheAnswerComesBack() throws {
        let (socket, hostPort) = try HostSockets.bound(HostSockets.udp)
        defer { close(socket) }
        let (backend, port) = try startSlirp()
        let gatewayMAC = try resolveGateway(backend, port)

        let question = Array("question".utf8)
        transmit(datagram(from: 5555, to: hostPort, gatewayMAC: gatewayMAC, question), to: backend)
        let received = try XCTUnwrap(HostSockets.receiveDatagram(socket), "nothing reached 127.0.0.1")
        XCTAssertEqual(received.bytes, question)

        let answer = Array("answer".utf8)
        XCTAssertTrue(HostSockets.sendDatagram(socket, answer, to: received.port))
        let frame = try XCTUnwrap(port.waitForFrame { $0.isUDP && $0.destinationPort == 5555 })
        XCTAssertEqual(frame.udpPayload, answer)
        XCTAssertEqual(frame.sourcePort, hostPort)
        XCTAssertEqual(frame.ipSource, Guest.gateway)
        XCTAssertEqual(frame.ipDestination, Guest.ip)
        XCTAssertEqual(frame.destinationMAC, Guest.mac)
    }

    /// A datagram to the forwarded host port arrives at 10.0.2.15:GUESTPORT;
    /// the guest's answer goes back to the sender.
    func testUDPHostForward() throws {
        let (client, _) = try HostSockets.bound(HostSockets.udp)
        defer { close(client) }
        let (probe, forwardedPort) = try HostSockets.bound(HostSockets.udp)
        close(probe)
        let forward = HostForward(.udp, hostAddress: IPv4Address("127.0.0.1")!, hostPort: forwardedPort, guestPort: 5353)
        let (backend, port) = try startSlirp(SlirpConfiguration(forwards: [forward]))
        let gatewayMAC = try resolveGateway(backend, port)

        XCTAssertTrue(HostSockets.sendDatagram(client, Array("ping".utf8), to: forwardedPort))
        let frame = try XCTUnwrap(port.waitForFrame { $0.isUDP && $0.destinationPort == 5353 }, "no datagram for the guest")
        XCTAssertEqual(frame.udpPayload, Array("ping".utf8))
        XCTAssertEqual(frame.ipDestination, Guest.ip)
        XCTAssertEqual(frame.ipSource, Guest.gateway)

        transmit(datagram(from: 5353, to: frame.sourcePort, gatewayMAC: gatewayMAC, Array("pong".utf8)), to: backend)
        XCTAssertEqual(HostSockets.receiveDatagram(client)?.bytes, Array("pong".utf8))
    }
}
