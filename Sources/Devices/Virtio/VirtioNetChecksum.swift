/// The Internet checksum (RFC 1071) and the little of Ethernet/IP/TCP/UDP
/// parsing that checksum offload and segmentation need. Multi-byte fields on
/// the wire are big-endian.
enum InternetChecksum {
    /// Adds `bytes` as big-endian 16-bit words to `sum` (an odd last byte is
    /// padded with zero). Regions added one after another must each start
    /// at an even offset of the checksummed data.
    static func add(_ bytes: UnsafeRawBufferPointer, to sum: inout UInt64) {
        var i = 0
        let n = bytes.count
        while i + 1 < n {
            sum &+= UInt64(bytes[i]) << 8 | UInt64(bytes[i + 1])
            i += 2
        }
        if i < n { sum &+= UInt64(bytes[i]) << 8 }
    }

    static func add(_ bytes: ArraySlice<UInt8>, to sum: inout UInt64) {
        bytes.withUnsafeBytes { add($0, to: &sum) }
    }

    /// The ones'-complement sum folded to 16 bits (not yet complemented).
    static func fold(_ sum: UInt64) -> UInt16 {
        var s = sum
        while s > 0xFFFF { s = (s & 0xFFFF) + (s >> 16) }
        return UInt16(s)
    }

    /// Sum of the TCP/UDP pseudo-header (RFC 793/768 for IPv4, RFC 8200 §8.1 for IPv6).
    static func pseudoHeader(_ frame: ArraySlice<UInt8>, _ layout: FrameLayout, l4Length: Int) -> UInt64 {
        var sum: UInt64 = 0
        let base = frame.startIndex
        if layout.isIPv6 {
            add(frame[base + layout.l3 + 8 ..< base + layout.l3 + 40], to: &sum)   // source, destination
            sum &+= UInt64(l4Length >> 16) + UInt64(l4Length & 0xFFFF)
        } else {
            add(frame[base + layout.l3 + 12 ..< base + layout.l3 + 20], to: &sum)
            sum &+= UInt64(l4Length & 0xFFFF)
        }
        sum &+= UInt64(layout.proto)
        return sum
    }
}

/// Where the IP and transport headers of an Ethernet frame are.
struct FrameLayout {
    static let tcp: UInt8 = 6, udp: UInt8 = 17

    /// Offset of the IP header.
    let l3: Int
    let isIPv6: Bool
    /// Offset of the transport header, and its protocol (IPv6: only when no
    /// extension header precedes it; otherwise the first extension header's type).
    let l4: Int
    let proto: UInt8
    /// End of the IP packet as its length field says (before any Ethernet padding).
    let ipEnd: Int
    /// An IPv4 fragment: its transport checksum covers other frames too.
    let isFragment: Bool

    /// Parses an IPv4 or IPv6 frame with at most one VLAN tag; `nil` for
    /// anything else or if a header runs past the frame. With
    /// `lengthFromIP` false (a GSO frame), the packet ends with the frame.
    init?(_ frame: ArraySlice<UInt8>, lengthFromIP: Bool = true) {
        let f = frame.startIndex, n = frame.count
        func be16(_ at: Int) -> Int { Int(frame[f + at]) << 8 | Int(frame[f + at + 1]) }
        guard n >= 14 else { return nil }
        var l3 = 14, etherType = be16(12)
        if etherType == 0x8100 || etherType == 0x88A8 {
            guard n >= 18 else { return nil }
            etherType = be16(16)
            l3 = 18
        }
        switch etherType {
        case 0x0800:
            guard n >= l3 + 20, frame[f + l3] >> 4 == 4 else { return nil }
            let ihl = Int(frame[f + l3] & 0xF) * 4, total = be16(l3 + 2)
            guard ihl >= 20, n >= l3 + ihl else { return nil }
            if lengthFromIP { guard total >= ihl, l3 + total <= n else { return nil } }
            self.init(l3: l3, isIPv6: false, l4: l3 + ihl, proto: frame[f + l3 + 9],
                      ipEnd: lengthFromIP ? l3 + total : n, isFragment: be16(l3 + 6) & 0x3FFF != 0)
        case 0x86DD:
            guard n >= l3 + 40, frame[f + l3] >> 4 == 6 else { return nil }
            let payload = be16(l3 + 4)
            if lengthFromIP { guard l3 + 40 + payload <= n else { return nil } }
            self.init(l3: l3, isIPv6: true, l4: l3 + 40, proto: frame[f + l3 + 6],
                      ipEnd: lengthFromIP ? l3 + 40 + payload : n, isFragment: false)
        default:
            return nil
        }
    }

    private init(l3: Int, isIPv6: Bool, l4: Int, proto: UInt8, ipEnd: Int, isFragment: Bool) {
        self.l3 = l3
        self.isIPv6 = isIPv6
        self.l4 = l4
        self.proto = proto
        self.ipEnd = ipEnd
        self.isFragment = isFragment
    }
}

extension InternetChecksum {
    /// Completes a checksum the driver left to the device (VIRTIO_NET_HDR_F_NEEDS_CSUM,
    /// §5.1.6.2): the field at `start`+`offset` holds the pseudo-header sum;
    /// the ones'-complement sum from `start` to the end of the frame,
    /// complemented, replaces it. Returns `false` if the field is not inside the frame.
    static func complete(_ frame: inout [UInt8], start: Int, offset: Int) -> Bool {
        let field = start + offset
        guard field + 2 <= frame.count else { return false }
        var sum: UInt64 = 0
        add(frame[start...], to: &sum)
        var result = ~fold(sum)
        // UDP sends "no checksum" as 0: a computed 0 goes out as its other form, 0xFFFF.
        if result == 0, let layout = FrameLayout(frame[...], lengthFromIP: false),
           layout.l4 == start, layout.proto == FrameLayout.udp { result = 0xFFFF }
        frame[field] = UInt8(result >> 8)
        frame[field + 1] = UInt8(result & 0xFF)
        return true
    }

    /// Whether a received frame is IPv4/IPv6 TCP or UDP whose checksums
    /// (IPv4 header, transport) verify, so the guest may skip verifying it
    /// (VIRTIO_NET_HDR_F_DATA_VALID). `false` when in doubt: the guest then checks itself.
    static func receivedFrameVerifies(_ frame: ArraySlice<UInt8>) -> Bool {
        guard let layout = FrameLayout(frame), !layout.isFragment,
              layout.proto == FrameLayout.tcp || layout.proto == FrameLayout.udp else { return false }
        let f = frame.startIndex
        if !layout.isIPv6 {
            var header: UInt64 = 0
            add(frame[f + layout.l3 ..< f + layout.l4], to: &header)
            guard fold(header) == 0xFFFF else { return false }
        }
        let l4Length = layout.ipEnd - layout.l4
        if layout.proto == FrameLayout.tcp {
            guard l4Length >= 20 else { return false }
        } else {
            guard l4Length >= 8 else { return false }
            let udpLength = Int(frame[f + layout.l4 + 4]) << 8 | Int(frame[f + layout.l4 + 5])
            let checksum = Int(frame[f + layout.l4 + 6]) << 8 | Int(frame[f + layout.l4 + 7])
            // A zero UDP checksum is "none" (IPv4) or invalid (IPv6): nothing verified either way.
            guard udpLength == l4Length, checksum != 0 else { return false }
        }
        var sum = pseudoHeader(frame, layout, l4Length: l4Length)
        add(frame[f + layout.l4 ..< f + layout.ipEnd], to: &sum)
        return fold(sum) == 0xFFFF
    }
}
