/// Ethernet, ARP, IPv4, UDP and TCP frames built and read by hand, with real
/// checksums, for driving backends as a guest would.
enum Packets {
    static let broadcastMAC: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
    static let etherIPv4: UInt16 = 0x0800, etherARP: UInt16 = 0x0806

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func ip(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> [UInt8] { [a, b, c, d] }

    /// The Internet checksum (RFC 1071) of `bytes`, added to `initial`.
    static func checksum(_ bytes: [UInt8], initial: UInt32 = 0) -> UInt16 {
        var sum = initial
        var i = 0
        while i + 1 < bytes.count { sum += UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1]); i += 2 }
        if i < bytes.count { sum += UInt32(bytes[i]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }

    static func ethernet(to destination: [UInt8], from source: [UInt8], type: UInt16, _ payload: [UInt8]) -> [UInt8] {
        destination + source + be16(type) + payload
    }

    static func arpRequest(from mac: [UInt8], ip senderIP: [UInt8], for targetIP: [UInt8]) -> [UInt8] {
        let arp = be16(1) + be16(0x0800) + [6, 4] + be16(1) + mac + senderIP + [0, 0, 0, 0, 0, 0] + targetIP
        return ethernet(to: broadcastMAC, from: mac, type: etherARP, arp)
    }

    static func arpReply(from mac: [UInt8], ip senderIP: [UInt8], to targetMAC: [UInt8], ip targetIP: [UInt8]) -> [UInt8] {
        let arp = be16(1) + be16(0x0800) + [6, 4] + be16(2) + mac + senderIP + targetMAC + targetIP
        return ethernet(to: targetMAC, from: mac, type: etherARP, arp)
    }

    static func ipv4(from source: [UInt8], to destination: [UInt8], protocol proto: UInt8, _ payload: [UInt8]) -> [UInt8] {
        var header = [0x45, 0] + be16(UInt16(20 + payload.count)) + be16(0x1234) + be16(0x4000)
            + [64, proto] + [0, 0] + source + destination
        let sum = checksum(header)
        header[10] = UInt8(sum >> 8); header[11] = UInt8(sum & 0xFF)
        return header + payload
    }

    /// The sum of the IPv4 pseudo-header, for UDP and TCP checksums.
    static func pseudoHeaderSum(_ source: [UInt8], _ destination: [UInt8], _ proto: UInt8, _ length: Int) -> UInt32 {
        let bytes = source + destination + [0, proto] + be16(UInt16(length))
        var sum: UInt32 = 0
        for i in stride(from: 0, to: bytes.count, by: 2) { sum += UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1]) }
        return sum
    }

    static func udp(from source: [UInt8], _ sourcePort: UInt16, to destination: [UInt8], _ destinationPort: UInt16,
                    _ payload: [UInt8]) -> [UInt8] {
        var segment = be16(sourcePort) + be16(destinationPort) + be16(UInt16(8 + payload.count)) + [0, 0] + payload
        var sum = checksum(segment, initial: pseudoHeaderSum(source, destination, 17, segment.count))
        if sum == 0 { sum = 0xFFFF }
        segment[6] = UInt8(sum >> 8); segment[7] = UInt8(sum & 0xFF)
        return ipv4(from: source, to: destination, protocol: 17, segment)
    }

    struct TCPFlags: OptionSet {
        let rawValue: UInt8
        static let fin = TCPFlags(rawValue: 1), syn = TCPFlags(rawValue: 2), rst = TCPFlags(rawValue: 4)
        static let psh = TCPFlags(rawValue: 8), ack = TCPFlags(rawValue: 16)
    }

    static func tcp(from source: [UInt8], _ sourcePort: UInt16, to destination: [UInt8], _ destinationPort: UInt16,
                    seq: UInt32, ack: UInt32, flags: TCPFlags, _ payload: [UInt8] = []) -> [UInt8] {
        var segment = be16(sourcePort) + be16(destinationPort) + be32(seq) + be32(ack)
            + [5 << 4, flags.rawValue] + be16(65535) + [0, 0] + [0, 0] + payload
        let sum = checksum(segment, initial: pseudoHeaderSum(source, destination, 6, segment.count))
        segment[16] = UInt8(sum >> 8); segment[17] = UInt8(sum & 0xFF)
        return ipv4(from: source, to: destination, protocol: 6, segment)
    }
}

/// The fields of a received frame the tests look at.
struct ParsedFrame {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func u16(_ at: Int) -> UInt16 { UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1]) }
    func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) << 16 | UInt32(u16(at + 2)) }

    var destinationMAC: [UInt8] { Array(bytes[0..<6]) }
    var etherType: UInt16 { bytes.count >= 14 ? u16(12) : 0 }

    // ARP (after the 14-byte Ethernet header).
    var isARP: Bool { etherType == Packets.etherARP && bytes.count >= 42 }
    var arpOperation: UInt16 { u16(20) }
    var arpSenderMAC: [UInt8] { Array(bytes[22..<28]) }
    var arpSenderIP: [UInt8] { Array(bytes[28..<32]) }
    var arpTargetMAC: [UInt8] { Array(bytes[32..<38]) }
    var arpTargetIP: [UInt8] { Array(bytes[38..<42]) }

    // IPv4.
    var isIPv4: Bool { etherType == Packets.etherIPv4 && bytes.count >= 34 }
    var ipHeaderLength: Int { Int(bytes[14] & 0xF) * 4 }
    var ipProtocol: UInt8 { bytes[23] }
    var ipSource: [UInt8] { Array(bytes[26..<30]) }
    var ipDestination: [UInt8] { Array(bytes[30..<34]) }
    var ipTotalLength: Int { Int(u16(16)) }
    var l4: Int { 14 + ipHeaderLength }
    var sourcePort: UInt16 { u16(l4) }
    var destinationPort: UInt16 { u16(l4 + 2) }

    // UDP.
    var isUDP: Bool { isIPv4 && ipProtocol == 17 }
    var udpPayload: [UInt8] { Array(bytes[(l4 + 8)..<(14 + ipTotalLength)]) }

    // TCP.
    var isTCP: Bool { isIPv4 && ipProtocol == 6 }
    var tcpSeq: UInt32 { u32(l4 + 4) }
    var tcpAck: UInt32 { u32(l4 + 8) }
    var tcpFlags: Packets.TCPFlags { Packets.TCPFlags(rawValue: bytes[l4 + 13] & 0x3F) }
    var tcpPayload: [UInt8] { Array(bytes[(l4 + Int(bytes[l4 + 12] >> 4) * 4)..<(14 + ipTotalLength)]) }
}
