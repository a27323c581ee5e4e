/// An Ethernet (EUI-48) address.
public struct MACAddress: Hashable, Sendable, CustomStringConvertible {
    /// The six bytes, in transmission order.
    public let bytes: [UInt8]

    /// QEMU's default for the first guest NIC, 52:54:00:12:34:56.
    public static let defaultGuest = MACAddress(validBytes: [0x52, 0x54, 0x00, 0x12, 0x34, 0x56])

    private init(validBytes: [UInt8]) { bytes = validBytes }

    /// Six bytes, or `nil` when there are not six.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 6 else { return nil }
        self.bytes = bytes
    }

    /// Parses six two-digit hexadecimal bytes separated by colons
    /// (`52:54:00:12:34:56`); `nil` for anything else.
    public init?(_ text: Substring) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard part.count == 2, part.allSatisfy(\.isHexDigit), let byte = UInt8(part, radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.bytes = bytes
    }

    /// A group address (the I/G bit, bit 0 of the first byte): a NIC cannot
    /// have one.
    public var isMulticast: Bool { bytes[0] & 1 != 0 }

    /// Lower-case hexadecimal bytes separated by colons.
    public var description: String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: ":")
    }
}
