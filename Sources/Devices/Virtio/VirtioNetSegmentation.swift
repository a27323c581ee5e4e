/// TCP segmentation offload done by the device (VIRTIO_NET_F_HOST_TSO4/6):
/// a GSO frame — one set of Ethernet/IP/TCP headers in front of up to 64 KiB
/// of payload — becomes frames of at most `gso_size` payload bytes each, as
/// if the guest's TCP had sent them, so backends only see ordinary frames.
enum TCPSegmentation {
    static let fin: UInt8 = 0x01, psh: UInt8 = 0x08, cwr: UInt8 = 0x80

    /// The segments of `frame`, or `nil` if it is not a TCP frame of the IP
    /// version `gsoType` names or its headers do not fit. Every segment gets
    /// the headers of the original with: IPv4 total length, ID (the original
    /// plus the segment number) and header checksum, or IPv6 payload length;
    /// TCP sequence number advanced by the payload before it, FIN and PSH
    /// only on the last segment, CWR only on the first, and a full TCP
    /// checksum (computed here: the driver's partial sum is not needed).
    static func segments(of frame: [UInt8], gsoType: UInt8, mss: Int) -> [[UInt8]]? {
        guard mss > 0, let layout = FrameLayout(frame[...], lengthFromIP: false), layout.proto == FrameLayout.tcp,
              layout.isIPv6 == (gsoType == VirtioNetHeader.gsoTCPv6), !layout.isFragment,
              layout.l4 + 20 <= frame.count,
              frame.count - layout.l3 <= 0xFFFF else { return nil }   // the IP length fields must hold it
        let tcpLength = Int(frame[layout.l4 + 12] >> 4) * 4
        let headersEnd = layout.l4 + tcpLength
        guard tcpLength >= 20, headersEnd <= frame.count else { return nil }
        let payload = frame.count - headersEnd
        let count = max(1, (payload + mss - 1) / mss)
        let sequence = be32(frame, layout.l4 + 4)
        let ipID = layout.isIPv6 ? 0 : be16(frame, layout.l3 + 4)
        let flags = frame[layout.l4 + 13]

        var out: [[UInt8]] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            let start = headersEnd + i * mss, end = min(start + mss, frame.count)
            var s = Array(frame[0..<headersEnd])
            s.append(contentsOf: frame[start..<end])
            if layout.isIPv6 {
                put16(&s, layout.l3 + 4, UInt16(s.count - (layout.l3 + 40)))
            } else {
                put16(&s, layout.l3 + 2, UInt16(s.count - layout.l3))
                put16(&s, layout.l3 + 4, ipID &+ UInt16(truncatingIfNeeded: i))
                put16(&s, layout.l3 + 10, 0)
                var header: UInt64 = 0
                InternetChecksum.add(s[layout.l3..<layout.l4], to: &header)
                put16(&s, layout.l3 + 10, ~InternetChecksum.fold(header))
            }
            put32(&s, layout.l4 + 4, sequence &+ UInt32(truncatingIfNeeded: i * mss))
            var f = flags
            if i != count - 1 { f &= ~(fin | psh) }
            if i != 0 { f &= ~cwr }
            s[layout.l4 + 13] = f
            put16(&s, layout.l4 + 16, 0)
            var sum = InternetChecksum.pseudoHeader(s[...], layout, l4Length: s.count - layout.l4)
            InternetChecksum.add(s[layout.l4...], to: &sum)
            put16(&s, layout.l4 + 16, ~InternetChecksum.fold(sum))
            out.append(s)
        }
        return out
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
