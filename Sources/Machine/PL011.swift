import ARMv7
import Foundation

/// An ARM PrimeCell PL011 UART: enough of it for Linux's amba-pl011 driver
/// and for bare-metal polled output. Transmit is immediate (the FIFO never
/// fills); received bytes queue in a 32-entry FIFO.
public final class PL011: MMIODevice, @unchecked Sendable {
    /// Receives every transmitted byte.
    public var output: (UInt8) -> Void
    private var rxFIFO: [UInt8] = []
    private let lock = NSLock()
    private var ibrd: UInt32 = 0, fbrd: UInt32 = 0, lcrH: UInt32 = 0
    private var cr: UInt32 = 0x300, ifls: UInt32 = 0x12, imsc: UInt32 = 0
    private var ris: UInt32 = 0, dmacr: UInt32 = 0
    /// Called when the interrupt output changes level.
    public var interruptLine: ((Bool) -> Void)?

    /// PrimeCell peripheral and cell identification (offsets 0xFE0–0xFFC).
    static let idBytes: [UInt32] = [0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1]

    public init(output: @escaping (UInt8) -> Void) {
        self.output = output
    }

    /// Queues input bytes (from the console).
    public func receive(_ bytes: [UInt8]) {
        lock.lock()
        for b in bytes where rxFIFO.count < 32 { rxFIFO.append(b) }
        ris |= 1 << 4   // RXRIS
        lock.unlock()
        updateInterrupt()
    }

    public func mmioRead(offset: UInt64, size: Int) -> UInt64 {
        lock.lock(); defer { lock.unlock() }
        switch offset & ~3 {
        case 0x000:
            guard !rxFIFO.isEmpty else { return 0 }
            let b = rxFIFO.removeFirst()
            if rxFIFO.isEmpty { ris &= ~(1 << 4) }
            return UInt64(b)
        case 0x004: return 0
        case 0x018:
            // TXFE (bit 7) always; RXFE (bit 4) when nothing is queued.
            return UInt64(0x80 | (rxFIFO.isEmpty ? 0x10 : 0x40))
        case 0x024: return UInt64(ibrd)
        case 0x028: return UInt64(fbrd)
        case 0x02C: return UInt64(lcrH)
        case 0x030: return UInt64(cr)
        case 0x034: return UInt64(ifls)
        case 0x038: return UInt64(imsc)
        case 0x03C: return UInt64(ris | (1 << 5))        // TX always has room
        case 0x040: return UInt64((ris | (1 << 5)) & imsc)
        case 0x048: return UInt64(dmacr)
        case 0xFE0...0xFFC: return UInt64(PL011.idBytes[Int((offset - 0xFE0) >> 2)])
        default: return 0
        }
    }

    public func mmioWrite(offset: UInt64, size: Int, value: UInt64) {
        let v = UInt32(truncatingIfNeeded: value)
        lock.lock()
        switch offset & ~3 {
        case 0x000:
            lock.unlock()
            output(UInt8(truncatingIfNeeded: v))
            return
        case 0x024: ibrd = v & 0xFFFF
        case 0x028: fbrd = v & 0x3F
        case 0x02C: lcrH = v & 0xFF
        case 0x030: cr = v & 0xFFFF
        case 0x034: ifls = v & 0x3F
        case 0x038: imsc = v & 0x7FF
        case 0x044: ris &= ~v
        case 0x048: dmacr = v & 7
        default: break
        }
        lock.unlock()
        updateInterrupt()
    }

    private func updateInterrupt() {
        guard let line = interruptLine else { return }
        lock.lock()
        let level = ((ris | (1 << 5)) & imsc) != 0
        lock.unlock()
        line(level)
    }
}
