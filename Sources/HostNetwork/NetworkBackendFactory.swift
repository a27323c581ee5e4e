import Devices

extension NetworkOptions {
    /// Makes the backend these options describe (not yet started): a
    /// `SlirpBackend` for `user`, a `TapBackend` for `tap` (which opens the
    /// interface now, so a missing device or permission shows at once), and
    /// `nil` for `none`.
    public func makeNetworkBackend() throws -> NetworkBackend? {
        switch self {
        case .none: nil
        case .user(let options): try SlirpBackend(SlirpConfiguration(options))
        case .tap(let options): try TapBackend(ifname: options.ifname)
        }
    }
}
