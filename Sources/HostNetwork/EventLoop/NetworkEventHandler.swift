import Glibc

/// What a `NetworkEventLoop` runs: a backend's work on its host descriptors.
/// Every method is called on the loop's thread.
public protocol NetworkEventHandler: AnyObject, Sendable {
    /// Runs once when the loop's thread starts; an error ends the loop and is
    /// thrown by `NetworkEventLoop.start`.
    func loopDidStart(_ loop: NetworkEventLoop) throws
    /// Runs at the top of every iteration, after a wake-up or a poll: takes
    /// the work other threads queued (frames to send, room to deliver).
    func service(_ loop: NetworkEventLoop)
    /// Appends the descriptors to poll and returns the longest the loop may
    /// sleep, in milliseconds (-1 for no limit).
    func preparePoll(_ fds: inout [pollfd]) -> Int32
    /// After `poll`: `fds` are the descriptors `preparePoll` appended, in
    /// order, with their `revents`; `failed` when poll itself failed.
    func pollDidReturn(_ fds: UnsafeMutableBufferPointer<pollfd>, failed: Bool)
    /// Runs last on the loop's thread, when it stops: release host resources.
    func loopWillExit(_ loop: NetworkEventLoop)
}
