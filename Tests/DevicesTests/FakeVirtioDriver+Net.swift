import Foundation
@testable import Devices

/// A network backend for tests: records what the guest sent, refuses frames
/// on demand, and counts the device's calls back.
final class FakeNetworkBackend: NetworkBackend, @unchecked Sendable {
    private(set) weak var port: NetworkPort?
    /// Frames the backend accepted, in order.
    var frames: [[UInt8]] = []
    /// How many more frames `transmit` accepts (nil: unlimited).
    var budget: Int?
    var refusals = 0
    var receiveSpaceCalls = 0
    /// Also run by `receiveSpaceAvailable` (a threaded test wakes its backend thread).
    var onReceiveSpace: () -> Void = {}
    var started = 0, stopped = 0

    func attach(_ port: NetworkPort) { self.port = port }
    func start() throws { started += 1 }
    func stop() { stopped += 1 }
    func receiveSpaceAvailable() {
        receiveSpaceCalls += 1
        onReceiveSpace()
    }

    func transmit(_ frame: UnsafeRawBufferPointer) -> Bool {
        if let b = budget {
            guard b > 0 else { refusals += 1; return false }
            budget = b - 1
        }
        frames.append(Array(frame))
        return true
    }

    /// Offers `frame` to the device as a backend's event loop would.
    @discardableResult
    func deliver(_ frame: [UInt8]) -> Bool { frame.withUnsafeBytes { port!.deliver($0) } }
}

/// Frames built by hand from RFC 791/793/768/8200, with the test's own
/// RFC 1071 checksum, so the device's results are checked independently.
enum Packet {
    static let guestMAC: [UInt8] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56]
    static let hostMAC: [UInt8] = [0x52, 0x55, 0x0A, 0x00, 0x02, 0x02]
    static let src4: [UInt8] = [10, 0, 2, 15], dst4: [UInt8] = [10, 0, 2, 2]
    static let src6: [UInt8] = [0xFE, 0x80] + [UInt8](repeating: 0, count: 12) + [0x12, 0x34]
    static let dst6: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [0x02]

    /// RFC 1071: the ones'-complement of the ones'-complement sum of 16-bit words.
    static func checksum(_ data: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        for i in stride(from: 0, to: data.count, by: 2) {
            let word = UInt32(data[i]) << 8 | (i + 1 < data.count ? UInt32(data[i + 1]) : 0)
            sum += word
            sum = (sum & 0xFFFF) + (sum >> 16)   // end-around carry at every step
        }
        return ~UInt16(sum)
    }

    static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { be16(Int(v >> 16)) + be16(Int(v & 0xFFFF)) }
    static func read16(_ b: [UInt8], _ at: Int) -> Int { Int(b[at]) << 8 | Int(b[at + 1]) }
    static func read32(_ b: [UInt8], _ at: Int) -> UInt32 { UInt32(read16(b, at)) << 16 | UInt32(read16(b, at + 2)) }

    static func ethernet(_ type: Int, _ payload: [UInt8]) -> [UInt8] { hostMAC + guestMAC + be16(type) + payload }

    static func pseudo4(_ proto: UInt8, _ length: Int) -> [UInt8] { src4 + dst4 + [0, proto] + be16(length) }
    static func pseudo6(_ proto: UInt8, _ length: Int) -> [UInt8] {
        src6 + dst6 + be32(UInt32(length)) + [0, 0, 0, proto]
    }

    static func ipv4(_ proto: UInt8, _ payload: [UInt8], id: Int = 0x1234) -> [UInt8] {
        var h = [0x45, 0] + be16(20 + payload.count) + be16(id) + [0x40, 0] + [64, proto, 0, 0] + src4 + dst4
        let c = checksum(h)
        h[10] = UInt8(c >> 8); h[11] = UInt8(c & 0xFF)
        return h + payload
    }

    static func ipv6(_ next: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0x60, 0, 0, 0] + be16(payload.count) + [next, 64] + src6 + dst6 + payload
    }

    /// A TCP segment with a correct checksum over `pseudo`, or (partial) with
    /// the pseudo-header sum in the checksum field, as a driver leaves it for
    /// NEEDS_CSUM.
    static func tcp(seq: UInt32, flags: UInt8, _ payload: [UInt8], pseudo: (UInt8, Int) -> [UInt8],
                    partial: Bool = false) -> [UInt8] {
        var t = be16(40000) + be16(80) + be32(seq) + be32(77) + [0x50, flags] + be16(65535) + [0, 0, 0, 0] + payload
        let c = partial ? ~checksum(pseudo(6, t.count)) : checksum(pseudo(6, t.count) + t)
        t[16] = UInt8(c >> 8); t[17] = UInt8(c & 0xFF)
        return t
    }

    static func udp(_ payload: [UInt8], pseudo: (UInt8, Int) -> [UInt8], partial: Bool = false) -> [UInt8] {
        var u = be16(5353) + be16(53) + be16(8 + payload.count) + [0, 0] + payload
        var c = partial ? ~checksum(pseudo(17, u.count)) : checksum(pseudo(17, u.count) + u)
        if !partial && c == 0 { c = 0xFFFF }
        u[6] = UInt8(c >> 8); u[7] = UInt8(c & 0xFF)
        return u
    }

    static func tcp4(seq: UInt32 = 1000, flags: UInt8 = 0x18, _ payload: [UInt8], partial: Bool = false, id: Int = 0x1234) -> [UInt8] {
        ethernet(0x0800, ipv4(6, tcp(seq: seq, flags: flags, payload, pseudo: pseudo4, partial: partial), id: id))
    }

    static func tcp6(seq: UInt32 = 1000, flags: UInt8 = 0x18, _ payload: [UInt8], partial: Bool = false) -> [UInt8] {
        ethernet(0x86DD, ipv6(6, tcp(seq: seq, flags: flags, payload, pseudo: pseudo6, partial: partial)))
    }

    static func udp4(_ payload: [UInt8], partial: Bool = false) -> [UInt8] {
        ethernet(0x0800, ipv4(17, udp(payload, pseudo: pseudo4, partial: partial)))
    }

    static func udp6(_ payload: [UInt8], partial: Bool = false) -> [UInt8] {
        ethernet(0x86DD, ipv6(17, udp(payload, pseudo: pseudo6, partial: partial)))
    }

    /// Bytes 0, 1, 2… (mod 251, so segment boundaries do not line up with the pattern).
    static func pattern(_ n: Int, seed: Int = 0) -> [UInt8] { (0..<n).map { UInt8(($0 + seed) % 251) } }

    /// Whether a frame without VLAN tag has a valid IPv4 header checksum (IPv6: true).
    static func ipHeaderValid(_ f: [UInt8]) -> Bool {
        read16(f, 12) == 0x86DD || checksum(Array(f[14..<34])) == 0
    }

    /// Whether a frame's TCP or UDP checksum verifies over the pseudo-header.
    static func transportChecksumValid(_ f: [UInt8]) -> Bool {
        let v6 = read16(f, 12) == 0x86DD
        let l4 = v6 ? 54 : 34
        let proto = v6 ? f[20] : f[23]
        let length = f.count - l4
        let pseudo = v6 ? Array(f[22..<54]) + be32(UInt32(length)) + [0, 0, 0, proto]
                        : Array(f[26..<34]) + [0, proto] + be16(length)
        return checksum(pseudo + Array(f[l4...])) == 0
    }
}

extension FakeVirtioDriver {
    /// Feature bits Linux's virtio_net driver knows (its feature table plus
    /// the ring and transport bits it accepts), to negotiate as Linux does.
    static let linuxNetFeatures: UInt64 = [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                                           21, 22, 23, 28, 29, 32, 62, 63].reduce(0) { $0 | 1 << $1 }

    /// A virtio-net header of `length` (10 or 12) bytes.
    static func netHeader(flags: UInt8 = 0, gsoType: UInt8 = 0, headerLength: Int = 0, gsoSize: Int = 0,
                          csumStart: Int = 0, csumOffset: Int = 0, length: Int = 12) -> [UInt8] {
        func le(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
        let h = [flags, gsoType] + le(headerLength) + le(gsoSize) + le(csumStart) + le(csumOffset) + [0, 0]
        return Array(h.prefix(length))
    }
}

/// A virtio-net device, its fake backend and a fake driver that brought it up.
struct NetRig {
    let driver: FakeVirtioDriver
    let net: VirtioNet
    let backend: FakeNetworkBackend
    /// Where transmit frames and receive buffers go in the driver's RAM.
    static let txArea = FakeVirtioDriver.dataArea
    static let rxArea = FakeVirtioDriver.dataArea + 0x4_0000

    /// Negotiates `features` (default: what Linux would, i.e. the offered
    /// bits it knows; `without` removes some) and sets DRIVER_OK unless `live` is false.
    init(version: VirtioMMIOTransport.Version = .modern, features: UInt64? = nil, without: UInt64 = 0,
         mac: VirtioNet.MACAddress = .qemuDefault, live: Bool = true) {
        backend = FakeNetworkBackend()
        net = VirtioNet(macAddress: mac, backend: backend)
        driver = FakeVirtioDriver()
        net.transport = driver.attach(net, version: version)
        guard live else { return }
        var accepted = features ?? (driver.deviceFeatures() & FakeVirtioDriver.linuxNetFeatures)
        accepted &= ~without
        if version == .legacy { accepted &= 0xFFFF_FFFF }
        let status = driver.initialize(features: accepted)
        precondition(status & Virtio.statusDriverOK != 0, "driver brought the device up")
    }

    /// The negotiated header length.
    var headerLength: Int { net.headerLength }

    /// Sends `frame` behind `header` (default: a header with nothing to do)
    /// as one chain; `split` puts the header in its own descriptor and the
    /// frame in pieces of at most that many bytes.
    @discardableResult
    func send(_ frame: [UInt8], header: [UInt8]? = nil, split: Int? = nil, at area: UInt64 = NetRig.txArea) -> UInt16 {
        let h = header ?? FakeVirtioDriver.netHeader(length: headerLength)
        var buffers: [(UInt64, Int, Bool)] = []
        if let piece = split {
            driver.put(h, at: area)
            buffers.append((area, h.count, false))
            var offset = 0, address = area + 0x100
            while offset < frame.count {
                let n = min(piece, frame.count - offset)
                driver.put(Array(frame[offset..<offset + n]), at: address)
                buffers.append((address, n, false))
                offset += n
                address += UInt64(n) + 0x40   // gaps between the pieces
            }
        } else {
            driver.put(h + frame, at: area)
            buffers.append((area, h.count + frame.count, false))
        }
        return driver.submit(1, buffers)
    }

    /// Posts `count` receive chains of `size` bytes each (one descriptor), the
    /// n-th at rxArea + n·stride; returns their addresses.
    @discardableResult
    func postReceive(_ count: Int, size: Int, stride: UInt64 = 0x2000, first: Int = 0, notify: Bool = true) -> [UInt64] {
        (first..<first + count).map { n in
            let a = NetRig.rxArea + UInt64(n) * stride
            driver.submit(0, [(a, size, true)], notify: notify)
            return a
        }
    }
}
