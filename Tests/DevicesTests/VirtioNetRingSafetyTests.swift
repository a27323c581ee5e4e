import XCTest
@testable import Devices

/// A guest that breaks virtio-net's rings gets DEVICE_NEEDS_RESET, not a
/// crashed or hung host, and a reset leaves no stale state behind.
final class VirtioNetRingSafetyTests: XCTestCase {
    func assertNeedsReset(_ rig: NetRig, _ error: VirtqueueError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(rig.driver.read(0x070) & Virtio.statusNeedsReset, 0, "DEVICE_NEEDS_RESET", file: file, line: line)
        XCTAssertEqual(rig.driver.transport.lastRingError, error, file: file, line: line)
        XCTAssertEqual(rig.driver.read(0x060) & 2, 2, "configuration-change interrupt", file: file, line: line)
        XCTAssertTrue(rig.driver.takeUsed(0).isEmpty, file: file, line: line)
        XCTAssertTrue(rig.driver.takeUsed(1).isEmpty, file: file, line: line)
    }

    /// Resets and re-initialises the device, then checks it passes a frame each way.
    func assertWorksAfterReset(_ rig: NetRig, file: StaticString = #filePath, line: UInt = #line) {
        rig.driver.write(0x070, 0)
        XCTAssertEqual(rig.driver.read(0x070), 0, file: file, line: line)
        rig.driver.initialize(features: rig.driver.deviceFeatures() & FakeVirtioDriver.linuxNetFeatures)
        rig.backend.frames = []
        let out = Packet.udp4(Array("out".utf8)), incoming = Packet.udp4(Array("in".utf8))
        rig.send(out)
        XCTAssertEqual(rig.backend.frames, [out], file: file, line: line)
        let buffer = rig.postReceive(1, size: 2048)[0]
        rig.backend.deliver(incoming)
        XCTAssertEqual(rig.driver.takeUsed(0).count, 1, file: file, line: line)
        XCTAssertEqual(rig.driver.get(buffer + 12, incoming.count), incoming, file: file, line: line)
    }

    func testTransmitDescriptorOutOfRange() {
        let rig = NetRig()
        rig.driver.makeAvailable(1, head: FakeVirtioDriver.queueSize + 3)
        assertNeedsReset(rig, .descriptorOutOfRange)
        XCTAssertTrue(rig.backend.frames.isEmpty)
        assertWorksAfterReset(rig)
    }

    func testLoopInATransmitChain() {
        let rig = NetRig()
        let table = rig.driver.layout(1).desc
        rig.driver.put(FakeVirtioDriver.netHeader() + Packet.udp4([1]), at: NetRig.txArea)
        rig.driver.putDescriptor(table: table, 0, address: NetRig.txArea, length: 20, flags: 1, next: 1)
        rig.driver.putDescriptor(table: table, 1, address: NetRig.txArea + 20, length: 35, flags: 1, next: 0)
        rig.driver.makeAvailable(1, head: 0)
        assertNeedsReset(rig, .chainTooLong)
        XCTAssertTrue(rig.backend.frames.isEmpty)
        assertWorksAfterReset(rig)
    }

    func testTransmitBufferOutsideRAM() {
        let rig = NetRig()
        rig.driver.submit(1, [(0x1000, 64, false)])
        assertNeedsReset(rig, .bufferOutsideRAM)
        assertWorksAfterReset(rig)
    }

    func testReceiveBufferOutsideRAMWithAFramePending() {
        let rig = NetRig()
        rig.backend.deliver(Packet.udp4([1]))
        let end = FakeVirtioDriver.ramBase + UInt64(FakeVirtioDriver.ramSize)
        rig.driver.submit(0, [(end - 8, 2048, true)])
        assertNeedsReset(rig, .bufferOutsideRAM)
        assertWorksAfterReset(rig)
    }

    func testBrokenSecondMergeableChainUsesNone() {
        let rig = NetRig()
        // A good first chain, then a head beyond the table: the frame needs both.
        rig.postReceive(1, size: 600, notify: false)
        rig.driver.makeAvailable(0, head: FakeVirtioDriver.queueSize, notify: false)
        rig.backend.deliver(Packet.udp4(Packet.pattern(1000)))
        assertNeedsReset(rig, .descriptorOutOfRange)
        assertWorksAfterReset(rig)
    }

    func testReceiveIndexJump() {
        let rig = NetRig()
        rig.driver.setAvailableIndex(0, FakeVirtioDriver.queueSize + 1)
        rig.backend.deliver(Packet.udp4([1]))
        assertNeedsReset(rig, .availableIndexJumped)
        assertWorksAfterReset(rig)
    }

    func testNotificationsAfterNeedsResetAreIgnored() {
        let rig = NetRig()
        rig.driver.makeAvailable(1, head: 200)
        assertNeedsReset(rig, .descriptorOutOfRange)
        rig.backend.deliver(Packet.udp4([1]))
        rig.send(Packet.udp4([2]))
        rig.net.transmitSpaceAvailable()
        XCTAssertTrue(rig.backend.frames.isEmpty)
        XCTAssertTrue(rig.driver.takeUsed(1).isEmpty)
    }

    func testResetClearsPendingFramesAndReleasesAWaitingBackend() {
        let rig = NetRig()
        while rig.backend.deliver(Packet.udp4([0xAA])) {}
        XCTAssertEqual(rig.backend.receiveSpaceCalls, 0)
        rig.driver.write(0x070, 0)
        XCTAssertEqual(rig.backend.receiveSpaceCalls, 1, "the backend may offer frames again")
        rig.driver.initialize(features: rig.driver.deviceFeatures() & FakeVirtioDriver.linuxNetFeatures)
        let buffer = rig.postReceive(1, size: 2048)[0]
        XCTAssertTrue(rig.driver.takeUsed(0).isEmpty, "frames for the previous driver are gone")
        let fresh = Packet.udp4([0xBB])
        rig.backend.deliver(fresh)
        XCTAssertEqual(rig.driver.takeUsed(0).count, 1)
        XCTAssertEqual(rig.driver.get(buffer + 12, fresh.count), fresh)
    }
}
