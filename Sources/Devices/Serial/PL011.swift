import Foundation

/// An ARM PrimeCell PL011 UART: enough of it for Linux's amba-pl011 driver
/// and for bare-metal polled output.
///
/// Transmit is immediate: the transmit FIFO drains as soon as a byte is
/// written, so it is never full. Received bytes queue in a FIFO of 32
/// entries (1 when LCR_H.FEN is clear); `receive(_:)` accepts only what fits,
/// so the console applies back-pressure instead of the UART overrunning.
/// Like the hardware, the receiver takes data only while CR.UARTEN and
/// CR.RXE are set; input held back until then may still be discarded by a
/// driver that empties the FIFO when it opens the port (Linux does).
///
/// Interrupts follow the TRM: RX when the fill reaches the IFLS trigger
/// level (any byte with the FIFO disabled), receive timeout (RT) when the
/// FIFO holds data and the line goes quiet (at the end of every `receive`
/// burst, since the host delivers input in bursts), TX when the transmit
/// FIFO drains to its trigger level (after every written byte). Reads that
/// empty the FIFO clear RT; reads below the trigger clear RX; ICR clears any.
public final class PL011: MMIODevice, @unchecked Sendable {
    /// Receives every transmitted byte.
    public var output: (UInt8) -> Void
    /// Called when the interrupt output changes level (under the UART's
    /// lock, so levels reach the interrupt controller in order).
    public var interruptLine: ((Bool) -> Void)?
    /// Called (outside the lock) when the guest frees receive FIFO space.
    public var receiveSpaceAvailable: (() -> Void)?

    private var rxFIFO: [UInt8] = []
    private let lock = NSLock()
    private var ibrd: UInt32 = 0, fbrd: UInt32 = 0, lcrH: UInt32 = 0
    private var cr: UInt32 = 0x300, ifls: UInt32 = 0x12, imsc: UInt32 = 0
    private var ris: UInt32 = 0, dmacr: UInt32 = 0
    private var lineLevel = false

    /// PrimeCell peripheral and cell identification (offsets 0xFE0–0xFFC).
    static let idBytes: [UInt32] = [0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1]

    /// Interrupt bits of IMSC/RIS/MIS/ICR.
    enum Interrupt {
        static let rx: UInt32 = 1 << 4, tx: UInt32 = 1 << 5, receiveTimeout: UInt32 = 1 << 6
    }

    /// Flag register bits.
    enum Flag {
        static let rxEmpty: UInt32 = 1 << 4, txFull: UInt32 = 1 << 5
        static let rxFull: UInt32 = 1 << 6, txEmpty: UInt32 = 1 << 7
    }

    static let fifoDepth = 32

    public init(output: @escaping (UInt8) -> Void) {
        self.output = output
    }

    /// Receive FIFO depth now: 32 with FIFOs enabled (LCR_H.FEN), else 1.
    private var depth: Int { lcrH & 0x10 != 0 ? Self.fifoDepth : 1 }

    /// Fill at which the RX interrupt asserts: IFLS.RXIFLSEL of 1/8, 1/4,
    /// 1/2, 3/4 or 7/8 full; 1 byte with FIFOs disabled.
    private var rxTrigger: Int {
        guard depth > 1 else { return 1 }
        switch (ifls >> 3) & 7 {
        case 0: return 4
        case 1: return 8
        case 2: return 16
        case 3: return 24
        default: return 28
        }
    }

    /// Queues as many of `bytes` as fit in the receive FIFO and returns how
    /// many were taken (the caller keeps the rest until
    /// `receiveSpaceAvailable`).
    @discardableResult
    public func receive<C: Collection<UInt8>>(_ bytes: C) -> Int {
        lock.lock(); defer { lock.unlock() }
        let taken = min(bytes.count, receiveSpaceLocked)
        guard taken > 0 else { return 0 }
        rxFIFO.append(contentsOf: bytes.prefix(taken))
        if rxFIFO.count >= rxTrigger { ris |= Interrupt.rx }
        ris |= Interrupt.receiveTimeout   // the burst is over: the line is idle
        updateInterrupt()
        return taken
    }

    /// Bytes `receive(_:)` would take now: free FIFO entries while the
    /// receiver is enabled (CR.UARTEN and CR.RXE), else none.
    public var receiveSpace: Int {
        lock.lock(); defer { lock.unlock() }
        return receiveSpaceLocked
    }

    private var receiveSpaceLocked: Int {
        cr & 0x201 == 0x201 ? max(0, depth - rxFIFO.count) : 0
    }

    public func mmioRead(offset: UInt64, size: Int) -> UInt64 {
        lock.lock()
        switch offset & ~3 {
        case 0x000:
            guard !rxFIFO.isEmpty else { lock.unlock(); return 0 }
            let b = rxFIFO.removeFirst()
            if rxFIFO.count < rxTrigger { ris &= ~Interrupt.rx }
            if rxFIFO.isEmpty { ris &= ~Interrupt.receiveTimeout }
            updateInterrupt()
            let notify = receiveSpaceAvailable
            lock.unlock()
            notify?()
            return UInt64(b)
        default:
            defer { lock.unlock() }
            return UInt64(readRegister(offset & ~3))
        }
    }

    /// Registers other than DR (called with the lock held).
    private func readRegister(_ offset: UInt64) -> UInt32 {
        switch offset {
        case 0x004: return 0   // RSR: no framing, parity, break or overrun errors
        case 0x018:
            var fr = Flag.txEmpty
            if rxFIFO.isEmpty { fr |= Flag.rxEmpty }
            if rxFIFO.count >= depth { fr |= Flag.rxFull }
            return fr
        case 0x024: return ibrd
        case 0x028: return fbrd
        case 0x02C: return lcrH
        case 0x030: return cr
        case 0x034: return ifls
        case 0x038: return imsc
        case 0x03C: return ris
        case 0x040: return ris & imsc
        case 0x048: return dmacr
        case 0xFE0...0xFFC: return PL011.idBytes[Int((offset - 0xFE0) >> 2)]
        default: return 0
        }
    }

    public func mmioWrite(offset: UInt64, size: Int, value: UInt64) {
        let v = UInt32(truncatingIfNeeded: value)
        lock.lock()
        switch offset & ~3 {
        case 0x000:
            // The byte leaves at once: the FIFO falls to (below) its trigger level.
            ris |= Interrupt.tx
            updateInterrupt()
            lock.unlock()
            output(UInt8(truncatingIfNeeded: v))
            return
        case 0x004: break   // ECR: clears errors, of which there are none
        case 0x024: ibrd = v & 0xFFFF
        case 0x028: fbrd = v & 0x3F
        case 0x02C:
            let wasEnabled = lcrH & 0x10 != 0
            lcrH = v & 0xFF
            // Changing FEN changes the depth; keep what still fits.
            if wasEnabled != (lcrH & 0x10 != 0), rxFIFO.count > depth { rxFIFO.removeFirst(rxFIFO.count - depth) }
        case 0x030:
            let couldReceive = receiveSpaceLocked > 0
            cr = v & 0xFFFF
            if !couldReceive && receiveSpaceLocked > 0 {
                updateInterrupt()
                let notify = receiveSpaceAvailable
                lock.unlock()
                notify?()
                return
            }
        case 0x034: ifls = v & 0x3F
        case 0x038: imsc = v & 0x7FF
        case 0x044: ris &= ~(v & 0x7FF)
        case 0x048: dmacr = v & 7
        default: break
        }
        updateInterrupt()
        lock.unlock()
    }

    /// Drives the interrupt output from MIS (called with the lock held).
    private func updateInterrupt() {
        let level = ris & imsc != 0
        guard level != lineLevel else { return }
        lineLevel = level
        interruptLine?(level)
    }
}
