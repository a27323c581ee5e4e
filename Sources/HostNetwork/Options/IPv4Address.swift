import Glibc

/// An IPv4 address, held in host byte order.
public struct IPv4Address: Hashable, Sendable, CustomStringConvertible {
    /// The address as a number: 10.0.2.15 is 0x0A00_020F.
    public let value: UInt32

    /// The address whose number (host byte order) is `value`.
    public init(_ value: UInt32) { self.value = value }

    /// Parses dotted-quad notation (four decimal numbers 0–255, no leading
    /// `+` or spaces); `nil` for anything else.
    public init?(_ text: Substring) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                  let byte = UInt8(part) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        self.value = value
    }

    /// Parses dotted-quad notation, as `init?(_: Substring)`.
    public init?(_ text: String) { self.init(text[...]) }

    /// 0.0.0.0: every address of the host.
    public static let any = IPv4Address(0)

    /// Dotted-quad notation: `10.0.2.15`.
    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    /// The address as the C socket API holds it (network byte order).
    var inAddr: in_addr { in_addr(s_addr: value.bigEndian) }
}
