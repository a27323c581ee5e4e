/// TCP segmentation offload done by the device (VIRTIO_NET_F_HOST_TSO4/6):
/// a GSO frame — one set of Ethernet/IP/TCP headers in front of up to 64 KiB
/// of payload — becomes frames of at most `gso_size` payload bytes each, as
/// if the guest's TCP had sent them, so backends only see ordinary frames.
/// IPv6 extension headers are not supported (such frames are refused).
struct TCPSegmentation {
    static let fin: UInt8 = 0x01, psh: UInt8 = 0x08, cwr: UInt8 = 0x80

    /// Number of segments (at least one, even for a frame without payload).
    let count: Int
    private let frame: [UInt8]
    private let layout: FrameLayout
    private let headersEnd: Int
    private let mss: Int
    private let sequence: UInt32
    private let ipID: UInt16
    private let flags: UInt8

    /// Plans the segmentation of `frame`; `nil` if it is not a TCP frame of
    /// the IP version `gsoType` names, its headers do not fit, or `mss` is 0.
    /// Segments are built one at a time (`segment(_:)`), so a transmission
    /// the backend interrupts can resume without rebuilding the earlier ones.
    init?(_ frame: [UInt8], gsoType: UInt8, mss: Int) {
        guard mss > 0, let layout = FrameLayout(frame[...], lengthFromIP: false), layout.proto == FrameLayout.tcp,
              layout.isIPv6 == (gsoType == VirtioNetHeader.gsoTCPv6), !layout.isFragment,
              layout.l4 + 20 <= frame.count,
              frame.count - layout.l3 <= 0xFFFF else { return nil }   // the IP length fields must hold it
        let tcpLength = Int(frame[layout.l4 + 12] >> 4) * 4
        headersEnd = layout.l4 + tcpLength
        guard tcpLength >= 20, headersEnd <= frame.count else { return nil }
        self.frame = frame
        self.layout = layout
        self.mss = mss
        count = max(1, (frame.count - headersEnd + mss - 1) / mss)
        sequence = Self.be32(frame, layout.l4 + 4)
        ipID = layout.isIPv6 ? 0 : Self.be16(frame, layout.l3 + 4)
        flags = frame[layout.l4 + 13]
    }

    /// Segment `i` (0 ..< `count`): the headers of the original with IPv4
    /// total length, ID (the original plus `i`) and header checksum, or IPv6
    /// payload length; TCP sequence number advanced by the payload before
    /// it, FIN and PSH only on the last segment, CWR only on the first, and a
    /// full TCP checksum (computed here: the driver's partial sum is not needed).
    func segment(_ i: Int) -> [UInt8] {
        let start = headersEnd + i * mss, end = min(start + mss, frame.count)
        var s = Array(frame[0..<headersEnd])
        s.append(contentsOf: frame[start..<end])
        if layout.isIPv6 {
            Self.put16(&s, layout.l3 + 4, UInt16(s.count - (layout.l3 + 40)))
        } else {
            Self.put16(&s, layout.l3 + 2, UInt16(s.count - layout.l3))
            Self.put16(&s, layout.l3 + 4, ipID &+ UInt16(truncatingIfNeeded: i))
            Self.put16(&s, layout.l3 + 10, 0)
            var header: UInt64 = 0
            InternetChecksum.add(s[layout.l3..<layout.l4], to: &header)
            Self.put16(&s, layout.l3 + 10, ~InternetChecksum.fold(header))
        }
        Self.put32(&s, layout.l4 + 4, sequence &+ UInt32(truncatingIfNeeded: i * mss))
        var f = flags
        if i != count - 1 { f &= ~(Self.fin | Self.psh) }
        if i != 0 { f &= ~Self.cwr }
        s[layout.l4 + 13] = f
        Self.put16(&s, layout.l4 + 16, 0)
        var sum = InternetChecksum.pseudoHeader(s[...], layout, l4Length: s.count - layout.l4)
        InternetChecksum.add(s[layout.l4...], to: &sum)
        Self.put16(&s, layout.l4 + 16, ~InternetChecksum.fold(sum))
        return s
    }

    private static func be16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) << 8 | UInt16(b[at + 1]) }
    private static func be32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(be16(b, at)) << 16 | UInt32(be16(b, at + 2))
    }
    private static func put16(_ b: inout [UInt8], _ at: Int, _ v: UInt16) {
        b[at] = UInt8(v >> 8)
        b[at + 1] = UInt8(v & 0xFF)
    }
    private static func put32(_ b: inout [UInt8], _ at: Int, _ v: UInt32) {
        put16(&b, at, UInt16(v >> 16))
        put16(&b, at + 2, UInt16(v & 0xFFFF))
    }
}
