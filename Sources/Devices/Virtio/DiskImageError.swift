/// Why a disk image could not be opened, as one sentence for the user.
/// Every case is raised before anything is written to the image.
public enum DiskImageError: Error, Equatable, CustomStringConvertible {
    /// `open` or `fstat` failed, or the path is not a regular file.
    case unreadable(path: String, reason: String)
    /// The size is zero or not a whole number of 512-byte sectors: a raw
    /// image with a partial last sector is refused rather than silently
    /// shortened, so a truncated or mis-converted image is noticed.
    case badSize(path: String, size: Int64)
    /// Another open of the image holds a conflicting lock.
    /// `heldReadWrite`: the holder has it read-write (then even a read-only
    /// open is refused); otherwise the holder is read-only and a read-only
    /// open would succeed.
    case locked(path: String, heldReadWrite: Bool)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "cannot open \(path): \(reason)"
        case let .badSize(path, size) where size == 0:
            return "\(path): empty; a disk image needs at least one 512-byte sector"
        case let .badSize(path, size):
            return "\(path): size \(size) bytes is not a multiple of 512 (a raw image is whole sectors)"
        case let .locked(path, true):
            return "\(path): in use read-write by another process (locked)"
        case let .locked(path, false):
            return "\(path): in use by another process (locked); use ,ro for a read-only view"
        }
    }
}
