import ARMv7
import Foundation

/// An ARM PrimeCell PL031 real-time clock: a seconds counter that starts at
/// the host's wall-clock time, plus the match register and interrupt.
public final class PL031: MMIODevice, @unchecked Sendable {
    private let lock = NSLock()
    /// Seconds added to the host's clock (set by writes to LR).
    private var offset: Int64 = 0
    private var match: UInt32 = 0
    private var control: UInt32 = 1
    private var mask: UInt32 = 0
    private var raw: UInt32 = 0
    /// PrimeCell peripheral and cell identification (offsets 0xFE0–0xFFC).
    static let idBytes: [UInt32] = [0x31, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1]

    /// Seconds since 1970 of the clock it counts (the host's, or a
    /// deterministic machine's virtual time).
    private let clock: @Sendable () -> Int64

    public init(clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.clock = clock
    }

    private var now: UInt32 { UInt32(truncatingIfNeeded: clock() + offset) }

    public func mmioRead(offset o: UInt64, size: Int) -> UInt64 {
        lock.lock(); defer { lock.unlock() }
        switch o & ~3 {
        case 0x00: return UInt64(now)
        case 0x04: return UInt64(match)
        case 0x08: return UInt64(now)
        case 0x0C: return UInt64(control)
        case 0x10: return UInt64(mask)
        case 0x14: return UInt64(raw)
        case 0x18: return UInt64(raw & mask)
        case 0xFE0...0xFFC: return UInt64(PL031.idBytes[Int((o - 0xFE0) >> 2)])
        default: return 0
        }
    }

    public func mmioWrite(offset o: UInt64, size: Int, value: UInt64) {
        let v = UInt32(truncatingIfNeeded: value)
        lock.lock(); defer { lock.unlock() }
        switch o & ~3 {
        case 0x04: match = v
        case 0x08: offset = Int64(v) - clock()
        case 0x0C: control |= v & 1        // once enabled it stays enabled
        case 0x10: mask = v & 1
        case 0x1C: raw &= ~v
        default: break
        }
    }
}
