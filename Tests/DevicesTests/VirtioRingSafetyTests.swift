import XCTest
@testable import Devices

/// A guest that breaks its rings must not crash or hang the host: the
/// device sets DEVICE_NEEDS_RESET (§2.1.2) and works again after a reset.
final class VirtioRingSafetyTests: XCTestCase {
    static let buffer = FakeVirtioDriver.dataArea

    /// A live entropy device on the modern interface.
    func liveRNG(_ version: VirtioMMIOTransport.Version = .modern) -> FakeVirtioDriver {
        let d = FakeVirtioDriver()
        _ = d.attach(VirtioRNG(), version: version)
        XCTAssertNotEqual(d.initialize() & Virtio.statusDriverOK, 0)
        return d
    }

    /// Asserts the device gave up on the ring with `error`, told the driver,
    /// used nothing, and recovers after a reset.
    func assertNeedsReset(_ d: FakeVirtioDriver, _ error: VirtqueueError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(d.read(0x070) & Virtio.statusNeedsReset, 0, "DEVICE_NEEDS_RESET", file: file, line: line)
        XCTAssertEqual(d.read(0x060) & 2, 2, "configuration-change interrupt", file: file, line: line)
        XCTAssertTrue(d.interruptLevel, file: file, line: line)
        XCTAssertEqual(d.transport.lastRingError, error, file: file, line: line)
        XCTAssertTrue(d.takeUsed(0).isEmpty, "nothing used from a broken ring", file: file, line: line)
        // Further notifications are ignored until the driver resets the device.
        d.write(0x050, 0)
        XCTAssertTrue(d.takeUsed(0).isEmpty, file: file, line: line)
        d.write(0x070, 0)
        XCTAssertEqual(d.read(0x070), 0, "reset", file: file, line: line)
        XCTAssertFalse(d.interruptLevel, "reset lowers the interrupt", file: file, line: line)
        XCTAssertNotEqual(d.initialize() & Virtio.statusDriverOK, 0, file: file, line: line)
        d.submit(0, [(Self.buffer, 16, true)])
        XCTAssertEqual(d.takeUsed(0).map(\.length), [16], "the device works after the reset", file: file, line: line)
    }

    func testBufferOutsideGuestRAM() {
        let d = liveRNG()
        d.submit(0, [(0x1000, 64, true)])
        assertNeedsReset(d, .bufferOutsideRAM)
    }

    func testBufferRunningPastTheEndOfRAM() {
        let d = liveRNG()
        let end = FakeVirtioDriver.ramBase + UInt64(FakeVirtioDriver.ramSize)
        d.submit(0, [(end - 16, 32, true)])
        assertNeedsReset(d, .bufferOutsideRAM)
    }

    func testAddressThatWrapsAround() {
        let d = liveRNG()
        d.submit(0, [(0xFFFF_FFFF_FFFF_FFF0, 0x1000_0000, true)])
        assertNeedsReset(d, .bufferOutsideRAM)
    }

    func testLoopInADescriptorChain() {
        let d = liveRNG()
        let table = d.layout(0).desc
        d.putDescriptor(table: table, 0, address: Self.buffer, length: 8, flags: 1 | 2, next: 1)
        d.putDescriptor(table: table, 1, address: Self.buffer, length: 8, flags: 1 | 2, next: 0)
        d.makeAvailable(0, head: 0)
        assertNeedsReset(d, .chainTooLong)
    }

    func testNextIndexBeyondTheQueue() {
        let d = liveRNG()
        d.putDescriptor(table: d.layout(0).desc, 0, address: Self.buffer, length: 8, flags: 1 | 2, next: 200)
        d.makeAvailable(0, head: 0)
        assertNeedsReset(d, .descriptorOutOfRange)
    }

    func testHeadIndexBeyondTheQueue() {
        let d = liveRNG()
        d.makeAvailable(0, head: FakeVirtioDriver.queueSize)
        assertNeedsReset(d, .descriptorOutOfRange)
    }

    func testAvailableIndexJumpingPastTheQueueSize() {
        let d = liveRNG()
        d.setAvailableIndex(0, FakeVirtioDriver.queueSize + 1)
        d.write(0x050, 0)
        assertNeedsReset(d, .availableIndexJumped)
    }

    func testIndirectTableLoopAndNesting() {
        let d = liveRNG()
        let table = FakeVirtioDriver.dataArea + 0x1000
        d.putDescriptor(table: table, 0, address: Self.buffer, length: 8, flags: 1 | 2, next: 1)
        d.putDescriptor(table: table, 1, address: Self.buffer, length: 8, flags: 1 | 2, next: 0)
        d.putDescriptor(table: d.layout(0).desc, 0, address: table, length: 32, flags: 4, next: 0)
        d.makeAvailable(0, head: 0)
        assertNeedsReset(d, .chainTooLong)

        d.putDescriptor(table: table, 0, address: table, length: 16, flags: 4, next: 0)
        d.putDescriptor(table: d.layout(0).desc, 1, address: table, length: 16, flags: 4, next: 0)
        d.makeAvailable(0, head: 1)
        assertNeedsReset(d, .badIndirectDescriptor)
    }

    func testIndirectDescriptorsNeedTheFeature() {
        let d = FakeVirtioDriver()
        _ = d.attach(VirtioRNG(), version: .modern)
        d.initialize(features: Virtio.version1)
        d.submit(0, [(Self.buffer, 8, true)], indirectTable: FakeVirtioDriver.dataArea + 0x1000)
        assertNeedsReset(d, .badIndirectDescriptor)
    }

    func testRingsOutsideGuestRAM() {
        let d = FakeVirtioDriver()
        _ = d.attach(VirtioRNG(), version: .modern)
        d.initialize()
        // Reprogram the queue: the used ring straddles the end of RAM.
        d.write(0x070, 0)
        d.write(0x070, Virtio.statusAcknowledge | Virtio.statusDriver)
        d.write(0x024, 1); d.write(0x020, 1)
        d.write(0x070, Virtio.statusAcknowledge | Virtio.statusDriver | Virtio.statusFeaturesOK)
        d.write(0x030, 0)
        d.write(0x038, UInt32(FakeVirtioDriver.queueSize))
        let l = d.modernLayout(0)
        d.write(0x080, UInt32(l.desc)); d.write(0x090, UInt32(l.avail))
        d.write(0x0A0, UInt32(FakeVirtioDriver.ramBase) + UInt32(FakeVirtioDriver.ramSize) - 8)
        d.write(0x044, 1)
        d.write(0x070, 0x0F)
        d.write(0x050, 0)
        XCTAssertNotEqual(d.read(0x070) & Virtio.statusNeedsReset, 0)
        XCTAssertEqual(d.transport.lastRingError, .ringOutsideRAM)
    }

    func testQueueAddressesCannotChangeWhileReady() {
        let d = liveRNG()
        d.write(0x030, 0)
        d.write(0x080, 0x1234)
        d.submit(0, [(Self.buffer, 8, true)])
        XCTAssertEqual(d.takeUsed(0).count, 1, "the ready queue kept its descriptor table")
    }

    func testNotifyingQueuesThatDoNotExistIsHarmless() {
        let d = liveRNG()
        d.write(0x050, 7)
        d.write(0x050, 0xFFFF_FFFF)
        XCTAssertEqual(d.read(0x070) & Virtio.statusNeedsReset, 0)
    }
}

/// virtio-rng and virtio-console.
final class VirtioRNGAndConsoleTests: XCTestCase {
    func testEntropyFillsEveryWritableByte() {
        let d = FakeVirtioDriver()
        _ = d.attach(VirtioRNG(), version: .legacy)
        XCTAssertEqual(d.read(0x008), 4, "DeviceID: entropy")
        d.initialize()
        let a = FakeVirtioDriver.dataArea, b = a + 0x100
        d.submit(0, [(a, 100, true), (b, 28, true)])
        XCTAssertEqual(d.takeUsed(0).map(\.length), [128])
        XCTAssertNotEqual(d.get(a, 100), [UInt8](repeating: 0, count: 100))
        XCTAssertNotEqual(d.get(b, 28), [UInt8](repeating: 0, count: 28))
        XCTAssertEqual(d.get(a + 100, 4), [0, 0, 0, 0], "nothing beyond the buffer")
    }

    func testConsoleTransmitsToTheSinkAndReceivesInput() {
        var out: [UInt8] = []
        let console = VirtioConsole { out.append($0) }
        let d = FakeVirtioDriver()
        console.transport = d.attach(console, version: .modern)
        XCTAssertEqual(d.read(0x008), 3, "DeviceID: console")
        d.initialize()
        let tx = FakeVirtioDriver.dataArea, rx = tx + 0x1000
        d.put(Array("hello, ".utf8), at: tx)
        d.put(Array("hvc0\n".utf8), at: tx + 0x100)
        d.submit(1, [(tx, 7, false), (tx + 0x100, 5, false)])
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "hello, hvc0\n")
        XCTAssertEqual(d.takeUsed(1).map(\.length), [0])

        // A receive buffer waits for input; input then fills it.
        d.submit(0, [(rx, 16, true)])
        XCTAssertTrue(d.takeUsed(0).isEmpty)
        d.write(0x064, d.read(0x060))
        console.receive(Array("ls\n".utf8))
        XCTAssertEqual(d.takeUsed(0).map(\.length), [3])
        XCTAssertEqual(d.get(rx, 3), Array("ls\n".utf8))
        XCTAssertTrue(d.interruptLevel)

        // Input with no buffer waits for the next one.
        console.receive(Array("pwd".utf8))
        d.submit(0, [(rx, 2, true)])
        d.submit(0, [(rx + 0x100, 16, true)])
        XCTAssertEqual(d.takeUsed(0).map(\.length), [2, 1])
        XCTAssertEqual(d.get(rx, 2) + d.get(rx + 0x100, 1), Array("pwd".utf8))
    }
}
