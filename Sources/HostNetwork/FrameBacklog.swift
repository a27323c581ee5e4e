import Foundation

/// Frames kept, oldest first, while the guest's device cannot take them.
struct FrameBacklog {
    private var frames: [[UInt8]] = []
    private var head = 0

    var isEmpty: Bool { head == frames.count }
    var count: Int { frames.count - head }
    var first: [UInt8]? { isEmpty ? nil : frames[head] }

    mutating func append(_ frame: [UInt8]) { frames.append(frame) }

    mutating func removeFirst() {
        precondition(!isEmpty)
        head += 1
        if head == frames.count {
            frames.removeAll(keepingCapacity: true)
            head = 0
        }
    }

    /// Offers the frames to `deliver` in order, removing each it takes,
    /// until it refuses one; returns whether the backlog is now empty.
    mutating func drain(into deliver: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        while let frame = first {
            guard frame.withUnsafeBytes(deliver) else { return false }
            removeFirst()
        }
        return true
    }
}

/// Writes `armvisor: message` as one line on standard error.
func logLine(_ message: String) {
    FileHandle.standardError.write(Data("armvisor: \(message)\n".utf8))
}
