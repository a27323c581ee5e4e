import XCTest
@testable import Devices

/// A guest driver gone wild: random chains (and random bytes scribbled over
/// the rings), random headers over real and random frames, random frames
/// from the backend, refusals and resets. The host must never trap, and the
/// backend must only ever see frames the device could have finished.
final class VirtioNetFuzzTests: XCTestCase {
    /// xorshift64*, so a failing seed can be replayed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27
            return state &* 0x2545_F491_4F6C_DD1D
        }
    }

    func testRandomDriversAndFramesNeverHurtTheHost() {
        let seed = UInt64.random(in: 1...UInt64.max)
        print("VirtioNetFuzzTests seed \(seed)")
        var g = Generator(state: seed)
        let offered = NetRig(live: false).driver.deviceFeatures()
        var total = VirtioNetStatistics()
        for round in 0..<20 {
            let version: VirtioMMIOTransport.Version = Bool.random(using: &g) ? .modern : .legacy
            var features = offered & UInt64.random(in: 0...UInt64.max, using: &g)
            if version == .modern { features |= Virtio.version1 }
            let rig = NetRig(version: version, features: features)
            for _ in 0..<150 { step(rig, &g) }
            for f in rig.backend.frames {
                XCTAssertTrue((14...VirtioNet.maxFrameLength).contains(f.count), "round \(round), seed \(seed)")
            }
            let s = rig.net.statistics
            total.transmittedFrames += s.transmittedFrames
            total.transmitSegmented += s.transmitSegmented
            total.receivedFrames += s.receivedFrames
            total.transmitDroppedBadGSO += s.transmitDroppedBadGSO
        }
        print("VirtioNetFuzzTests totals: \(total)")
        // The rounds got past the rings into the device's own work.
        XCTAssertGreaterThan(total.transmittedFrames, 0, "seed \(seed)")
        XCTAssertGreaterThan(total.receivedFrames, 0, "seed \(seed)")
    }

    func randomFrame(_ g: inout Generator) -> [UInt8] {
        let payload = (0..<Int.random(in: 0...3000, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
        switch Int.random(in: 0..<5, using: &g) {
        case 0: return Packet.tcp4(flags: UInt8.random(in: 0...255, using: &g), payload, partial: true)
        case 1: return Packet.tcp6(flags: UInt8.random(in: 0...255, using: &g), payload, partial: true)
        case 2: return Packet.udp4(Array(payload.prefix(1400)), partial: Bool.random(using: &g))
        default: return Array(payload.prefix(Int.random(in: 0...200, using: &g)))
        }
    }

    func step(_ rig: NetRig, _ g: inout Generator) {
        let d = rig.driver
        let area = FakeVirtioDriver.dataArea
        func address(_ g: inout Generator) -> UInt64 {
            // Mostly inside the data area, sometimes anywhere (outside RAM too).
            Int.random(in: 0..<20, using: &g) == 0 ? UInt64.random(in: 0...UInt64(UInt32.max), using: &g)
                : area + UInt64.random(in: 0..<0x7_0000, using: &g)
        }
        switch Int.random(in: 0..<10, using: &g) {
        case 0, 1:
            // A transmit chain: a random header over a real or random frame, in pieces.
            var frame = randomFrame(&g)
            if Bool.random(using: &g) { frame = Array(frame.prefix(Int.random(in: 0...frame.count, using: &g))) }
            let gso: [UInt8] = [0, 1, 3, 4, 5, 0x81]
            let header = FakeVirtioDriver.netHeader(
                flags: UInt8.random(in: 0...3, using: &g), gsoType: gso.randomElement(using: &g)!,
                gsoSize: Int.random(in: 0...2000, using: &g), csumStart: Int.random(in: 0...120, using: &g),
                csumOffset: Int.random(in: 0...40, using: &g), length: rig.headerLength)
            let bytes = header + frame
            let base = area + UInt64.random(in: 0..<0x3_0000, using: &g)
            d.put(bytes, at: base)
            let pieces = Int.random(in: 1...3, using: &g)
            var buffers: [(UInt64, Int, Bool)] = []
            var offset = 0
            for p in 0..<pieces {
                let n = p == pieces - 1 ? bytes.count - offset : Int.random(in: 0...(bytes.count - offset), using: &g)
                buffers.append((base + UInt64(offset), n, false))
                offset += n
            }
            d.submit(1, buffers)
        case 2, 3:
            // Receive chains of random sizes, sometimes with a readable piece.
            let count = Int.random(in: 1...3, using: &g)
            d.submit(0, (0..<count).map { _ in
                (area + 0x4_0000 + UInt64.random(in: 0..<0x3_0000, using: &g), Int.random(in: 0...2000, using: &g),
                 Int.random(in: 0..<10, using: &g) != 0)
            })
        case 4, 5:
            rig.backend.deliver(randomFrame(&g))
        case 6:
            // Random bytes over a descriptor, an available-ring slot or index.
            let l = d.layout(Int.random(in: 0...1, using: &g))
            let targets = [l.desc + 16 * UInt64.random(in: 0..<8, using: &g), l.avail + 2,
                           l.avail + 4 + 2 * UInt64.random(in: 0..<8, using: &g)]
            let at = targets.randomElement(using: &g)!
            d.put((0..<Int.random(in: 1...8, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }, at: at)
            d.write(0x050, UInt32.random(in: 0...2, using: &g))
        case 7:
            rig.backend.budget = Bool.random(using: &g) ? nil : Int.random(in: 0...3, using: &g)
            rig.net.transmitSpaceAvailable()
        case 8:
            // A single descriptor anywhere, including outside RAM.
            d.submit(Int.random(in: 0...1, using: &g), [(address(&g), Int.random(in: 0...0x2_0000, using: &g),
                                                         Bool.random(using: &g))])
        default:
            if Int.random(in: 0..<4, using: &g) == 0 || d.read(0x070) & Virtio.statusNeedsReset != 0 {
                d.write(0x070, 0)
                d.initialize(features: d.deviceFeatures() & FakeVirtioDriver.linuxNetFeatures)
            }
            _ = d.takeUsed(0)
            _ = d.takeUsed(1)
        }
    }
}
