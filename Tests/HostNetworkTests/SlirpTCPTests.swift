import HostNetwork
import XCTest

/// TCP through slirp, both ways, against sockets on the host's 127.0.0.1.
final class SlirpTCPTests: XCTestCase {
    /// The guest connects to 10.0.2.2:PORT, which slirp turns into a
    /// connection to the host's 127.0.0.1:PORT; data flows both ways.
    func testGuestConnectsToHostLoopbackThroughTheGateway() throws {
        let (listener, hostPort) = try HostSockets.bound()
        defer { close(listener) }
        let (backend, port) = try startSlirp()
        let gatewayMAC = try resolveGateway(backend, port)

        let guestPort: UInt16 = 40000
        var seq: UInt32 = 1000
        func segment(ack: UInt32, _ flags: Packets.TCPFlags, _ payload: [UInt8] = []) -> [UInt8] {
            let ip = Packets.tcp(from: Guest.ip, guestPort, to: Guest.gateway, hostPort,
                                 seq: seq, ack: ack, flags: flags, payload)
            return Packets.ethernet(to: gatewayMAC, from: Guest.mac, type: Packets.etherIPv4, ip)
        }
        func fromHost(_ frame: ParsedFrame) -> Bool {
            frame.isTCP && frame.sourcePort == hostPort && frame.destinationPort == guestPort
        }

        transmit(segment(ack: 0, .syn), to: backend)
        let synAck = try XCTUnwrap(port.waitForFrame { fromHost($0) && $0.tcpFlags.contains([.syn, .ack]) },
                                   "no SYN-ACK")
        XCTAssertEqual(synAck.tcpAck, seq + 1)
        XCTAssertEqual(synAck.ipSource, Guest.gateway)
        XCTAssertEqual(synAck.destinationMAC, Guest.mac)
        seq += 1
        let hostSeq = synAck.tcpSeq &+ 1
        transmit(segment(ack: hostSeq, .ack), to: backend)

        let connection = try XCTUnwrap(HostSockets.accept(listener), "slirp did not connect to 127.0.0.1")
        defer { close(connection) }
        let hello = Array("hello from the guest".utf8)
        transmit(segment(ack: hostSeq, [.psh, .ack], hello), to: backend)
        XCTAssertEqual(HostSockets.receive(connection, count: hello.count), hello)
        seq &+= UInt32(hello.count)

        let reply = Array("hello from the host".utf8)
        let seen = port.delivered.count
        XCTAssertTrue(HostSockets.send(connection, reply))
        let data = try XCTUnwrap(port.waitForFrame(skipping: seen) { fromHost($0) && !$0.tcpPayload.isEmpty },
                                 "the host's data did not reach the guest")
        XCTAssertEqual(data.tcpPayload, reply)
        XCTAssertEqual(data.tcpSeq, hostSeq)
        XCTAssertEqual(data.tcpAck, seq, "slirp acknowledges the guest's data")
        transmit(segment(ack: hostSeq &+ UInt32(reply.count), .ack), to: backend)
    }

    /// A connection to the forwarded host port arrives at the guest as a SYN
    /// to 10.0.2.15:GUESTPORT from the gateway; data flows both ways.
    func testHostForwardReachesTheGuest() throws {
        let hostPort = try HostSockets.freePort(), guestPort: UInt16 = 2222
        let forward = HostForward(.tcp, hostAddress: IPv4Address("127.0.0.1")!, hostPort: hostPort, guestPort: guestPort)
        let (backend, port) = try startSlirp(SlirpConfiguration(forwards: [forward]))
        let gatewayMAC = try resolveGateway(backend, port)

        let client = try HostSockets.connect(port: hostPort)
        defer { close(client) }
        let syn = try XCTUnwrap(port.waitForFrame { $0.isTCP && $0.destinationPort == guestPort },
                                "no SYN for the guest")
        XCTAssertEqual(syn.tcpFlags, .syn)
        XCTAssertEqual(syn.destinationMAC, Guest.mac)
        XCTAssertEqual(syn.ipDestination, Guest.ip)
        XCTAssertEqual(syn.ipSource, Guest.gateway)
        XCTAssertEqual(Array(syn.bytes[6..<12]), gatewayMAC)

        let slirpPort = syn.sourcePort
        var seq: UInt32 = 7000
        var ack = syn.tcpSeq &+ 1
        func segment(_ flags: Packets.TCPFlags, _ payload: [UInt8] = []) -> [UInt8] {
            let ip = Packets.tcp(from: Guest.ip, guestPort, to: Guest.gateway, slirpPort,
                                 seq: seq, ack: ack, flags: flags, payload)
            return Packets.ethernet(to: gatewayMAC, from: Guest.mac, type: Packets.etherIPv4, ip)
        }
        func toGuest(_ frame: ParsedFrame) -> Bool {
            frame.isTCP && frame.sourcePort == slirpPort && frame.destinationPort == guestPort
        }
        var seen = port.delivered.count
        transmit(segment([.syn, .ack]), to: backend)
        seq += 1
        XCTAssertNotNil(port.waitForFrame(skipping: seen) { toGuest($0) && $0.tcpFlags.contains(.ack) && $0.tcpAck == seq },
                        "slirp did not complete the handshake")

        seen = port.delivered.count
        let ping = Array("ping".utf8)
        XCTAssertTrue(HostSockets.send(client, ping))
        let data = try XCTUnwrap(port.waitForFrame(skipping: seen) { toGuest($0) && !$0.tcpPayload.isEmpty })
        XCTAssertEqual(data.tcpPayload, ping)
        ack = data.tcpSeq &+ UInt32(ping.count)

        let pong = Array("pong".utf8)
        transmit(segment([.psh, .ack], pong), to: backend)
        XCTAssertEqual(HostSockets.receive(client, count: pong.count), pong)
    }

    func testForwardedTCPPortInUseIsAnErrorNamingTheRule() throws {
        let (listener, hostPort) = try HostSockets.bound()
        defer { close(listener) }
        let forward = HostForward(.tcp, hostAddress: IPv4Address("127.0.0.1")!, hostPort: hostPort, guestPort: 22)
        let backend = try SlirpBackend(SlirpConfiguration(forwards: [forward]))
        backend.attach(FakePort())
        XCTAssertThrowsError(try backend.start()) { error in
            XCTAssertEqual("\(error)", "hostfwd tcp:127.0.0.1:\(hostPort)-:22: address already in use")
        }
        backend.stop()
    }

    func testForwardedUDPPortInUseIsAnErrorNamingTheRule() throws {
        let (socket, hostPort) = try HostSockets.bound(HostSockets.udp)
        defer { close(socket) }
        let forward = HostForward(.udp, hostAddress: IPv4Address("127.0.0.1")!, hostPort: hostPort,
                                  guestAddress: IPv4Address("10.0.2.20")!, guestPort: 53)
        let backend = try SlirpBackend(SlirpConfiguration(forwards: [forward]))
        XCTAssertThrowsError(try backend.start()) { error in
            XCTAssertEqual("\(error)", "hostfwd udp:127.0.0.1:\(hostPort)-10.0.2.20:53: address already in use")
        }
    }

    /// `restrict=on`: the guest's connection to the host never reaches the
    /// host's listener, and the guest gets no SYN-ACK.
    func testRestrictKeepsTheGuestIn() throws {
        let (listener, hostPort) = try HostSockets.bound()
        defer { close(listener) }
        let (backend, port) = try startSlirp(SlirpConfiguration(restrict: true))
        let gatewayMAC = try resolveGateway(backend, port)
        let syn = Packets.tcp(from: Guest.ip, 40001, to: Guest.gateway, hostPort, seq: 1, ack: 0, flags: .syn)
        transmit(Packets.ethernet(to: gatewayMAC, from: Guest.mac, type: Packets.etherIPv4, syn), to: backend)
        XCTAssertNil(HostSockets.accept(listener, timeout: 1))
        XCTAssertNil(port.waitForFrame(timeout: 0.1) { $0.isTCP && $0.tcpFlags.contains([.syn, .ack]) })
    }
}
