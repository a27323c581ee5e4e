import Foundation

/// A host network backend that could not be set up (a device that cannot be
/// opened, a forwarded port already in use). Its description is one line
/// saying what went wrong and, where it can, what to do.
public struct NetworkBackendError: Error, CustomStringConvertible, Equatable {
    /// The one-line message.
    public let description: String

    /// An error whose (one-line) message is `description`.
    public init(_ description: String) {
        self.description = description
    }
}

/// The message for an errno value, starting in lower case ("address already
/// in use"), to follow a colon in a one-line error.
func errnoMessage(_ code: Int32) -> String {
    let message = String(cString: strerror(code))
    guard let first = message.first else { return "error \(code)" }
    return first.lowercased() + message.dropFirst()
}
