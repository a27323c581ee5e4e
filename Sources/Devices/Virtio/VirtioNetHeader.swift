/// The header in front of every virtio-net frame (virtio 1.x §5.1.6,
/// `struct virtio_net_hdr`): checksum and segmentation offload requests on
/// transmit, checksum status and buffer count on receive. Little-endian.
public struct VirtioNetHeader: Equatable, Sendable {
    /// flags: the driver left the checksum at `csumStart`+`csumOffset` to the device.
    public static let needsChecksum: UInt8 = 1
    /// flags: the device verified the frame's checksum (receive, with GUEST_CSUM).
    public static let dataValid: UInt8 = 2

    /// gso_type values (§5.1.6).
    public static let gsoNone: UInt8 = 0
    public static let gsoTCPv4: UInt8 = 1
    public static let gsoUDP: UInt8 = 3
    public static let gsoTCPv6: UInt8 = 4
    public static let gsoUDPL4: UInt8 = 5
    /// gso_type bit: the segments carry ECN CWR handling (needs HOST_ECN).
    public static let gsoECN: UInt8 = 0x80

    /// Size without `num_buffers`: legacy drivers that did not negotiate mergeable buffers.
    public static let legacyLength = 10
    /// Size with `num_buffers`: VERSION_1 or MRG_RXBUF negotiated.
    public static let length = 12

    /// `needsChecksum` (transmit) or `dataValid` (receive).
    public var flags: UInt8 = 0
    /// Segmentation the driver asks for (`gsoTCPv4`, …), `gsoNone` for an ordinary frame.
    public var gsoType: UInt8 = VirtioNetHeader.gsoNone
    /// Length of the headers before the payload (a hint: the device does not trust it).
    public var headerLength: UInt16 = 0
    /// Payload bytes per segment (the MSS) of a GSO frame.
    public var gsoSize: UInt16 = 0
    /// Where the checksummed region starts, from the start of the frame.
    public var csumStart: UInt16 = 0
    /// Where the checksum goes, from `csumStart`.
    public var csumOffset: UInt16 = 0
    /// Receive with a 12-byte header: how many chains the frame took.
    public var numBuffers: UInt16 = 0

    /// A header with the given fields (all zero by default: an ordinary frame).
    public init(flags: UInt8 = 0, gsoType: UInt8 = VirtioNetHeader.gsoNone, headerLength: UInt16 = 0,
                gsoSize: UInt16 = 0, csumStart: UInt16 = 0, csumOffset: UInt16 = 0, numBuffers: UInt16 = 0) {
        self.flags = flags
        self.gsoType = gsoType
        self.headerLength = headerLength
        self.gsoSize = gsoSize
        self.csumStart = csumStart
        self.csumOffset = csumOffset
        self.numBuffers = numBuffers
    }

    /// Parses the first 10 or 12 bytes of `bytes` (`length` says which).
    public init?(_ bytes: some Collection<UInt8>, length: Int) {
        guard bytes.count >= length, length == Self.legacyLength || length == Self.length else { return nil }
        let b = Array(bytes.prefix(length))
        func le16(_ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
        self.init(flags: b[0], gsoType: b[1], headerLength: le16(2), gsoSize: le16(4),
                  csumStart: le16(6), csumOffset: le16(8), numBuffers: length == Self.length ? le16(10) : 0)
    }

    /// The header's first `length` (10 or 12) bytes.
    public func bytes(length: Int) -> [UInt8] {
        var b: [UInt8] = [flags, gsoType]
        for v in [headerLength, gsoSize, csumStart, csumOffset, numBuffers] {
            b.append(UInt8(truncatingIfNeeded: v))
            b.append(UInt8(truncatingIfNeeded: v >> 8))
        }
        return Array(b.prefix(length))
    }
}
