/// A host port forwarded into the guest by user-mode networking
/// (`hostfwd=tcp:127.0.0.1:2222-:22`): connections to (or datagrams for)
/// the host address and port go to the guest address and port.
public struct HostForward: Hashable, Sendable, CustomStringConvertible {
    /// The protocol forwarded.
    public enum Transport: String, Sendable { case tcp, udp }

    public var transport: Transport
    /// Where the host listens; 0.0.0.0 (every address) by default, as in QEMU.
    public var hostAddress: IPv4Address
    public var hostPort: UInt16
    /// The guest's address; 10.0.2.15 (the first DHCP lease) by default.
    public var guestAddress: IPv4Address
    public var guestPort: UInt16

    /// The guest address a rule uses when it names none.
    public static let defaultGuestAddress = IPv4Address(0x0A00_020F)

    /// A rule; the addresses default as in QEMU.
    public init(_ transport: Transport, hostAddress: IPv4Address = .any, hostPort: UInt16,
                guestAddress: IPv4Address = HostForward.defaultGuestAddress, guestPort: UInt16) {
        self.transport = transport
        self.hostAddress = hostAddress
        self.hostPort = hostPort
        self.guestAddress = guestAddress
        self.guestPort = guestPort
    }

    /// The rule in QEMU's syntax, leaving out default addresses:
    /// `tcp:127.0.0.1:2222-:22`.
    public var description: String {
        let host = hostAddress == .any ? "" : hostAddress.description
        let guest = guestAddress == Self.defaultGuestAddress ? "" : guestAddress.description
        return "\(transport.rawValue):\(host):\(hostPort)-\(guest):\(guestPort)"
    }
}
