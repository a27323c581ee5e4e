import XCTest
@testable import Devices

/// virtio-net transmit: frames reach the backend exactly, checksums the
/// driver left open are completed, TSO frames are segmented, and the
/// backend's refusals are retried without losing or repeating frames. Every
/// checksum is checked with the test's own RFC 1071 implementation.
final class VirtioNetTransmitTests: XCTestCase {
    static let ack: UInt8 = 0x10, psh: UInt8 = 0x08, fin: UInt8 = 0x01, cwr: UInt8 = 0x80

    func testPlainFramesReachTheBackendByteExact() {
        let rig = NetRig()
        let arp = Packet.ethernet(0x0806, Packet.pattern(28))
        let udp = Packet.udp4(Packet.pattern(333))
        let head1 = rig.send(arp)
        let head2 = rig.send(udp, split: 60, at: NetRig.txArea + 0x1_0000)   // header alone, frame in 7 pieces
        XCTAssertEqual(rig.backend.frames, [arp, udp])
        XCTAssertEqual(rig.driver.takeUsed(1).map { [$0.id, $0.length] }, [[UInt32(head1), 0], [UInt32(head2), 0]],
                       "both chains used, nothing written")
        XCTAssertTrue(rig.driver.interruptLevel)
        let s = rig.net.statistics
        XCTAssertEqual(s.transmittedFrames, 2)
        XCTAssertEqual(s.transmittedBytes, UInt64(arp.count + udp.count))
        XCTAssertEqual(s.dropped, 0)
    }

    func testChecksumLeftToTheDeviceIsCompleted() {
        let rig = NetRig()
        // TCP over IPv4 with an odd payload length; UDP over IPv6 in pieces.
        let tcpPartial = Packet.tcp4(Packet.pattern(101), partial: true)
        let udpPartial = Packet.udp6(Packet.pattern(77, seed: 9), partial: true)
        XCTAssertFalse(Packet.transportChecksumValid(tcpPartial), "the test frame really needs completing")
        rig.send(tcpPartial, header: FakeVirtioDriver.netHeader(flags: 1, csumStart: 34, csumOffset: 16))
        rig.send(udpPartial, header: FakeVirtioDriver.netHeader(flags: 1, csumStart: 54, csumOffset: 6),
                 split: 30, at: NetRig.txArea + 0x1_0000)
        XCTAssertEqual(rig.backend.frames.count, 2)
        XCTAssertEqual(rig.backend.frames.first, Packet.tcp4(Packet.pattern(101)))
        XCTAssertEqual(rig.backend.frames.last, Packet.udp6(Packet.pattern(77, seed: 9)))
        for f in rig.backend.frames { XCTAssertTrue(Packet.transportChecksumValid(f)) }
        XCTAssertEqual(rig.net.statistics.transmitChecksumCompleted, 2)
    }

    func testAComputedUDPChecksumOfZeroGoesOutAsAllOnes() {
        let rig = NetRig()
        // A payload word equal to the checksum of the packet with a zero word
        // makes the sum all ones: the checksum is 0, which UDP sends as 0xFFFF.
        let zeroWord = Packet.udp4([0, 0])
        let payload = Array(zeroWord[40..<42])
        let partial = Packet.udp4(payload, partial: true)
        rig.send(partial, header: FakeVirtioDriver.netHeader(flags: 1, csumStart: 34, csumOffset: 6))
        let out = rig.backend.frames.first ?? []
        XCTAssertEqual(out.count, partial.count)
        guard out.count == partial.count else { return }
        XCTAssertEqual(Array(out[40..<42]), [0xFF, 0xFF])
        XCTAssertTrue(Packet.transportChecksumValid(out))
    }

    func testChecksumRequestOutsideTheFrameIsDroppedAndCounted() {
        let rig = NetRig()
        let frame = Packet.udp4([1, 2, 3])
        rig.send(frame, header: FakeVirtioDriver.netHeader(flags: 1, csumStart: frame.count - 1, csumOffset: 0))
        XCTAssertTrue(rig.backend.frames.isEmpty)
        XCTAssertEqual(rig.driver.takeUsed(1).count, 1, "the chain goes back to the driver")
        XCTAssertEqual(rig.net.statistics.transmitDroppedBadChecksumRequest, 1)
    }

    /// Segments of a TSO frame, each compared with the frame the guest's TCP
    /// would have sent for that stretch of payload.
    func assertSegments(_ got: [[UInt8]], payload: [UInt8], mss: Int, flags: UInt8, v6: Bool,
                        file: StaticString = #filePath, line: UInt = #line) {
        let count = (payload.count + mss - 1) / mss
        XCTAssertEqual(got.count, count, "segment count", file: file, line: line)
        for (i, s) in got.enumerated() {
            let slice = Array(payload[i * mss..<min(payload.count, (i + 1) * mss)])
            var f = flags
            if i != count - 1 { f &= ~(Self.fin | Self.psh) }
            if i != 0 { f &= ~Self.cwr }
            let seq = 1000 &+ UInt32(i * mss)
            let expected = v6 ? Packet.tcp6(seq: seq, flags: f, slice) : Packet.tcp4(seq: seq, flags: f, slice, id: 0x1234 + i)
            XCTAssertEqual(s.count, (v6 ? 74 : 54) + slice.count, "segment \(i) length", file: file, line: line)
            XCTAssertEqual(s, expected, "segment \(i)", file: file, line: line)
            XCTAssertEqual(Packet.read32(s, v6 ? 58 : 38), seq, "sequence number", file: file, line: line)
            XCTAssertEqual(s[v6 ? 67 : 47], f, "flags", file: file, line: line)
            if v6 {
                XCTAssertEqual(Packet.read16(s, 18), 20 + slice.count, "payload length", file: file, line: line)
            } else {
                XCTAssertEqual(Packet.read16(s, 16), 40 + slice.count, "total length", file: file, line: line)
                XCTAssertEqual(Packet.read16(s, 18), 0x1234 + i, "IP ID", file: file, line: line)
            }
            XCTAssertTrue(Packet.ipHeaderValid(s), "IP header checksum", file: file, line: line)
            XCTAssertTrue(Packet.transportChecksumValid(s), "TCP checksum", file: file, line: line)
        }
        XCTAssertEqual(got.flatMap { $0[(v6 ? 74 : 54)...] }, payload, "the payload, in order", file: file, line: line)
    }

    func testTSO4SegmentsIntoValidFrames() {
        let rig = NetRig()
        let payload = Packet.pattern(4000, seed: 3)
        let flags = Self.ack | Self.psh | Self.fin | Self.cwr
        let frame = Packet.tcp4(flags: flags, payload, partial: true)
        rig.send(frame, header: FakeVirtioDriver.netHeader(flags: 1, gsoType: 1, headerLength: 54, gsoSize: 1448,
                                                           csumStart: 34, csumOffset: 16), split: 1500)
        assertSegments(rig.backend.frames, payload: payload, mss: 1448, flags: flags, v6: false)
        XCTAssertEqual(rig.backend.frames.map(\.count), [1502, 1502, 1158])
        XCTAssertEqual(rig.driver.takeUsed(1).count, 1)
        XCTAssertEqual(rig.net.statistics.transmitSegmented, 1)
        XCTAssertEqual(rig.net.statistics.transmittedFrames, 3)
    }

    func testTSO6SegmentsIntoValidFrames() {
        let rig = NetRig()
        let payload = Packet.pattern(5000, seed: 11)
        let flags = Self.ack | Self.psh | Self.cwr
        let frame = Packet.tcp6(flags: flags, payload, partial: true)
        rig.send(frame, header: FakeVirtioDriver.netHeader(flags: 1, gsoType: 4, headerLength: 74, gsoSize: 1220,
                                                           csumStart: 54, csumOffset: 16))
        assertSegments(rig.backend.frames, payload: payload, mss: 1220, flags: flags, v6: true)
        XCTAssertEqual(rig.backend.frames.count, 5)
    }

    func testTSOBehindAVLANTag() {
        let rig = NetRig()
        func tagged(_ f: [UInt8]) -> [UInt8] { Array(f[0..<12]) + [0x81, 0x00, 0x00, 0x2A] + Array(f[12...]) }
        let payload = Packet.pattern(3000, seed: 7)
        let flags = Self.ack | Self.psh
        rig.send(tagged(Packet.tcp4(flags: flags, payload, partial: true)),
                 header: FakeVirtioDriver.netHeader(flags: 1, gsoType: 1, gsoSize: 1448, csumStart: 38, csumOffset: 16))
        let expected = (0..<3).map { i in
            tagged(Packet.tcp4(seq: 1000 + UInt32(i * 1448), flags: i == 2 ? flags : Self.ack,
                               Array(payload[i * 1448..<min(3000, (i + 1) * 1448)]), id: 0x1234 + i))
        }
        XCTAssertEqual(rig.backend.frames, expected)
    }

    func testLargestTSOFrame() {
        let rig = NetRig()
        let payload = Packet.pattern(65536 - 54, seed: 1)
        let frame = Packet.tcp4(flags: Self.ack, payload, partial: true)
        XCTAssertEqual(frame.count, 65536)
        rig.send(frame, header: FakeVirtioDriver.netHeader(flags: 1, gsoType: 1, headerLength: 54, gsoSize: 1460,
                                                           csumStart: 34, csumOffset: 16))
        assertSegments(rig.backend.frames, payload: payload, mss: 1460, flags: Self.ack, v6: false)
    }

    func testUnsupportedGSOAndBadLengthsAreDroppedAndCounted() {
        let rig = NetRig()
        let tcp = Packet.tcp4(Packet.pattern(3000), partial: true)
        // ECN (HOST_ECN not offered), UDP fragmentation, a TCPv6 type on an IPv4 frame, MSS 0.
        rig.send(tcp, header: FakeVirtioDriver.netHeader(flags: 1, gsoType: 0x81, gsoSize: 1448, csumStart: 34, csumOffset: 16))
        rig.send(Packet.udp4(Packet.pattern(3000)), header: FakeVirtioDriver.netHeader(gsoType: 3, gsoSize: 1400))
        rig.send(tcp, header: FakeVirtioDriver.netHeader(flags: 1, gsoType: 4, gsoSize: 1448, csumStart: 34, csumOffset: 16))
        rig.send(tcp, header: FakeVirtioDriver.netHeader(flags: 1, gsoType: 1, gsoSize: 0, csumStart: 34, csumOffset: 16))
        XCTAssertEqual(rig.net.statistics.transmitDroppedBadGSO, 4)
        // Too short for an Ethernet header; one byte over 64 KiB; exactly 64 KiB is fine.
        rig.send(Array(Packet.pattern(13)))
        rig.send(Packet.pattern(65537))
        rig.send(Packet.pattern(65536))
        XCTAssertEqual(rig.net.statistics.transmitDroppedShort, 1)
        XCTAssertEqual(rig.net.statistics.transmitDroppedLong, 1)
        XCTAssertEqual(rig.backend.frames, [Packet.pattern(65536)])
        XCTAssertEqual(rig.driver.takeUsed(1).count, 7, "dropped frames' chains still go back")
        XCTAssertEqual(rig.driver.read(0x070) & Virtio.statusNeedsReset, 0, "a bad frame is not a broken ring")
    }

    func testBackendRefusalIsRetriedWithoutDuplicatesOrLoss() {
        let rig = NetRig()
        let payload = Packet.pattern(4000)
        let flags = Self.ack | Self.psh
        let tso = Packet.tcp4(flags: flags, payload, partial: true)
        let plain = Packet.udp4(Array("after".utf8))
        rig.backend.budget = 1
        rig.send(tso, header: FakeVirtioDriver.netHeader(flags: 1, gsoType: 1, gsoSize: 1448, csumStart: 34, csumOffset: 16))
        rig.send(plain, at: NetRig.txArea + 0x1_0000)
        XCTAssertEqual(rig.backend.frames.count, 1, "one segment went, the second was refused")
        XCTAssertTrue(rig.driver.takeUsed(1).isEmpty, "the chain stays in the ring")
        XCTAssertEqual(rig.backend.refusals, 2, "refused, and again when the second chain's notification retried it")

        // A notification without room changes nothing.
        rig.driver.write(0x050, 1)
        XCTAssertEqual(rig.backend.frames.count, 1)

        rig.backend.budget = 1
        rig.net.transmitSpaceAvailable()
        XCTAssertEqual(rig.backend.frames.count, 2)
        XCTAssertTrue(rig.driver.takeUsed(1).isEmpty)

        rig.backend.budget = nil
        rig.net.transmitSpaceAvailable()
        XCTAssertEqual(rig.driver.takeUsed(1).count, 2)
        XCTAssertEqual(rig.backend.frames.count, 4)
        assertSegments(Array(rig.backend.frames.prefix(3)), payload: payload, mss: 1448, flags: flags, v6: false)
        XCTAssertEqual(rig.backend.frames.last, plain)
        XCTAssertEqual(rig.net.statistics.transmittedFrames, 4)
        XCTAssertEqual(rig.net.statistics.transmitBackendBusy, 4)
        XCTAssertEqual(rig.backend.refusals, 4)
    }

    func testResetForgetsAPartlySentFrame() {
        let rig = NetRig()
        rig.backend.budget = 1
        let payload = Packet.pattern(3000)
        rig.send(Packet.tcp4(flags: Self.ack, payload, partial: true),
                 header: FakeVirtioDriver.netHeader(flags: 1, gsoType: 1, gsoSize: 1000, csumStart: 34, csumOffset: 16))
        XCTAssertEqual(rig.backend.frames.count, 1)
        // The driver resets and sends the same frame again from a fresh ring.
        rig.driver.write(0x070, 0)
        rig.driver.initialize(features: rig.driver.deviceFeatures() & FakeVirtioDriver.linuxNetFeatures)
        rig.backend.budget = nil
        rig.backend.frames = []
        rig.send(Packet.tcp4(flags: Self.ack, payload, partial: true),
                 header: FakeVirtioDriver.netHeader(flags: 1, gsoType: 1, gsoSize: 1000, csumStart: 34, csumOffset: 16))
        assertSegments(rig.backend.frames, payload: payload, mss: 1000, flags: Self.ack, v6: false)
    }
}
