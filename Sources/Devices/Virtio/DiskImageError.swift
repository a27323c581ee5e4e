/// Why a disk image could not be opened, as a sentence for the user.
public enum DiskImageError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read \(path): \(reason)"
        }
    }
}
