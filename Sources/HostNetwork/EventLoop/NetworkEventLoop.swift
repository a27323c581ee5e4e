import CHostNetwork
import Foundation

/// A thread that polls one backend's host descriptors, plus an eventfd that
/// other threads write to wake it, and fires the backend's timers.
///
/// VCPU threads never block on it: they queue work under the backend's own
/// lock and call `wake()`, which writes the eventfd. `stop()` wakes the loop,
/// waits for its thread to finish, and closes the eventfd; it is idempotent.
public final class NetworkEventLoop: @unchecked Sendable {
    /// The loop thread's name (seen in debuggers and `top -H`).
    public let name: String

    private enum State { case idle, running, stopping, stopped }

    private let lock = NSLock()
    private var state = State.idle
    private var wakeFD: Int32
    private var loopThread: pthread_t?
    private let exited = DispatchSemaphore(value: 0)
    /// Loop thread only.
    private var timers: [NetworkTimer] = []

    /// Creates the loop's eventfd; the thread starts with `start`.
    public init(name: String) throws {
        self.name = name
        let fd = armv_eventfd()
        guard fd >= 0 else { throw NetworkBackendError("\(name): eventfd: \(errnoMessage(-fd))") }
        wakeFD = fd
    }

    deinit {
        if wakeFD >= 0 { close(wakeFD) }
    }

    /// Starts the loop's thread, runs `handler.loopDidStart` on it and waits
    /// for that to finish; rethrows its error (the thread has then ended).
    /// The loop keeps `handler` until it stops.
    public func start(_ handler: NetworkEventHandler) throws {
        lock.lock()
        guard state == .idle else {
            lock.unlock()
            throw NetworkBackendError("\(name): the event loop was already started")
        }
        state = .running
        lock.unlock()

        let startup = Startup()
        let thread = Thread { [self] in self.run(handler, startup) }
        thread.name = name
        thread.start()
        startup.done.wait()
        if let error = startup.error {
            exited.wait()
            lock.lock()
            state = .stopped
            closeWakeFD()
            lock.unlock()
            throw error
        }
    }

    /// Stops the loop: its thread finishes the current iteration, calls
    /// `loopWillExit` and ends; this waits for it (unless called on the loop
    /// thread itself) and closes the eventfd. Does nothing when not running.
    public func stop() {
        lock.lock()
        guard state == .running else { lock.unlock(); return }
        state = .stopping
        let onLoopThread = loopThread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
        lock.unlock()
        wake()
        if onLoopThread { return }   // the loop ends after this iteration; deinit closes the fd
        exited.wait()
        lock.lock()
        state = .stopped
        closeWakeFD()
        lock.unlock()
    }

    /// Wakes the loop so that it calls `service` soon; from any thread, never blocks.
    public func wake() {
        lock.lock(); defer { lock.unlock() }
        guard wakeFD >= 0 else { return }
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)   // EAGAIN: the counter is already nonzero, the loop wakes anyway
    }

    // MARK: Timers (loop thread only)

    /// A disarmed timer that calls `fire` on the loop thread when it expires.
    public func makeTimer(_ fire: @escaping () -> Void) -> NetworkTimer {
        let timer = NetworkTimer(fire: fire)
        timers.append(timer)
        return timer
    }

    /// Forgets `timer`: it never fires again.
    public func removeTimer(_ timer: NetworkTimer) {
        timer.deadline = nil
        timers.removeAll { $0 === timer }
    }

    /// The monotonic clock the timers run on, in nanoseconds.
    public static func monotonicNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// The monotonic clock in milliseconds (timer deadlines).
    public static func monotonicMilliseconds() -> Int64 { monotonicNanoseconds() / 1_000_000 }

    // MARK: The loop thread

    private final class Startup: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        var error: Error?
    }

    private var stopRequested: Bool {
        lock.lock(); defer { lock.unlock() }
        return state != .running
    }

    private func run(_ handler: NetworkEventHandler, _ startup: Startup) {
        lock.lock()
        loopThread = pthread_self()
        lock.unlock()
        do {
            try handler.loopDidStart(self)
        } catch {
            startup.error = error
            handler.loopWillExit(self)
            startup.done.signal()
            exited.signal()
            return
        }
        startup.done.signal()

        var fds: [pollfd] = []
        while !stopRequested {
            handler.service(self)
            fds.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0))
            let timeout = Self.sooner(handler.preparePoll(&fds), timerTimeout())
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            let failed = ready < 0 && errno != EINTR
            if ready < 0 { for i in fds.indices { fds[i].revents = 0 } }
            if fds[0].revents != 0 {
                var count: UInt64 = 0
                _ = read(wakeFD, &count, 8)
            }
            fireTimers()
            fds.withUnsafeMutableBufferPointer { all in
                handler.pollDidReturn(UnsafeMutableBufferPointer(rebasing: all[1...]), failed: failed)
            }
        }
        handler.loopWillExit(self)
        timers.removeAll()
        exited.signal()
    }

    /// The shorter of two poll timeouts (negative: no limit).
    static func sooner(_ a: Int32, _ b: Int32) -> Int32 {
        if a < 0 { return b }
        if b < 0 { return a }
        return min(a, b)
    }

    /// Milliseconds until the earliest armed timer (0 if one is due), or -1
    /// (no limit, as poll's timeout) when none is armed.
    private func timerTimeout() -> Int32 {
        guard let next = timers.compactMap(\.deadline).min() else { return -1 }
        let wait = next - Self.monotonicMilliseconds()
        return Int32(clamping: max(0, wait))
    }

    private func fireTimers() {
        let now = Self.monotonicMilliseconds()
        for timer in timers {
            guard let deadline = timer.deadline, deadline <= now else { continue }
            timer.deadline = nil
            timer.fire()
        }
    }

    /// Called with `lock` held.
    private func closeWakeFD() {
        if wakeFD >= 0 { close(wakeFD) }
        wakeFD = -1
    }
}
