import Foundation

/// An ARM PrimeCell PL031 real-time clock: a seconds counter that starts at
/// the host's wall-clock time, plus the match register and its interrupt.
///
/// The match event (RTCRIS bit 0) happens when the counter reaches RTCMR,
/// whatever RTCIMSC says; the interrupt output is RTCRIS & RTCIMSC (PL031
/// TRM, 3.3). The counter is derived from `clock`, so the event is found
/// lazily: on every register access, and, when `schedule` is given, from a
/// host timer set for the second the counter reaches the match value.
public final class PL031: MMIODevice, @unchecked Sendable {
    private let lock = NSLock()
    /// Seconds added to the host's clock (set by writes to LR).
    private var offset: Int64 = 0
    private var match: UInt32 = 0
    private var control: UInt32 = 1
    private var mask: UInt32 = 0
    private var raw: UInt32 = 0
    /// The counter value up to which match events have been looked for.
    private var checkedUpTo: UInt32 = 0
    /// Whether the current match value has not fired yet.
    private var armed = false
    /// Bumped on each new match value, so that stale host timers do nothing.
    private var generation = 0
    /// The level last driven on the interrupt output.
    private var lineLevel = false
    /// PrimeCell peripheral and cell identification (offsets 0xFE0–0xFFC).
    static let idBytes: [UInt32] = [0x31, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1]

    /// Seconds since 1970 of the clock it counts (the host's, or a
    /// deterministic machine's virtual time).
    private let clock: @Sendable () -> Int64
    /// Runs a closure after a delay in seconds (nil: no host timer; the match
    /// is then seen at the next register access, e.g. for virtual time).
    private let schedule: (@Sendable (Double, @escaping @Sendable () -> Void) -> Void)?
    /// Called with the new level when the interrupt output (RTCINTR) changes.
    public var interruptLine: ((Bool) -> Void)?

    /// An RTC counting `clock`; `schedule` runs a closure after a delay (the
    /// default uses a global dispatch queue with the host's clock).
    public init(clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
                schedule: (@Sendable (Double, @escaping @Sendable () -> Void) -> Void)? = PL031.hostSchedule) {
        self.clock = clock
        self.schedule = schedule
        checkedUpTo = UInt32(truncatingIfNeeded: clock())
    }

    /// Runs `work` after `seconds` on a global dispatch queue.
    public static let hostSchedule: @Sendable (Double, @escaping @Sendable () -> Void) -> Void = { seconds, work in
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: work)
    }

    private var now: UInt32 { UInt32(truncatingIfNeeded: clock() + offset) }

    public func mmioRead(offset o: UInt64, size: Int) -> UInt64 {
        lock.lock()
        let value: UInt32
        lookForMatch()
        switch o & ~3 {
        case 0x00: value = now
        case 0x04: value = match
        case 0x08: value = now
        case 0x0C: value = control
        case 0x10: value = mask
        case 0x14: value = raw
        case 0x18: value = raw & mask
        case 0xFE0...0xFFC: value = PL031.idBytes[Int((o - 0xFE0) >> 2)]
        default: value = 0
        }
        driveLine()
        lock.unlock()
        return UInt64(value)
    }

    public func mmioWrite(offset o: UInt64, size: Int, value: UInt64) {
        let v = UInt32(truncatingIfNeeded: value)
        lock.lock()
        lookForMatch()
        switch o & ~3 {
        case 0x04:
            match = v
            // Like QEMU: a match value equal to the counter fires at once.
            checkedUpTo = now &- 1
            armed = true
            generation &+= 1
            lookForMatch()
            startTimer()
        case 0x08:
            offset = Int64(v) - clock()
            checkedUpTo = now
            generation &+= 1
            startTimer()
        case 0x0C: control |= v & 1        // once enabled it stays enabled
        case 0x10: mask = v & 1
        case 0x1C: raw &= ~(v & 1)
        default: break
        }
        driveLine()
        lock.unlock()
    }

    /// Sets RTCRIS if the counter has passed the match value since the last
    /// look (counters wrap, so the distance is taken modulo 2^32).
    private func lookForMatch() {
        let current = now
        let advanced = current &- checkedUpTo
        if armed, advanced != 0, match &- checkedUpTo != 0, match &- checkedUpTo <= advanced {
            raw |= 1
            armed = false
        }
        checkedUpTo = current
    }

    /// Drives RTCINTR when its level changes. Called with the lock held, so
    /// that two threads cannot deliver levels out of order (the interrupt
    /// controller never calls back into devices).
    private func driveLine() {
        let level = raw & mask & 1 != 0
        guard level != lineLevel else { return }
        lineLevel = level
        interruptLine?(level)
    }

    /// Sets a host timer for the second the counter reaches the match value
    /// (at most an hour ahead; it sets itself again until then).
    private func startTimer() {
        guard armed, let schedule else { return }
        let remaining = match &- now
        let delay = remaining <= 1 ? 0.05 : min(Double(remaining - 1), 3600)
        let expected = generation
        schedule(delay) { [weak self] in self?.timerFired(generation: expected) }
    }

    private func timerFired(generation expected: Int) {
        lock.lock()
        guard expected == generation else { lock.unlock(); return }
        lookForMatch()
        startTimer()
        driveLine()
        lock.unlock()
    }
}
