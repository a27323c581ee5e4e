import Foundation
import XCTest
import Guests
@testable import Machine
@testable import Devices

/// Debian's virtio_net driver on our virtio-net device, against a backend
/// that only answers DHCP: the guest's udhcpc gets 10.0.2.15 (frames both
/// ways through the real driver), and every frame it sends is finished
/// (valid IPv4 and TCP/UDP checksums). Needs a cached guest whose initramfs
/// loads virtio_net and has the net check (scripts/get-debian-guest with the
/// network recipe); skips otherwise.
final class VirtioNetLinuxTests: XCTestCase {
    /// Answers DHCPDISCOVER with an offer and DHCPREQUEST with an ack for
    /// 10.0.2.15 (gateway 10.0.2.2), from a queue of its own: never inside `transmit`.
    final class DHCPBackend: NetworkBackend, @unchecked Sendable {
        private let lock = NSLock()
        private weak var port: NetworkPort?
        private var sent: [[UInt8]] = []
        private let queue = DispatchQueue(label: "dhcp-backend")
        var frames: [[UInt8]] { lock.withLock { sent } }

        func attach(_ port: NetworkPort) { lock.withLock { self.port = port } }
        func start() throws {}
        func stop() {}
        func receiveSpaceAvailable() {}

        func transmit(_ frame: UnsafeRawBufferPointer) -> Bool {
            let f = Array(frame)
            lock.withLock { sent.append(f) }
            if let reply = Self.reply(to: f) {
                queue.async { [self] in
                    let port = lock.withLock { self.port }
                    _ = reply.withUnsafeBytes { port?.deliver($0) }
                }
            }
            return true
        }

        static func be16(_ b: [UInt8], _ at: Int) -> Int { Int(b[at]) << 8 | Int(b[at + 1]) }

        static func checksum(_ data: [UInt8]) -> UInt16 {
            var sum: UInt32 = 0
            for i in stride(from: 0, to: data.count, by: 2) {
                sum += UInt32(data[i]) << 8 | (i + 1 < data.count ? UInt32(data[i + 1]) : 0)
            }
            while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
            return ~UInt16(sum)
        }

        static let gatewayMAC: [UInt8] = [0x52, 0x55, 0x0A, 0x00, 0x02, 0x02]

        /// What the backend answers to `f`: DHCP, ARP for the gateway, and a
        /// reset for a TCP connection attempt (so wget fails at once).
        static func reply(to f: [UInt8]) -> [UInt8]? {
            dhcpReply(to: f) ?? arpReply(to: f) ?? tcpReset(for: f)
        }

        /// An ARP reply (RFC 826) for 10.0.2.2.
        static func arpReply(to f: [UInt8]) -> [UInt8]? {
            guard f.count >= 42, be16(f, 12) == 0x0806, be16(f, 20) == 1, Array(f[38..<42]) == [10, 0, 2, 2] else { return nil }
            let asker = Array(f[22..<28]), askerIP = Array(f[28..<32])
            return asker + gatewayMAC + [0x08, 0x06, 0, 1, 0x08, 0x00, 6, 4, 0, 2] + gatewayMAC + [10, 0, 2, 2] + asker + askerIP
        }

        /// RST+ACK (RFC 793) to a SYN for 10.0.2.2, its checksum computed here.
        static func tcpReset(for f: [UInt8]) -> [UInt8]? {
            guard f.count >= 54, be16(f, 12) == 0x0800, f[14] == 0x45, f[23] == 6, Array(f[30..<34]) == [10, 0, 2, 2],
                  f[47] & 0x02 != 0 else { return nil }
            let seq = UInt32(be16(f, 38)) << 16 | UInt32(be16(f, 40))
            let ack = seq &+ 1
            var tcp: [UInt8] = Array(f[36..<38]) + Array(f[34..<36]) + [0, 0, 0, 0]
            tcp += [UInt8(ack >> 24), UInt8(ack >> 16 & 0xFF), UInt8(ack >> 8 & 0xFF), UInt8(ack & 0xFF)]
            tcp += [0x50, 0x14, 0, 0, 0, 0, 0, 0]
            let client = Array(f[26..<30])
            let c = checksum([10, 0, 2, 2] + client + [0, 6, 0, 20] + tcp)
            tcp[16] = UInt8(c >> 8); tcp[17] = UInt8(c & 0xFF)
            var ip: [UInt8] = [0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 2, 2] + client
            let h = checksum(ip)
            ip[10] = UInt8(h >> 8); ip[11] = UInt8(h & 0xFF)
            return Array(f[6..<12]) + gatewayMAC + [0x08, 0x00] + ip + tcp
        }

        /// The DHCP reply (RFC 2131) to a client's DISCOVER or REQUEST, if `f` is one.
        static func dhcpReply(to f: [UInt8]) -> [UInt8]? {
            guard f.count >= 282 + 3, be16(f, 12) == 0x0800, f[23] == 17, be16(f, 36) == 67,
                  Array(f[278..<282]) == [99, 130, 83, 99] else { return nil }
            var i = 282, type: UInt8 = 0
            while i + 1 < f.count, f[i] != 255 {
                if f[i] == 0 { i += 1; continue }
                if f[i] == 53 { type = f[i + 2] }
                i += 2 + Int(f[i + 1])
            }
            guard type == 1 || type == 3 else { return nil }
            let bootp = Array(f[42..<278])
            var d = [UInt8](repeating: 0, count: 236)
            d[0] = 2; d[1] = 1; d[2] = 6
            d.replaceSubrange(4..<8, with: bootp[4..<8])      // xid
            d.replaceSubrange(10..<12, with: bootp[10..<12])  // flags
            d.replaceSubrange(16..<20, with: [10, 0, 2, 15])  // yiaddr
            d.replaceSubrange(20..<24, with: [10, 0, 2, 2])   // siaddr
            d.replaceSubrange(28..<44, with: bootp[28..<44])  // chaddr
            d += [99, 130, 83, 99, 53, 1, type == 1 ? 2 : 5, 54, 4, 10, 0, 2, 2, 51, 4, 0, 1, 0x51, 0x80,
                  1, 4, 255, 255, 255, 0, 3, 4, 10, 0, 2, 2, 6, 4, 10, 0, 2, 3, 255]
            let udp = [0, 67, 0, 68, UInt8((8 + d.count) >> 8), UInt8((8 + d.count) & 0xFF), 0, 0] + d
            var ip: [UInt8] = [0x45, 0, UInt8((20 + udp.count) >> 8), UInt8((20 + udp.count) & 0xFF), 0, 0, 0, 0,
                               64, 17, 0, 0, 10, 0, 2, 2, 255, 255, 255, 255]
            let c = checksum(ip)
            ip[10] = UInt8(c >> 8); ip[11] = UInt8(c & 0xFF)
            let client = Array(f[6..<12])
            return client + gatewayMAC + [0x08, 0x00] + ip + udp
        }
    }

    func testLinuxGetsAnAddressByDHCPThroughVirtioNet() throws {
        let backend = DHCPBackend()
        var options = VirtioOptions()
        options.network = backend
        let (outcome, text, machine) = try DebianGuest.boot(
            virtio: options, bootargs: "console=ttyAMA0 armvisor.net-check=http://10.0.2.2/none", requiring: "net check")
        XCTAssertEqual(outcome, .powerOff, String(text.suffix(3000)))
        XCTAssertTrue(text.contains("ARMVISOR-NET-ADDRESS: 10.0.2.15"), String(text.suffix(3000)))
        XCTAssertTrue(text.contains("ARMVISOR-NET-ROUTE: default via 10.0.2.2"), String(text.suffix(3000)))
        let frames = backend.frames
        XCTAssertTrue(frames.contains { DHCPBackend.dhcpReply(to: $0) != nil }, "the guest sent DHCP requests")
        XCTAssertTrue(frames.contains { DHCPBackend.tcpReset(for: $0) != nil }, "the guest's wget sent a SYN")
        XCTAssertTrue(text.contains("wget: can't connect to remote host (10.0.2.2): Connection refused"),
                      "the guest took our reset")
        // Linux leaves TCP checksums to a device that offers CSUM; ours completed them,
        // and verified the reset's so the guest did not have to.
        let stats = machine.virtio.net!.statistics
        XCTAssertGreaterThan(stats.transmitChecksumCompleted, 0)
        XCTAssertGreaterThan(stats.receiveChecksumVerified, 0)
        for f in frames {
            XCTAssertEqual(Array(f[6..<12]), [0x52, 0x54, 0x00, 0x12, 0x34, 0x56], "source MAC")
            guard DHCPBackend.be16(f, 12) == 0x0800 else { continue }
            let ihl = Int(f[14] & 0xF) * 4
            XCTAssertEqual(DHCPBackend.checksum(Array(f[14..<14 + ihl])), 0, "IPv4 header checksum")
            let total = DHCPBackend.be16(f, 16), l4 = 14 + ihl, proto = f[23]
            guard proto == 6 || proto == 17 else { continue }
            let length = total - ihl
            let pseudo = Array(f[26..<34]) + [0, proto, UInt8(length >> 8), UInt8(length & 0xFF)]
            if proto == 17 && DHCPBackend.be16(f, l4 + 6) == 0 { continue }
            XCTAssertEqual(DHCPBackend.checksum(pseudo + Array(f[l4..<14 + total])), 0, "L4 checksum, protocol \(proto)")
        }
        print("VirtioNetLinuxTests: \(frames.count) frames from the guest; \(machine.virtio.net!.statistics)")
        print(text.split(separator: "\n").filter { $0.contains("virtio_net") || $0.contains("ARMVISOR-NET") || $0.contains("ARMVISOR-DHCP") }
            .joined(separator: "\n"))
    }
}
