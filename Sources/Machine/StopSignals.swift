import Foundation

/// Turns SIGINT, SIGTERM and SIGHUP into a clean stop: the first one calls
/// `onStop` (from a dispatch queue, not a signal handler, so it may lock and
/// allocate); a second one, if the clean stop hangs, restores the terminal
/// and exits at once with 128 + the signal number.
public final class StopSignals: @unchecked Sendable {
    public static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "armvisor.signals")
    private let lock = NSLock()
    private var received = false

    public init(onStop: @escaping @Sendable (Int32) -> Void) {
        for sig in Self.handled {
            signal(sig, SIG_IGN)   // delivered to the dispatch source instead
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [unowned self] in
                lock.lock()
                let second = received
                received = true
                lock.unlock()
                if second {
                    TerminalMode.restore()
                    _exit(128 + sig)
                }
                onStop(sig)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Gives the signals their default actions back.
    public func cancel() {
        for s in sources { s.cancel() }
        sources.removeAll()
        for sig in Self.handled { signal(sig, SIG_DFL) }
    }
}
