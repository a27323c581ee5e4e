import CSlirp
import Glibc

/// The virtual network user-mode networking gives the guest, with QEMU's
/// defaults: 10.0.2.0/24, the host (gateway) at 10.0.2.2 reaching the host's
/// own loopback, DNS at 10.0.2.3, DHCP leases from 10.0.2.15; IPv6 fec0::/64
/// with the host at fec0::2 and DNS at fec0::3.
public struct SlirpConfiguration: Hashable, Sendable {
    public static let network = IPv4Address(0x0A00_0200)
    public static let netmask = IPv4Address(0xFFFF_FF00)
    public static let host = IPv4Address(0x0A00_0202)
    public static let nameserver = IPv4Address(0x0A00_0203)
    public static let dhcpStart = IPv4Address(0x0A00_020F)
    public static let ipv6Prefix = "fec0::", ipv6PrefixLength: UInt8 = 64
    public static let ipv6Host = "fec0::2", ipv6Nameserver = "fec0::3"

    /// Host ports forwarded into the guest.
    public var forwards: [HostForward]
    /// The guest reaches nothing outside the virtual network.
    public var restrict: Bool
    /// The host name DHCP gives the guest.
    public var hostname: String?

    public init(forwards: [HostForward] = [], restrict: Bool = false, hostname: String? = nil) {
        self.forwards = forwards
        self.restrict = restrict
        self.hostname = hostname
    }

    /// The configuration `--net user,...` asks for.
    public init(_ options: UserNetworkOptions) {
        self.init(forwards: options.forwards, restrict: options.restrict, hostname: options.hostname)
    }

    /// Calls `body` with libslirp's configuration (version 4), valid only
    /// during the call.
    func withSlirpConfig<R>(_ body: (UnsafePointer<SlirpConfig>) -> R) -> R {
        var config = SlirpConfig()
        config.version = 4
        config.restricted = restrict ? 1 : 0
        config.in_enabled = true
        config.vnetwork = Self.network.inAddr
        config.vnetmask = Self.netmask.inAddr
        config.vhost = Self.host.inAddr
        config.vdhcp_start = Self.dhcpStart.inAddr
        config.vnameserver = Self.nameserver.inAddr
        config.in6_enabled = true
        config.vprefix_addr6 = Self.in6(Self.ipv6Prefix)
        config.vprefix_len = Self.ipv6PrefixLength
        config.vhost6 = Self.in6(Self.ipv6Host)
        config.vnameserver6 = Self.in6(Self.ipv6Nameserver)
        guard let hostname else { return body(&config) }
        return hostname.withCString { name in
            config.vhostname = name
            return body(&config)
        }
    }

    private static func in6(_ text: String) -> in6_addr {
        var address = in6_addr()
        let parsed = inet_pton(AF_INET6, text, &address)
        precondition(parsed == 1, "bad IPv6 constant \(text)")
        return address
    }
}
