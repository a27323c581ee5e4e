/// The guest network interface's host side, as `--net` gives it (QEMU's
/// `-netdev` syntax): `user[,...]`, `tap,ifname=NAME[,...]` or `none`.
/// `NetworkOptions(parsing:)` reads the option; `makeNetworkBackend` opens
/// the backend it describes.
public enum NetworkOptions: Hashable, Sendable {
    /// No network interface.
    case none
    /// User-mode networking through libslirp.
    case user(UserNetworkOptions)
    /// A host TAP interface.
    case tap(TapNetworkOptions)

    /// The guest NIC's MAC address (`mac=`, or QEMU's default); `nil` for `none`.
    public var mac: MACAddress? {
        switch self {
        case .none: nil
        case .user(let options): options.mac
        case .tap(let options): options.mac
        }
    }
}

/// `user[,hostfwd=RULE]...[,restrict=on|off][,hostname=NAME][,mac=MAC]`.
public struct UserNetworkOptions: Hashable, Sendable {
    /// Host ports forwarded into the guest, in the order given.
    public var forwards: [HostForward]
    /// `restrict=on`: the guest reaches nothing outside (only forwarded
    /// connections come in).
    public var restrict: Bool
    /// The host name the DHCP server gives the guest.
    public var hostname: String?
    /// The guest NIC's MAC address.
    public var mac: MACAddress

    public init(forwards: [HostForward] = [], restrict: Bool = false, hostname: String? = nil,
                mac: MACAddress = .defaultGuest) {
        self.forwards = forwards
        self.restrict = restrict
        self.hostname = hostname
        self.mac = mac
    }
}

/// `tap,ifname=NAME[,mac=MAC]`.
public struct TapNetworkOptions: Hashable, Sendable {
    /// The host interface's name (created if it does not exist).
    public var ifname: String
    /// The guest NIC's MAC address.
    public var mac: MACAddress

    public init(ifname: String, mac: MACAddress = .defaultGuest) {
        self.ifname = ifname
        self.mac = mac
    }
}
