import XCTest
@testable import Devices

/// virtio-net identification, feature negotiation as Linux's driver does it
/// (modern and legacy), the header length that follows, and config space.
final class VirtioNetNegotiationTests: XCTestCase {
    func bit(_ n: UInt64) -> UInt64 { 1 << n }

    func testOffersTheOffloadsItCarriesOutAndNothingElse() {
        let rig = NetRig(live: false)
        let d = rig.driver
        XCTAssertEqual(d.read(0x008), 1, "DeviceID: network card")
        let f = d.deviceFeatures()
        for (n, name) in [(0, "CSUM"), (1, "GUEST_CSUM"), (3, "MTU"), (5, "MAC"), (11, "HOST_TSO4"),
                          (12, "HOST_TSO6"), (15, "MRG_RXBUF"), (16, "STATUS"), (63, "SPEED_DUPLEX"),
                          (32, "VERSION_1"), (28, "INDIRECT_DESC")] as [(UInt64, String)] {
            XCTAssertNotEqual(f & bit(n), 0, name)
        }
        // No control queue, no receive offloads the guest would have to be given
        // big frames for, no ECN or UDP segmentation.
        for (n, name) in [(17, "CTRL_VQ"), (22, "MQ"), (7, "GUEST_TSO4"), (8, "GUEST_TSO6"), (9, "GUEST_ECN"),
                          (10, "GUEST_UFO"), (13, "HOST_ECN"), (14, "HOST_UFO"), (2, "CTRL_GUEST_OFFLOADS"),
                          (29, "EVENT_IDX")] as [(UInt64, String)] {
            XCTAssertEqual(f & bit(n), 0, name)
        }
        d.write(0x030, 2)
        XCTAssertEqual(d.read(0x034), 0, "no third (control) queue")
        d.write(0x030, 1)
        XCTAssertGreaterThan(d.read(0x034), 0, "transmit queue")
    }

    func testModernLinuxNegotiationUsesTwelveByteHeaders() {
        let rig = NetRig()
        XCTAssertEqual(rig.driver.read(0x070) & 0x0F, 0x0F, "ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK")
        XCTAssertEqual(rig.headerLength, 12)
        // Transmit: the frame starts right after 12 header bytes.
        let frame = Packet.udp4(Array("ping".utf8))
        rig.send(frame, header: FakeVirtioDriver.netHeader(length: 12))
        XCTAssertEqual(rig.backend.frames, [frame])
        // Receive: header (num_buffers = 1) then the frame.
        let buffer = rig.postReceive(1, size: 2048)[0]
        rig.backend.deliver(frame)
        XCTAssertEqual(rig.driver.takeUsed(0).map(\.length), [UInt32(12 + frame.count)])
        XCTAssertEqual(rig.driver.get(buffer + 10, 2), [1, 0], "num_buffers")
        XCTAssertEqual(rig.driver.get(buffer + 12, frame.count), frame)
    }

    func testModernWithoutMergeableBuffersStillHasTwelveByteHeaders() {
        let rig = NetRig(without: VirtioNet.featureMergeableBuffers)
        XCTAssertEqual(rig.headerLength, 12, "VERSION_1 alone makes num_buffers part of the header")
        let frame = Packet.tcp4([1, 2, 3])
        let buffer = rig.postReceive(1, size: 1600)[0]
        rig.backend.deliver(frame)
        XCTAssertEqual(rig.driver.takeUsed(0).map(\.length), [UInt32(12 + frame.count)])
        XCTAssertEqual(rig.driver.get(buffer + 10, 2), [1, 0], "num_buffers is 1 without MRG_RXBUF")
        XCTAssertEqual(rig.driver.get(buffer + 12, frame.count), frame)
    }

    func testLegacyWithoutMergeableBuffersUsesTenByteHeaders() {
        let rig = NetRig(version: .legacy, without: VirtioNet.featureMergeableBuffers)
        XCTAssertEqual(rig.driver.read(0x004), 1, "legacy transport")
        XCTAssertEqual(rig.headerLength, 10)
        let frame = Packet.tcp6(Packet.pattern(100))
        // Linux's legacy driver puts the header in its own descriptor.
        rig.send(frame, header: FakeVirtioDriver.netHeader(length: 10), split: 4096)
        XCTAssertEqual(rig.backend.frames, [frame])
        let buffer = rig.postReceive(1, size: 1600)[0]
        rig.driver.put([UInt8](repeating: 0xEE, count: 16), at: buffer)
        rig.backend.deliver(frame)
        XCTAssertEqual(rig.driver.takeUsed(0).map(\.length), [UInt32(10 + frame.count)])
        XCTAssertEqual(rig.driver.get(buffer + 10, frame.count), frame, "the frame right after 10 header bytes")
    }

    func testLegacyWithMergeableBuffersUsesTwelveByteHeaders() {
        let rig = NetRig(version: .legacy)
        XCTAssertEqual(rig.headerLength, 12)
        let frame = Packet.udp6(Packet.pattern(50))
        rig.send(frame, header: FakeVirtioDriver.netHeader(length: 12))
        XCTAssertEqual(rig.backend.frames, [frame])
    }

    func testConfigSpaceHoldsMACStatusMTUAndSpeed() {
        let mac = VirtioNet.MACAddress("02:00:de:ad:be:ef")!
        let rig = NetRig(mac: mac, live: false)
        let t = rig.driver.transport!
        XCTAssertEqual((0..<6).map { UInt8(t.mmioRead(offset: 0x100 + $0, size: 1)) }, [0x02, 0x00, 0xDE, 0xAD, 0xBE, 0xEF])
        XCTAssertEqual(t.mmioRead(offset: 0x106, size: 2), 1, "status: VIRTIO_NET_S_LINK_UP")
        XCTAssertEqual(t.mmioRead(offset: 0x10A, size: 2), 1500, "mtu")
        XCTAssertEqual(t.mmioRead(offset: 0x10C, size: 4), 1000, "speed in Mb/s")
        XCTAssertEqual(t.mmioRead(offset: 0x110, size: 1), 1, "full duplex")
        XCTAssertEqual(mac.description, "02:00:de:ad:be:ef")
        XCTAssertEqual(VirtioNet.MACAddress.qemuDefault.description, "52:54:00:12:34:56")
        XCTAssertNil(VirtioNet.MACAddress("52:54:00:12:34"))
        XCTAssertNil(VirtioNet.MACAddress("52:54:00:12:34:zz"))
    }

    func testDeviceAttachesItselfToItsBackend() {
        let rig = NetRig(live: false)
        XCTAssertTrue(rig.backend.port === rig.net)
        XCTAssertEqual(rig.backend.started, 0, "starting the backend is the board's job")
    }
}
