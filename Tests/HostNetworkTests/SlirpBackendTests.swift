import HostNetwork
import XCTest

/// slirp's virtual LAN as a guest sees it: ARP, DHCP, back-pressure.
final class SlirpBackendTests: XCTestCase {
    func testARPRequestForTheGatewayIsAnswered() throws {
        let (backend, port) = try startSlirp()
        transmit(Packets.arpRequest(from: Guest.mac, ip: Guest.ip, for: Guest.gateway), to: backend)
        let reply = try XCTUnwrap(port.waitForFrame { $0.isARP && $0.arpOperation == 2 })
        XCTAssertEqual(reply.destinationMAC, Guest.mac)
        XCTAssertEqual(reply.arpSenderIP, Guest.gateway)
        XCTAssertEqual(reply.arpTargetMAC, Guest.mac)
        XCTAssertEqual(reply.arpTargetIP, Guest.ip)
        XCTAssertNotEqual(reply.arpSenderMAC, [0, 0, 0, 0, 0, 0])
    }

    func testDHCPDiscoverGetsAnOffer() throws {
        let (backend, port) = try startSlirp(SlirpConfiguration(hostname: "armguest"))
        var bootp = [UInt8](repeating: 0, count: 236)
        bootp[0] = 1; bootp[1] = 1; bootp[2] = 6                 // request, Ethernet, 6-byte MAC
        bootp.replaceSubrange(4..<8, with: [0xA5, 0x5A, 0x12, 0x34])   // xid
        bootp[10] = 0x80                                        // broadcast reply
        bootp.replaceSubrange(28..<34, with: Guest.mac)
        var options: [UInt8] = [99, 130, 83, 99, 53, 1, 1, 55, 3, 1, 3, 6, 255]   // DISCOVER, asking 1, 3, 6
        options += [UInt8](repeating: 0, count: 312 - options.count)
        let datagram = Packets.udp(from: [0, 0, 0, 0], 68, to: [255, 255, 255, 255], 67, bootp + options)
        transmit(Packets.ethernet(to: Packets.broadcastMAC, from: Guest.mac, type: Packets.etherIPv4, datagram),
                 to: backend)

        let reply = try XCTUnwrap(port.waitForFrame { $0.isUDP && $0.sourcePort == 67 && $0.destinationPort == 68 })
        let dhcp = reply.udpPayload
        XCTAssertEqual(dhcp[0], 2, "a BOOTP reply")
        XCTAssertEqual(Array(dhcp[4..<8]), [0xA5, 0x5A, 0x12, 0x34], "xid")
        XCTAssertEqual(Array(dhcp[16..<20]), Guest.ip, "yiaddr")
        XCTAssertEqual(Array(dhcp[236..<240]), [99, 130, 83, 99], "magic cookie")
        let found = dhcpOptions(Array(dhcp[240...]))
        XCTAssertEqual(found[53], [2], "DHCPOFFER")
        XCTAssertEqual(found[1], [255, 255, 255, 0])
        XCTAssertEqual(found[3], Guest.gateway, "router")
        XCTAssertEqual(found[6], Guest.dns, "DNS server")
        XCTAssertEqual(found[12].map { String(decoding: $0, as: UTF8.self) }, "armguest")
    }

    private func dhcpOptions(_ bytes: [UInt8]) -> [UInt8: [UInt8]] {
        var options: [UInt8: [UInt8]] = [:]
        var i = 0
        while i < bytes.count, bytes[i] != 255 {
            if bytes[i] == 0 { i += 1; continue }
            guard i + 1 < bytes.count else { break }
            let length = Int(bytes[i + 1])
            options[bytes[i]] = Array(bytes[(i + 2)..<min(bytes.count, i + 2 + length)])
            i += 2 + length
        }
        return options
    }

    /// A port that refuses frames gets them later, in order, and none is lost.
    func testRefusedFramesWaitInOrderForReceiveSpace() throws {
        let (backend, port) = try startSlirp()
        port.accepting = false
        let senders: [UInt8] = [15, 16, 17]
        for host in senders {
            let mac: [UInt8] = [0x52, 0x54, 0, 0, 0, host]
            transmit(Packets.arpRequest(from: mac, ip: [10, 0, 2, host], for: Guest.gateway), to: backend)
        }
        XCTAssertTrue(port.wait { $0.deliveryAttempts >= 1 })
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(port.deliveryAttempts, 1, "after a refusal, nothing is offered until receiveSpaceAvailable")
        XCTAssertTrue(port.delivered.isEmpty)

        port.accepting = true
        backend.receiveSpaceAvailable()
        XCTAssertTrue(port.wait { $0.delivered.count >= 3 })
        let replies = port.delivered.map(ParsedFrame.init).filter { $0.isARP && $0.arpOperation == 2 }
        XCTAssertEqual(replies.map(\.arpTargetIP), senders.map { [10, 0, 2, $0] })
        XCTAssertEqual(replies.map(\.destinationMAC), senders.map { [0x52, 0x54, 0, 0, 0, $0] })
    }

    /// `transmit` refuses beyond the queue's bound, then says when there is room.
    func testFullTransmitQueueRefusesThenSignalsRoom() throws {
        let backend = try SlirpBackend(SlirpConfiguration(), transmitQueueLimit: 4)
        let port = FakePort()
        backend.attach(port)
        addTeardownBlock { backend.stop() }
        let request = Packets.arpRequest(from: Guest.mac, ip: Guest.ip, for: Guest.gateway)
        for _ in 0..<4 { transmit(request, to: backend) }   // the loop is not running yet
        XCTAssertFalse(request.withUnsafeBytes { backend.transmit($0) })
        XCTAssertEqual(port.transmitSpaceAvailableCalls, 0)

        try backend.start()
        XCTAssertTrue(port.wait { $0.transmitSpaceAvailableCalls == 1 })
        XCTAssertTrue(port.wait { $0.delivered.count == 4 }, "one ARP reply per queued request")
        transmit(request, to: backend)
    }

    func testStopIsIdempotentAndTransmitAfterStopIsHarmless() throws {
        let (backend, _) = try startSlirp()
        backend.stop()
        backend.stop()
        _ = Packets.arpRequest(from: Guest.mac, ip: Guest.ip, for: Guest.gateway).withUnsafeBytes { backend.transmit($0) }
        backend.receiveSpaceAvailable()
    }
}
