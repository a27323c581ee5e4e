import Foundation

/// Turns SIGINT, SIGTERM and SIGHUP into a clean stop: the first one calls
/// `onStop` (on a thread of its own, not in a signal handler, so it may lock
/// and allocate); a second one, if the clean stop hangs, restores the
/// terminal and exits at once with 128 + the signal number.
///
/// The handler is installed synchronously with sigaction and only writes
/// the signal number into a pipe (the self-pipe pattern): a signal that
/// arrives at any moment after `init` returns is never lost, which a
/// dispatch signal source, registered asynchronously, does not promise.
public final class StopSignals: @unchecked Sendable {
    public static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    /// The pipe's write end, for the signal handler (-1 when not installed).
    nonisolated(unsafe) private static var writeFD: Int32 = -1
    private var readFD: Int32 = -1

    public init(onStop: @escaping @Sendable (Int32) -> Void) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        readFD = fds[0]
        StopSignals.writeFD = fds[1]
        for sig in Self.handled {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                var byte = UInt8(truncatingIfNeeded: sig)
                let saved = errno
                _ = write(StopSignals.writeFD, &byte, 1)
                errno = saved
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(sig, &action, nil)
        }
        let fd = readFD
        let thread = Thread {
            var received = false
            var byte: UInt8 = 0
            while true {
                let n = read(fd, &byte, 1)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }   // cancelled
                let sig = Int32(byte)
                if received {
                    TerminalMode.restore()
                    _exit(128 + sig)
                }
                received = true
                onStop(sig)
            }
        }
        thread.name = "armvisor-signals"
        thread.start()
    }

    /// Gives the signals their default actions back and ends the thread.
    public func cancel() {
        for sig in Self.handled { signal(sig, SIG_DFL) }
        let w = StopSignals.writeFD
        StopSignals.writeFD = -1
        if w >= 0 { close(w) }
    }
}
