import Foundation

/// Why a machine stopped running before its guest powered off.
public enum StopReason: Equatable, Sendable, CustomStringConvertible {
    /// The user asked on the console (Ctrl-A x).
    case console
    /// The VMM process received this signal (SIGINT, SIGTERM, SIGHUP).
    case signal(Int32)
    /// Another part of the VMM asked, for this reason.
    case requested(String)

    public var description: String {
        switch self {
        case .console: return "quit from the console"
        case .signal(let n): return "terminated by signal \(n)"
        case .requested(let why): return why
        }
    }
}

/// A device that must finish work before the VMM exits (flush a disk
/// image, close a file). `VirtMachine.shutdown()` calls it once.
public protocol ShutdownParticipant: AnyObject {
    /// Finishes outstanding work; the guest will not run again.
    func shutdown()
}

/// The VMM side of starting and stopping a machine, kept apart from the run
/// loop: the stop request (readable from any VCPU thread), the idle wait a
/// halted VCPU sleeps in (woken by interrupts and by stop requests), the
/// shutdown handlers, and when the guest first ran.
public final class MachineLifecycle: @unchecked Sendable {
    private let condition = NSCondition()
    private var reason: StopReason?
    private var wakeups: UInt64 = 0
    private var handlers: [() -> Void] = []
    private var shutDown = false
    private var externalInput = false
    /// `CLOCK_MONOTONIC` nanoseconds just before the first world switch into the guest.
    public private(set) var firstGuestEntry: UInt64?

    /// A lifecycle with no stop requested and no external input.
    public init() {}

    /// The first stop request, if any.
    public var stopReason: StopReason? {
        condition.lock(); defer { condition.unlock() }
        return reason
    }

    /// Records a stop request (the first one wins) and wakes idle waiters.
    func requestStop(_ why: StopReason) {
        condition.lock()
        if reason == nil { reason = why }
        wakeups &+= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Whether something outside the guest (console input) can still raise
    /// interrupts: a WFI with no timer armed then waits instead of failing.
    public var hasExternalInput: Bool {
        get { condition.lock(); defer { condition.unlock() }; return externalInput }
        set {
            condition.lock()
            externalInput = newValue
            wakeups &+= 1   // idle VCPUs look again
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Wakes VCPUs idling in `idleWait` (an interrupt became pending).
    func wake() {
        condition.lock()
        wakeups &+= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps until `wake()`, a stop request, or `nanoseconds` have passed
    /// (forever when nil). `idle` is checked under the lock, so an interrupt
    /// raised just before the wait is not missed.
    func idleWait(nanoseconds: UInt64?, while idle: () -> Bool) {
        condition.lock()
        let seen = wakeups
        let deadline = nanoseconds.map { Date().addingTimeInterval(Double($0) / 1e9) }
        while wakeups == seen && reason == nil && idle() {
            if let d = deadline {
                if !condition.wait(until: d) { break }
            } else {
                condition.wait()
            }
        }
        condition.unlock()
    }

    /// Stamps the first guest entry (only the first call counts).
    func noteGuestEntry() {
        guard firstGuestEntry == nil else { return }
        firstGuestEntry = MachineLifecycle.monotonicNanoseconds()
    }

    /// Adds work to run at `shutdown()`, after the devices' own.
    func addShutdownHandler(_ handler: @escaping () -> Void) {
        condition.lock(); defer { condition.unlock() }
        handlers.append(handler)
    }

    /// Runs `devices`' shutdown and then the handlers, once.
    func shutdown(devices: [ShutdownParticipant]) {
        condition.lock()
        guard !shutDown else { condition.unlock(); return }
        shutDown = true
        let work = handlers
        condition.unlock()
        for d in devices { d.shutdown() }
        for h in work { h() }
    }

    /// `CLOCK_MONOTONIC` now, in nanoseconds (the same clock in every process).
    public static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
