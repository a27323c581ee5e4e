import Foundation
import XCTest
@testable import Devices

/// virtio-net receive: frames from the backend fill single chains or span
/// mergeable ones, carry DATA_VALID only when their checksum verifies, and
/// wait (bounded, with back-pressure to the backend) for buffers.
final class VirtioNetReceiveTests: XCTestCase {
    func header(_ rig: NetRig, _ buffer: UInt64) -> (flags: UInt8, numBuffers: Int) {
        let h = rig.driver.get(buffer, 12)
        return (h[0], Int(h[10]) | Int(h[11]) << 8)
    }

    func testFrameWaitsForABufferThenFillsIt() {
        let rig = NetRig(without: VirtioNet.featureMergeableBuffers)
        let frame = Packet.udp4(Packet.pattern(200))
        XCTAssertTrue(rig.backend.deliver(frame))
        XCTAssertTrue(rig.driver.takeUsed(0).isEmpty, "no buffer yet")
        XCTAssertFalse(rig.driver.interruptLevel)
        let buffer = rig.postReceive(1, size: 1526)[0]
        XCTAssertEqual(rig.driver.takeUsed(0).map(\.length), [UInt32(12 + frame.count)])
        XCTAssertEqual(rig.driver.get(buffer + 12, frame.count), frame)
        XCTAssertEqual(header(rig, buffer).numBuffers, 1)
        XCTAssertTrue(rig.driver.interruptLevel)
        XCTAssertEqual(rig.net.statistics.receivedFrames, 1)
        XCTAssertEqual(rig.net.statistics.receivedBytes, UInt64(frame.count))
    }

    func testReceiveIntoAChainOfSeveralDescriptors() {
        let rig = NetRig(without: VirtioNet.featureMergeableBuffers)
        let a = NetRig.rxArea, b = a + 0x1000
        // Header descriptor, then data, as Linux's "big packets" mode posts them.
        rig.driver.submit(0, [(a, 12, true), (b, 1514, true)])
        let frame = Packet.tcp4(Packet.pattern(500))
        rig.backend.deliver(frame)
        XCTAssertEqual(rig.driver.takeUsed(0).map(\.length), [UInt32(12 + frame.count)])
        XCTAssertEqual(rig.driver.get(b, frame.count), frame)
    }

    func testWithoutMergeableBuffersAFrameTooBigForAChainIsDroppedAndTheChainKept() {
        let rig = NetRig(without: VirtioNet.featureMergeableBuffers)
        let buffer = rig.postReceive(1, size: 100)[0]
        rig.backend.deliver(Packet.udp4(Packet.pattern(200)))
        XCTAssertTrue(rig.driver.takeUsed(0).isEmpty)
        XCTAssertEqual(rig.net.statistics.receiveDroppedOversize, 1)
        let small = Packet.udp4([7])
        rig.backend.deliver(small)
        XCTAssertEqual(rig.driver.takeUsed(0).map(\.length), [UInt32(12 + small.count)], "the chain took the next frame")
        XCTAssertEqual(rig.driver.get(buffer + 12, small.count), small)
    }

    func testMergeableFrameSpansChainsWithNumBuffers() {
        let rig = NetRig()
        let frame = Packet.tcp4(Packet.pattern(1400 - 54, seed: 5))
        XCTAssertEqual(frame.count, 1400)
        let buffers = rig.postReceive(3, size: 600)
        rig.backend.deliver(frame)
        let used = rig.driver.takeUsed(0)
        XCTAssertEqual(used.map(\.length), [600, 600, 212], "each chain filled before the next")
        XCTAssertEqual(header(rig, buffers[0]).numBuffers, 3)
        let data = rig.driver.get(buffers[0], 600) + rig.driver.get(buffers[1], 600) + rig.driver.get(buffers[2], 212)
        XCTAssertEqual(Array(data[12...]), frame)

        // A small frame takes one chain and says so.
        let more = rig.postReceive(1, size: 600, first: 3)
        rig.backend.deliver(Packet.udp4([1, 2]))
        XCTAssertEqual(rig.driver.takeUsed(0).count, 1)
        XCTAssertEqual(header(rig, more[0]).numBuffers, 1)
    }

    func testMergeableFrameWaitsUntilEnoughChainsAreAvailable() {
        let rig = NetRig()
        let frame = Packet.udp6(Packet.pattern(1400))
        let first = rig.postReceive(1, size: 600)
        rig.backend.deliver(frame)
        XCTAssertTrue(rig.driver.takeUsed(0).isEmpty, "one chain is not enough: it stays in the ring")
        let rest = rig.postReceive(2, size: 600, first: 1)
        XCTAssertEqual(rig.driver.takeUsed(0).map(\.length), [600, 600, UInt32(12 + frame.count - 1200)])
        XCTAssertEqual(header(rig, first[0]).numBuffers, 3)
        let data = rig.driver.get(first[0], 600) + rig.driver.get(rest[0], 600) + rig.driver.get(rest[1], 600)
        XCTAssertEqual(Array(data[12..<12 + frame.count]), frame)
    }

    func testMergeableFrameBiggerThanTheWholeRingIsDropped() {
        let rig = NetRig()
        rig.postReceive(Int(FakeVirtioDriver.queueSize), size: 64)
        rig.backend.deliver(Packet.udp4(Packet.pattern(1000)))
        XCTAssertEqual(rig.net.statistics.receiveDroppedOversize, 1)
        XCTAssertTrue(rig.driver.takeUsed(0).isEmpty, "no buffer was used for it")
        rig.backend.deliver(Packet.udp4([1]))
        XCTAssertEqual(rig.driver.takeUsed(0).count, 1, "the next frame gets through")
    }

    func testWithTheMTUFeatureLongerFramesAreDropped() {
        let rig = NetRig()
        let largest = Packet.udp4(Packet.pattern(1500 - 28)), tooLong = Packet.udp4(Packet.pattern(1500 - 27))
        XCTAssertEqual([largest.count, tooLong.count], [1514, 1515])
        rig.postReceive(2, size: 2048)
        rig.backend.deliver(tooLong)
        rig.backend.deliver(largest)
        XCTAssertEqual(rig.driver.takeUsed(0).map(\.length), [UInt32(12 + 1514)])
        XCTAssertEqual(rig.net.statistics.receiveDroppedOversize, 1)
        // A VLAN tag adds four bytes to what fits.
        let tagged = Array(largest[0..<12]) + [0x81, 0x00, 0x00, 0x05] + Array(largest[12...])
        rig.backend.deliver(tagged)
        XCTAssertEqual(rig.driver.takeUsed(0).map(\.length), [UInt32(12 + 1518)])

        // A driver that did not negotiate the MTU gets the long frame.
        let free = NetRig(without: VirtioNet.featureMTU)
        free.postReceive(2, size: 2048)
        free.backend.deliver(tooLong)
        XCTAssertEqual(free.driver.takeUsed(0).map(\.length), [UInt32(12 + 1515)])
    }

    func testDataValidOnlyForFramesWhoseChecksumVerifies() {
        let rig = NetRig()
        var corrupt = Packet.tcp4(Packet.pattern(300))
        corrupt[100] ^= 0x40
        var badIPHeader = Packet.udp4(Packet.pattern(20))
        badIPHeader[22] = 1   // TTL changed: header checksum no longer matches
        var udpNoChecksum = Packet.udp4(Packet.pattern(20))
        udpNoChecksum[40] = 0; udpNoChecksum[41] = 0
        var padded = Packet.udp4([9])   // Ethernet padding after the IP packet
        padded += [UInt8](repeating: 0xAA, count: 60 - padded.count)
        let cases: [(String, [UInt8], Bool)] = [
            ("TCP/IPv4", Packet.tcp4(Packet.pattern(300)), true),
            ("TCP/IPv6", Packet.tcp6(Packet.pattern(301)), true),
            ("UDP/IPv4", Packet.udp4(Packet.pattern(99)), true),
            ("UDP/IPv6", Packet.udp6(Packet.pattern(98)), true),
            ("padded UDP/IPv4", padded, true),
            ("corrupt TCP", corrupt, false),
            ("bad IPv4 header", badIPHeader, false),
            ("UDP without checksum", udpNoChecksum, false),
            ("ARP", Packet.ethernet(0x0806, Packet.pattern(28)), false),
        ]
        for (name, frame, valid) in cases {
            let buffer = rig.postReceive(1, size: 2048)[0]
            rig.backend.deliver(frame)
            XCTAssertEqual(rig.driver.takeUsed(0).count, 1, name)
            XCTAssertEqual(header(rig, buffer).flags, valid ? 2 : 0, name)
            XCTAssertEqual(rig.driver.get(buffer + 12, frame.count), frame, "\(name): delivered unchanged")
        }

        XCTAssertEqual(rig.net.statistics.receiveChecksumVerified, UInt64(cases.filter(\.2).count))

        // Without GUEST_CSUM the device never sets flags.
        let plain = NetRig(without: VirtioNet.featureGuestChecksum)
        let buffer = plain.postReceive(1, size: 2048)[0]
        plain.backend.deliver(Packet.tcp4(Packet.pattern(300)))
        XCTAssertEqual(header(plain, buffer).flags, 0)
    }

    func testBackPressureLosesNothingAndKeepsOrder() {
        let rig = NetRig()
        func frame(_ n: Int) -> [UInt8] { Packet.udp4(Packet.be16(n) + Packet.pattern(40, seed: n)) }
        var offered = 0
        while rig.backend.deliver(frame(offered)) { offered += 1 }
        XCTAssertEqual(offered, VirtioNet.pendingCapacity, "the device holds a bounded number of frames")
        XCTAssertFalse(rig.backend.deliver(frame(offered)), "still full")
        XCTAssertEqual(rig.backend.receiveSpaceCalls, 0)
        XCTAssertEqual(rig.net.statistics.dropped, 0)

        // The guest drains the queue a ring-full at a time; the backend is
        // told once, at the low-water mark, and then offers the rest.
        var received: [[UInt8]] = []
        var resumedAt: Int?
        let total = VirtioNet.pendingCapacity + 100
        while received.count < total {
            let buffers = rig.postReceive(Int(FakeVirtioDriver.queueSize), size: 256, notify: false)
            rig.driver.write(0x050, 0)
            let used = rig.driver.takeUsed(0)
            XCTAssertFalse(used.isEmpty, "progress")
            if used.isEmpty { break }
            for (i, u) in used.enumerated() {
                received.append(rig.driver.get(buffers[i] + 12, Int(u.length) - 12))
            }
            if resumedAt == nil && rig.backend.receiveSpaceCalls > 0 {
                resumedAt = received.count
                while offered < total && rig.backend.deliver(frame(offered)) { offered += 1 }
            }
        }
        XCTAssertEqual(rig.backend.receiveSpaceCalls, 1)
        XCTAssertEqual(resumedAt.map { VirtioNet.pendingCapacity - $0 <= VirtioNet.pendingLowWater }, true,
                       "resumed once the queue was down to the low-water mark")
        XCTAssertEqual(received, (0..<total).map(frame), "every frame, once, in order")
        XCTAssertEqual(rig.net.statistics.receivedFrames, UInt64(total))
        XCTAssertEqual(rig.net.statistics.dropped, 0)
    }

    @Sendable static func numberedFrame(_ n: Int) -> [UInt8] { Packet.udp4(Packet.be16(n) + Packet.pattern(60, seed: n)) }

    /// A backend thread delivers (and waits when refused) while the driver
    /// posts buffers on another: every frame arrives once, in order.
    func testConcurrentDeliveryFromABackendThread() {
        let rig = NetRig()
        let total = 4000   // a multiple of the ring size
        let frame = Self.numberedFrame
        let space = DispatchSemaphore(value: 0)
        rig.backend.onReceiveSpace = { space.signal() }
        let finished = DispatchSemaphore(value: 0)
        let backend = rig.backend
        let backendThread = Thread {
            var n = 0
            while n < total {
                if backend.deliver(frame(n)) { n += 1 } else { _ = space.wait(timeout: .now() + 10) }
            }
            finished.signal()
        }
        backendThread.start()

        let deadline = Date().addingTimeInterval(30)
        // Let the backend run into a full queue first, so back-pressure is exercised.
        while rig.net.statistics.receiveQueueFull == 0 && Date() < deadline { usleep(100) }
        XCTAssertGreaterThan(rig.net.statistics.receiveQueueFull, 0)
        var received: [[UInt8]] = []
        while received.count < total && Date() < deadline {
            let ring = Int(FakeVirtioDriver.queueSize)
            let buffers = rig.postReceive(ring, size: 256, notify: false)
            rig.driver.write(0x050, 0)
            var used: [(id: UInt32, length: UInt32)] = []
            while used.count < ring && Date() < deadline {
                used += rig.driver.takeUsed(0)
                if used.count < ring { usleep(50) }
            }
            for (i, u) in used.enumerated() { received.append(rig.driver.get(buffers[i] + 12, Int(u.length) - 12)) }
        }
        XCTAssertEqual(finished.wait(timeout: .now() + 10), .success, "the backend thread finished")
        XCTAssertEqual(received.count, total)
        XCTAssertTrue(received == (0..<total).map(frame), "every frame, once, in order")
        XCTAssertEqual(rig.net.statistics.dropped, 0)
        XCTAssertEqual(rig.net.statistics.receivedFrames, UInt64(total))
    }

    func testFramesBeforeTheDriverIsReadyAreDropped() {
        let rig = NetRig(live: false)
        XCTAssertTrue(rig.backend.deliver(Packet.udp4([1])), "accepted (and dropped): no back-pressure from a dead NIC")
        XCTAssertEqual(rig.net.statistics.receiveDroppedNotReady, 1)
        rig.driver.initialize(features: rig.driver.deviceFeatures() & FakeVirtioDriver.linuxNetFeatures)
        rig.postReceive(1, size: 2048)
        XCTAssertTrue(rig.driver.takeUsed(0).isEmpty, "the stale frame is gone")
        let fresh = Packet.udp4([2])
        rig.backend.deliver(fresh)
        XCTAssertEqual(rig.driver.get(NetRig.rxArea + 12, fresh.count), fresh)
    }
}
