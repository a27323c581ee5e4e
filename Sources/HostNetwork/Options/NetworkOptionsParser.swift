/// A `--net` value that cannot be parsed; the description is one line
/// naming the bad part (`bad port '99999' in hostfwd=tcp::99999-:22`).
public struct NetworkOptionsError: Error, CustomStringConvertible, Equatable {
    public let description: String

    /// An error whose (one-line) message is `description`.
    public init(_ description: String) { self.description = description }
}

extension NetworkOptions {
    /// Parses QEMU's `-netdev` syntax:
    /// `user[,hostfwd=[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT]...[,restrict=on|off][,hostname=NAME][,mac=MAC]`,
    /// `tap,ifname=NAME[,mac=MAC]`, or `none`. `hostfwd` may repeat; other
    /// keys may not.
    public init(parsing text: String) throws {
        var items = text.split(separator: ",", omittingEmptySubsequences: false)
        let kind = items.isEmpty ? "" : items.removeFirst()
        guard ["user", "tap", "none"].contains(kind) else {
            throw NetworkOptionsError("unknown network kind '\(kind)' (expected user, tap or none)")
        }
        var keys = try Self.keyValues(items)
        switch kind {
        case "none":
            if let first = keys.items.first { throw NetworkOptionsError("unknown key '\(first.key)' for none (it takes no options)") }
            self = .none
        case "user":
            var options = UserNetworkOptions()
            options.forwards = try keys.removeAll(named: "hostfwd").map(Self.hostForward)
            if let value = try keys.removeSingle(named: "restrict") {
                switch value {
                case "on": options.restrict = true
                case "off": options.restrict = false
                default: throw NetworkOptionsError("bad value '\(value)' for restrict (expected on or off)")
                }
            }
            if let value = try keys.removeSingle(named: "hostname") { options.hostname = try Self.hostname(value) }
            if let value = try keys.removeSingle(named: "mac") { options.mac = try Self.mac(value) }
            try keys.rejectRemaining(kind: "user")
            self = .user(options)
        case "tap":
            guard let ifname = try keys.removeSingle(named: "ifname") else {
                throw NetworkOptionsError("tap needs ifname=NAME (the host interface)")
            }
            var options = TapNetworkOptions(ifname: try Self.interfaceName(ifname))
            if let value = try keys.removeSingle(named: "mac") { options.mac = try Self.mac(value) }
            try keys.rejectRemaining(kind: "tap")
            self = .tap(options)
        default:
            preconditionFailure("kind checked above")
        }
    }

    private static func keyValues(_ items: [Substring]) throws -> OptionList {
        OptionList(items: try items.map { item in
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw NetworkOptionsError(item.isEmpty ? "empty option (two commas in a row?)"
                                                       : "expected KEY=VALUE, got '\(item)'")
            }
            return (item[..<equals], item[item.index(after: equals)...])
        })
    }

    /// `[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT` (no protocol: tcp).
    static func hostForward(_ rule: Substring) throws -> HostForward {
        func bad(_ what: String) -> NetworkOptionsError { NetworkOptionsError("\(what) in hostfwd=\(rule)") }
        let sides = rule.split(separator: "-", omittingEmptySubsequences: false)
        guard sides.count == 2, let protocolEnd = sides[0].firstIndex(of: ":") else {
            throw bad("expected [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT")
        }
        let transportName = sides[0][..<protocolEnd]
        let transport: HostForward.Transport
        switch transportName {
        case "", "tcp": transport = .tcp
        case "udp": transport = .udp
        default: throw bad("unknown protocol '\(transportName)' (expected tcp or udp)")
        }
        func endpoint(_ text: Substring, default address: IPv4Address) throws -> (IPv4Address, UInt16) {
            guard let colon = text.lastIndex(of: ":") else {
                throw bad("expected ADDRESS:PORT, got '\(text)'")
            }
            let addressText = text[..<colon], portText = text[text.index(after: colon)...]
            var address = address
            if !addressText.isEmpty {
                guard let parsed = IPv4Address(addressText) else { throw bad("bad address '\(addressText)'") }
                address = parsed
            }
            guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = UInt16(portText), port != 0 else {
                throw bad("bad port '\(portText)'")
            }
            return (address, port)
        }
        let (hostAddress, hostPort) = try endpoint(sides[0][sides[0].index(after: protocolEnd)...], default: .any)
        let (guestAddress, guestPort) = try endpoint(sides[1], default: HostForward.defaultGuestAddress)
        guard guestAddress.value & 0xFFFF_FF00 == SlirpConfiguration.network.value,
              guestAddress != SlirpConfiguration.network, guestAddress.value & 0xFF != 0xFF else {
            throw bad("guest address \(guestAddress) is not a host of \(SlirpConfiguration.network)/24")
        }
        return HostForward(transport, hostAddress: hostAddress, hostPort: hostPort,
                           guestAddress: guestAddress, guestPort: guestPort)
    }

    static func mac(_ text: Substring) throws -> MACAddress {
        guard let mac = MACAddress(text) else {
            throw NetworkOptionsError("bad MAC address '\(text)' (expected six hex bytes, 52:54:00:12:34:56)")
        }
        guard !mac.isMulticast else { throw NetworkOptionsError("bad MAC address '\(text)': it is a multicast address") }
        return mac
    }

    /// A DNS label-ish name of at most 32 characters (slirp's limit).
    static func hostname(_ text: Substring) throws -> String {
        guard (1...32).contains(text.count),
              text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else {
            throw NetworkOptionsError("bad hostname '\(text)' (1 to 32 letters, digits, '-' or '.')")
        }
        return String(text)
    }

    /// A Linux interface name: 1 to 15 characters, no '/', ':' or spaces, not '.' or '..'.
    static func interfaceName(_ text: Substring) throws -> String {
        guard (1...15).contains(text.utf8.count), text != ".", text != "..",
              !text.contains(where: { $0 == "/" || $0 == ":" || $0.isWhitespace || !$0.isASCII }) else {
            throw NetworkOptionsError("bad ifname '\(text)' (1 to 15 characters, no '/', ':' or spaces)")
        }
        return String(text)
    }
}

/// The `KEY=VALUE` options after the kind, taken out as they are read.
private struct OptionList {
    var items: [(key: Substring, value: Substring)]

    /// Every value of `key`, in order.
    mutating func removeAll(named key: String) -> [Substring] {
        let values = items.filter { $0.key == key }.map(\.value)
        items.removeAll { $0.key == key }
        return values
    }

    /// The value of `key`, which may appear once.
    mutating func removeSingle(named key: String) throws -> Substring? {
        let values = removeAll(named: key)
        guard values.count <= 1 else { throw NetworkOptionsError("duplicate key '\(key)'") }
        return values.first
    }

    func rejectRemaining(kind: String) throws {
        if let first = items.first { throw NetworkOptionsError("unknown key '\(first.key)' for \(kind)") }
    }
}
