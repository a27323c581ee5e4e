import ARMv7
import Foundation

/// A GICv2 (distributor and CPU interfaces) emulated by the VMM, the way
/// QEMU does with kernel_irqchip=off: guest accesses arrive as MMIO exits and
/// the output of each CPU interface drives that VCPU's virtual IRQ line.
/// (The in-kernel vGIC with list registers is the next step.)
public final class GICv2: @unchecked Sendable {
    /// Interrupt IDs 0–15 SGIs, 16–31 PPIs (banked per CPU), 32… SPIs.
    public static let lineCount = 96
    public let cpuCount: Int
    private let lock = NSLock()
    private var distributorEnabled = false
    private var enabled = [Bool](repeating: false, count: lineCount)
    /// Pending and active state per CPU for banked IDs, shared for SPIs (index 0).
    private var pending: [[Bool]]
    private var active: [[Bool]]
    private var level: [[Bool]]
    private var priority: [[UInt8]]
    private var targets = [UInt8](repeating: 1, count: lineCount)
    private var edge = [Bool](repeating: false, count: lineCount)
    private var cpuEnabled: [Bool]
    private var priorityMask: [UInt8]
    private var runningPriority: [[UInt8]]
    /// Called with (cpu, level) when a CPU interface's IRQ output changes.
    public var output: ((Int, Bool) -> Void)?

    public init(cpus: Int) {
        cpuCount = max(1, min(cpus, 8))
        pending = Array(repeating: Array(repeating: false, count: Self.lineCount), count: cpuCount)
        active = pending
        level = pending
        priority = Array(repeating: Array(repeating: 0, count: Self.lineCount), count: cpuCount)
        cpuEnabled = Array(repeating: false, count: cpuCount)
        priorityMask = Array(repeating: 0, count: cpuCount)
        runningPriority = Array(repeating: [], count: cpuCount)
        for i in 0..<16 { edge[i] = true }
    }

    private func bank(_ id: Int, _ cpu: Int) -> Int { id < 32 ? cpu : 0 }

    /// Drives an interrupt input: a PPI of `cpu` (16–31) or an SPI (32…).
    public func setLevel(_ id: Int, cpu: Int = 0, _ high: Bool) {
        guard id >= 16, id < Self.lineCount, cpu < cpuCount else { return }
        lock.lock()
        let b = bank(id, cpu)
        let was = level[b][id]
        level[b][id] = high
        if high && (!was || !edge[id]) { pending[b][id] = true }
        if !high && !edge[id] { pending[b][id] = false }
        lock.unlock()
        update()
    }

    // MARK: Distributor (0x08000000)

    /// The distributor window as an MMIO device.
    public lazy var distributor: MMIODevice = Window(self, isDistributor: true)
    /// The CPU interface window (banked by the accessing CPU; one CPU here).
    public lazy var cpuInterface: MMIODevice = Window(self, isDistributor: false)

    final class Window: MMIODevice {
        unowned let gic: GICv2
        let isDistributor: Bool
        init(_ g: GICv2, isDistributor: Bool) { gic = g; self.isDistributor = isDistributor }
        func mmioRead(offset: UInt64, size: Int) -> UInt64 {
            UInt64(isDistributor ? gic.readDistributor(Int(offset), size: size, cpu: 0)
                                 : gic.readCPU(Int(offset), cpu: 0))
        }
        func mmioWrite(offset: UInt64, size: Int, value: UInt64) {
            if isDistributor { gic.writeDistributor(Int(offset), size: size, UInt32(truncatingIfNeeded: value), cpu: 0) }
            else { gic.writeCPU(Int(offset), UInt32(truncatingIfNeeded: value), cpu: 0) }
        }
    }

    func readDistributor(_ o: Int, size: Int, cpu: Int) -> UInt32 {
        lock.lock(); defer { lock.unlock() }
        func bits(_ base: Int, _ f: (Int) -> Bool) -> UInt32 {
            var v: UInt32 = 0
            let first = (o - base) * 8
            for i in 0..<32 where first + i < Self.lineCount && f(first + i) { v |= 1 << UInt32(i) }
            return v
        }
        func bytes(_ base: Int, _ f: (Int) -> UInt8) -> UInt32 {
            var v: UInt32 = 0
            for i in 0..<size { let id = o - base + i; if id < Self.lineCount { v |= UInt32(f(id)) << UInt32(8 * i) } }
            return v
        }
        switch o {
        case 0x000: return distributorEnabled ? 1 : 0
        case 0x004: return UInt32(Self.lineCount / 32 - 1) | UInt32(cpuCount - 1) << 5
        case 0x008: return 0x0200_043B
        case 0x080..<0x100: return 0
        case 0x100..<0x180: return bits(0x100) { self.enabled[$0] }
        case 0x180..<0x200: return bits(0x180) { self.enabled[$0] }
        case 0x200..<0x280: return bits(0x200) { self.pending[self.bank($0, cpu)][$0] }
        case 0x280..<0x300: return bits(0x280) { self.pending[self.bank($0, cpu)][$0] }
        case 0x300..<0x380: return bits(0x300) { self.active[self.bank($0, cpu)][$0] }
        case 0x380..<0x400: return bits(0x380) { self.active[self.bank($0, cpu)][$0] }
        case 0x400..<0x800: return bytes(0x400) { self.priority[self.bank($0, cpu)][$0] }
        case 0x800..<0xC00: return bytes(0x800) { $0 < 32 ? UInt8(1 << cpu) : self.targets[$0] }
        case 0xC00..<0xD00:
            var v: UInt32 = 0
            let first = (o - 0xC00) * 4
            for i in 0..<16 where first + i < Self.lineCount && edge[first + i] { v |= 2 << UInt32(2 * i) }
            return v
        case 0xFE0...0xFFC: return [0x90, 0xB4, 0x2B, 0x00, 0x0D, 0xF0, 0x05, 0xB1][(o - 0xFE0) >> 2]
        default: return 0
        }
    }

    func writeDistributor(_ o: Int, size: Int, _ v: UInt32, cpu: Int) {
        lock.lock()
        func each(_ base: Int, _ f: (Int) -> Void) {
            let first = (o - base) * 8
            for i in 0..<32 where v & (1 << UInt32(i)) != 0 && first + i < Self.lineCount { f(first + i) }
        }
        switch o {
        case 0x000: distributorEnabled = v & 1 != 0
        case 0x100..<0x180: each(0x100) { self.enabled[$0] = true }
        case 0x180..<0x200: each(0x180) { if $0 >= 16 { self.enabled[$0] = false } }
        case 0x200..<0x280: each(0x200) { self.pending[self.bank($0, cpu)][$0] = true }
        case 0x280..<0x300: each(0x280) { self.pending[self.bank($0, cpu)][$0] = false }
        case 0x300..<0x380: each(0x300) { self.active[self.bank($0, cpu)][$0] = true }
        case 0x380..<0x400: each(0x380) { self.active[self.bank($0, cpu)][$0] = false }
        case 0x400..<0x800:
            for i in 0..<size where o - 0x400 + i < Self.lineCount {
                let id = o - 0x400 + i
                priority[bank(id, cpu)][id] = UInt8(truncatingIfNeeded: v >> UInt32(8 * i)) & 0xF8
            }
        case 0x800..<0xC00:
            for i in 0..<size where o - 0x800 + i >= 32 && o - 0x800 + i < Self.lineCount {
                // Targets are masked to the CPUs that exist.
                targets[o - 0x800 + i] = UInt8(truncatingIfNeeded: v >> UInt32(8 * i)) & UInt8((1 << cpuCount) - 1)
            }
        case 0xC00..<0xD00:
            let first = (o - 0xC00) * 4
            for i in 0..<16 where first + i >= 16 && first + i < Self.lineCount {
                edge[first + i] = (v >> UInt32(2 * i)) & 2 != 0
            }
        case 0xF00:   // SGIR: only this CPU exists for now
            let id = Int(v & 0xF)
            let filter = (v >> 24) & 3
            let list = filter == 1 ? UInt32((1 << cpuCount) - 1) & ~(1 << UInt32(cpu))
                     : filter == 2 ? 1 << UInt32(cpu) : (v >> 16) & 0xFF
            for c in 0..<cpuCount where list & (1 << UInt32(c)) != 0 { pending[c][id] = true }
        default: break
        }
        lock.unlock()
        update()
    }

    // MARK: CPU interface (0x08010000)

    func highestPending(_ cpu: Int) -> Int? {
        var best: Int?
        var bestPriority = 0x100
        for id in 0..<Self.lineCount {
            let b = bank(id, cpu)
            guard pending[b][id], !active[b][id], enabled[id] else { continue }
            if id >= 32 && targets[id] & (1 << UInt8(cpu)) == 0 { continue }
            let p = Int(priority[b][id])
            if p < bestPriority { best = id; bestPriority = p }
        }
        guard let id = best, bestPriority < Int(priorityMask[cpu]) else { return nil }
        if let running = runningPriority[cpu].last, bestPriority >= Int(running) { return nil }
        return id
    }

    func readCPU(_ o: Int, cpu: Int) -> UInt32 {
        lock.lock()
        var result: UInt32 = 0
        switch o {
        case 0x00: result = cpuEnabled[cpu] ? 1 : 0
        case 0x04: result = UInt32(priorityMask[cpu])
        case 0x0C:   // IAR: acknowledge
            if distributorEnabled && cpuEnabled[cpu], let id = highestPending(cpu) {
                let b = bank(id, cpu)
                if edge[id] || !level[b][id] { pending[b][id] = false }
                active[b][id] = true
                runningPriority[cpu].append(priority[b][id])
                result = UInt32(id)
            } else {
                result = 1023
            }
        case 0x14: result = UInt32(runningPriority[cpu].last ?? 0xFF)
        case 0x18: result = UInt32(highestPending(cpu) ?? 1023)
        case 0xFC: result = 0x0202_043B
        default: result = 0
        }
        lock.unlock()
        update()
        return result
    }

    func writeCPU(_ o: Int, _ v: UInt32, cpu: Int) {
        lock.lock()
        switch o {
        case 0x00: cpuEnabled[cpu] = v & 1 != 0
        case 0x04: priorityMask[cpu] = UInt8(v & 0xF8)
        case 0x10:   // EOIR
            let id = Int(v & 0x3FF)
            if id < Self.lineCount {
                let b = bank(id, cpu)
                active[b][id] = false
                if !edge[id] && level[b][id] { pending[b][id] = true }
                _ = runningPriority[cpu].popLast()
            }
        default: break
        }
        lock.unlock()
        update()
    }

    /// A one-line summary of the pending/active state (diagnostics).
    public var stateSummary: String {
        lock.lock(); defer { lock.unlock() }
        var parts: [String] = []
        for id in 0..<Self.lineCount {
            let b = bank(id, 0)
            if pending[b][id] || active[b][id] || level[b][id] {
                parts.append("\(id):\(pending[b][id] ? "P" : "")\(active[b][id] ? "A" : "")\(level[b][id] ? "L" : "")\(enabled[id] ? "e" : "d")/\(priority[b][id])")
            }
        }
        return "gic dist=\(distributorEnabled) cpu=\(cpuEnabled[0]) pmr=\(priorityMask[0]) running=\(runningPriority[0]) " + parts.joined(separator: " ")
    }

    /// Recomputes every CPU interface's output.
    func update() {
        lock.lock()
        let outs = (0..<cpuCount).map { distributorEnabled && cpuEnabled[$0] && highestPending($0) != nil }
        lock.unlock()
        for (c, o) in outs.enumerated() { output?(c, o) }
    }
}
