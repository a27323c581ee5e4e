import Foundation
import Synchronization

/// vgic.c, the distributor half: the GICv2 distributor of one VM, emulated
/// in the kernel side. Guest accesses to its window never reach the VMM.
///
/// State follows the GIC Architecture Specification v2: IDs 0–15 are SGIs
/// and 16–31 PPIs (both banked per CPU), 32 and up SPIs routed by
/// ITARGETSR, which is masked to the CPUs that exist.
public final class VGIC: @unchecked Sendable {
    /// 32 private IDs and 128 SPIs (GICD_TYPER.ITLinesNumber = 4).
    public static let lineCount = 160
    /// Size of the distributor window.
    public static let distributorSize: UInt64 = 0x1000
    /// Size of the CPU interface window (GICC_DIR is at 0x1000).
    public static let cpuInterfaceSize: UInt64 = 0x2000

    /// One interrupt's state (for private IDs, one copy per CPU).
    struct Line {
        var enabled = false
        var pending = false
        var active = false
        /// The input level (level-sensitive lines stay pending while high).
        var level = false
        /// Pending set by GICD_ISPENDR on a level-sensitive line: it stays
        /// pending, whatever the input, until acknowledged or cleared by
        /// GICD_ICPENDR (GICv2 spec 4.3.7, 4.3.8).
        var softPending = false
        var edge = false
        var priority: UInt8 = 0
        /// In a list register of CPU `owner` (hardware CPU interface only).
        var queued = false
        var owner: UInt8 = 0
    }

    public let cpuCount: Int
    /// Whether guests use the core's GIC virtual CPU interface (list
    /// registers, GICV mapped at the CPU interface address) rather than a
    /// trapped, emulated CPU interface.
    public let hardwareCPUInterface: Bool
    /// Guest-physical bases of the two windows.
    public let distributorBase: UInt64
    public let cpuInterfaceBase: UInt64
    let lock = NSLock()
    var distributorEnabled = false
    /// Private lines, `cpu * 32 + id`.
    var privateLines: [Line]
    /// Shared peripheral lines, `id - 32`.
    var sharedLines: [Line]
    var targets: [UInt8]
    /// Pending SGIs per (target CPU, ID): one bit per source CPU.
    var sgiSources: [UInt8]
    /// CPU interface state (the emulated one; see VGICCPUInterface.swift).
    var cpuInterfaces: [EmulatedCPUInterface]
    /// Called (without the lock held) when CPU `n` may have a new
    /// interrupt to take or its output changed.
    var notify: ((Int) -> Void)?
    /// Bumped (under the lock) by every change of interrupt state, so an
    /// entry with nothing new can skip rebuilding its list registers.
    let version = Atomic<UInt64>(0)

    init(cpus: Int, distributorBase: UInt64, cpuInterfaceBase: UInt64, hardwareCPUInterface: Bool = false) {
        cpuCount = max(1, min(cpus, 8))
        self.hardwareCPUInterface = hardwareCPUInterface
        self.distributorBase = distributorBase
        self.cpuInterfaceBase = cpuInterfaceBase
        privateLines = Array(repeating: Line(), count: cpuCount * 32)
        for i in privateLines.indices where i % 32 < 16 {
            privateLines[i].edge = true      // SGIs are edge-triggered
            privateLines[i].enabled = true   // and always enabled here (RAO/WI, as KVM does)
        }
        sharedLines = Array(repeating: Line(), count: Self.lineCount - 32)
        targets = Array(repeating: 0, count: Self.lineCount - 32)
        sgiSources = Array(repeating: 0, count: cpuCount * 16)
        cpuInterfaces = Array(repeating: EmulatedCPUInterface(), count: cpuCount)
    }

    /// The state of `id` as CPU `cpu` sees it (caller holds the lock).
    @inline(__always) func line(_ id: Int, _ cpu: Int) -> Line {
        id < 32 ? privateLines[cpu * 32 + id] : sharedLines[id - 32]
    }

    @inline(__always) func update(_ id: Int, _ cpu: Int, _ body: (inout Line) -> Void) {
        if id < 32 { body(&privateLines[cpu * 32 + id]) } else { body(&sharedLines[id - 32]) }
    }

    /// Whether `id` is delivered to `cpu` at all (SPIs by ITARGETSR).
    @inline(__always) func targets(_ id: Int, _ cpu: Int) -> Bool {
        id < 32 || spiTargets(id) & (1 << UInt8(cpu)) != 0
    }

    /// The CPUs SPI `id` goes to. With one CPU that is always CPU 0,
    /// whatever ITARGETSR holds: "in a uniprocessor implementation, all
    /// interrupts target the one processor" (GICv2 spec, 4.3.12). Caller
    /// holds the lock.
    @inline(__always) func spiTargets(_ id: Int) -> UInt8 {
        cpuCount == 1 ? 1 : targets[id - 32]
    }

    // MARK: Inputs

    /// Drives a shared peripheral interrupt (ID 32 and up).
    public func setSPI(_ id: Int, _ high: Bool) {
        guard id >= 32, id < Self.lineCount else { return }
        setLevel(id, cpu: 0, high)
    }

    /// Drives a private peripheral interrupt (ID 16–31) of `cpu`.
    public func setPPI(_ id: Int, cpu: Int, _ high: Bool) {
        guard (16..<32).contains(id), cpu >= 0, cpu < cpuCount else { return }
        setLevel(id, cpu: cpu, high)
    }

    private func setLevel(_ id: Int, cpu: Int, _ high: Bool) {
        lock.lock()
        var changed = false
        update(id, cpu) { l in
            let rising = high && !l.level
            l.level = high
            // Edge: a rising edge latches pending. Level: pending follows the
            // input, or the latch a write to ISPENDR set.
            let newPending = l.edge ? (l.pending || rising) : (high || l.softPending)
            changed = newPending && !l.pending
            l.pending = newPending
        }
        version.add(1, ordering: .releasing)
        lock.unlock()
        if changed { notifyTargets(of: id, cpu: cpu) }
    }

    private func notifyTargets(of id: Int, cpu: Int) {
        guard let n = notify else { return }
        if id < 32 { n(cpu); return }
        lock.lock()
        let mask = spiTargets(id)
        lock.unlock()
        for c in 0..<cpuCount where mask & (1 << UInt8(c)) != 0 { n(c) }
    }

    /// Whether CPU `cpu` has an enabled, pending interrupt it could take
    /// (what wakes it from WFI; priorities are the guest's business).
    public func hasPendingInterrupt(cpu: Int) -> Bool {
        guard cpu >= 0, cpu < cpuCount else { return false }
        lock.lock(); defer { lock.unlock() }
        return highestPending(cpu) != nil
    }

    /// Whether any interrupt could still reach `cpu`: the distributor is on
    /// and some line it receives is enabled (SGIs only when other CPUs exist).
    public func canSignal(cpu: Int) -> Bool {
        guard cpu >= 0, cpu < cpuCount else { return false }
        lock.lock(); defer { lock.unlock() }
        guard distributorEnabled else { return false }
        for id in (cpuCount > 1 ? 0 : 16)..<Self.lineCount where line(id, cpu).enabled && targets(id, cpu) {
            return true
        }
        return false
    }

    /// Which pending interrupts a scan passes over.
    enum PendingScan {
        /// Those already active (the emulated CPU interface's view).
        case skipActive
        /// Those already in a list register (the list-register flush).
        case skipQueued
    }

    /// The highest-priority enabled pending interrupt for `cpu` (lowest ID
    /// on ties) that `scan` does not pass over, or nil; nil as well while
    /// the distributor is off. Caller holds the lock.
    @inline(__always)
    func highestPending(_ cpu: Int, _ scan: PendingScan = .skipActive) -> (id: Int, priority: UInt8)? {
        guard distributorEnabled else { return nil }
        var best: (id: Int, priority: UInt8)?
        for id in 0..<Self.lineCount {
            let l = line(id, cpu)
            guard l.pending, l.enabled, targets(id, cpu) else { continue }
            switch scan {
            case .skipActive: if l.active { continue }
            case .skipQueued: if l.queued { continue }
            }
            if best == nil || l.priority < best!.priority { best = (id, l.priority) }
        }
        return best
    }

    // MARK: Distributor registers

    /// A guest read of the distributor window.
    func readDistributor(offset o: Int, size: Int, cpu: Int) -> UInt32 {
        lock.lock(); defer { lock.unlock() }
        func bits(_ base: Int, _ f: (Line, Int) -> Bool) -> UInt32 {
            var v: UInt32 = 0
            let first = (o - base) * 8
            for i in 0..<32 where first + i < Self.lineCount && f(line(first + i, cpu), first + i) {
                v |= 1 << UInt32(i)
            }
            return v
        }
        func bytes(_ base: Int, _ f: (Int) -> UInt8) -> UInt32 {
            var v: UInt32 = 0
            for i in 0..<size where o - base + i < Self.lineCount { v |= UInt32(f(o - base + i)) << UInt32(8 * i) }
            return v
        }
        switch o {
        case 0x000: return distributorEnabled ? 1 : 0
        case 0x004: return UInt32(Self.lineCount / 32 - 1) | UInt32(cpuCount - 1) << 5   // TYPER
        case 0x008: return 0x0200_043B                                                     // IIDR: ARM
        case 0x080..<0x100: return 0                                                       // IGROUPR: group 0
        case 0x100..<0x200: return bits(o < 0x180 ? 0x100 : 0x180) { l, _ in l.enabled }
        case 0x200..<0x300:
            return bits(o < 0x280 ? 0x200 : 0x280) { l, id in
                l.pending || (id < 16 && self.sgiSources[cpu * 16 + id] != 0)
            }
        case 0x300..<0x400: return bits(o < 0x380 ? 0x300 : 0x380) { l, _ in l.active }
        case 0x400..<0x800: return bytes(0x400) { self.line($0, cpu).priority }
        case 0x800..<0xC00: return bytes(0x800) { $0 < 32 ? UInt8(1 << cpu) : self.targets[$0 - 32] }
        case 0xC00..<0xD00:
            var v: UInt32 = 0
            let first = (o - 0xC00) * 4
            for i in 0..<16 where first + i < Self.lineCount && line(first + i, cpu).edge { v |= 2 << UInt32(2 * i) }
            return v
        case 0xF10..<0xF30:   // CPENDSGIR/SPENDSGIR: source bits per SGI
            return bytes(o < 0xF20 ? 0xF10 : 0xF20) { $0 < 16 ? self.sgiSources[cpu * 16 + $0] : 0 }
        case 0xFE0...0xFFC: return [0x90, 0xB4, 0x2B, 0x00, 0x0D, 0xF0, 0x05, 0xB1][(o - 0xFE0) >> 2]
        default: return 0
        }
    }

    /// A guest write to the distributor window.
    func writeDistributor(offset o: Int, size: Int, value v: UInt32, cpu: Int) {
        var wake: UInt8 = 0   // CPUs that may have something new to take
        lock.lock()
        func each(_ base: Int, _ f: (Int) -> Void) {
            let first = (o - base) * 8
            for i in 0..<32 where v & (1 << UInt32(i)) != 0 && first + i < Self.lineCount { f(first + i) }
        }
        func touched(_ id: Int) { wake |= id < 32 ? 1 << UInt8(cpu) : spiTargets(id) }
        switch o {
        case 0x000:
            distributorEnabled = v & 1 != 0
            wake = 0xFF
        case 0x100..<0x180: each(0x100) { id in update(id, cpu) { $0.enabled = true }; touched(id) }
        case 0x180..<0x200: each(0x180) { id in if id >= 16 { update(id, cpu) { $0.enabled = false } } }
        case 0x200..<0x280:
            each(0x200) { id in
                if id >= 16 { update(id, cpu) { $0.pending = true; $0.softPending = !$0.edge }; touched(id) }
            }
        case 0x280..<0x300:
            each(0x280) { id in
                if id >= 16 { update(id, cpu) { $0.pending = !$0.edge && $0.level; $0.softPending = false } }
            }
        case 0x300..<0x380: each(0x300) { id in update(id, cpu) { $0.active = true } }
        case 0x380..<0x400: each(0x380) { id in update(id, cpu) { $0.active = false }; touched(id) }
        case 0x400..<0x800:
            // Five priority bits, as the Cortex-A15 implements.
            for i in 0..<size where o - 0x400 + i < Self.lineCount {
                let id = o - 0x400 + i
                update(id, cpu) { $0.priority = UInt8(truncatingIfNeeded: v >> UInt32(8 * i)) & 0xF8 }
            }
        case 0x800..<0xC00:
            for i in 0..<size where o - 0x800 + i >= 32 && o - 0x800 + i < Self.lineCount {
                let id = o - 0x800 + i
                targets[id - 32] = UInt8(truncatingIfNeeded: v >> UInt32(8 * i)) & UInt8((1 << cpuCount) - 1)
                touched(id)
            }
        case 0xC00..<0xD00:
            let first = (o - 0xC00) * 4
            // SGI configuration is read-only; PPIs and SPIs take bit 1 of each field.
            for i in 0..<16 where first + i >= 16 && first + i < Self.lineCount {
                update(first + i, cpu) { $0.edge = (v >> UInt32(2 * i)) & 2 != 0 }
            }
        case 0xF00:
            wake = sendSGI(v, from: cpu)
        case 0xF10..<0xF30:
            let set = o >= 0xF20
            for i in 0..<size where (o & 0xF) + i < 16 {
                let id = (o & 0xF) + i
                let bits = UInt8(truncatingIfNeeded: v >> UInt32(8 * i)) & UInt8((1 << cpuCount) - 1)
                if set { sgiSources[cpu * 16 + id] |= bits; if bits != 0 { wake |= 1 << UInt8(cpu) } }
                else { sgiSources[cpu * 16 + id] &= ~bits }
            }
        default: break
        }
        version.add(1, ordering: .releasing)
        lock.unlock()
        if let n = notify { for c in 0..<cpuCount where wake & (1 << UInt8(c)) != 0 { n(c) } }
    }

    /// GICD_SGIR: makes SGI `id` pending on the targets, with `from` as the
    /// source. Returns the CPUs it reached. Caller holds the lock.
    private func sendSGI(_ v: UInt32, from cpu: Int) -> UInt8 {
        let id = Int(v & 0xF)
        let all = UInt8((1 << cpuCount) - 1)
        let list: UInt8
        switch (v >> 24) & 3 {
        case 0: list = UInt8(truncatingIfNeeded: v >> 16) & all
        case 1: list = all & ~(1 << UInt8(cpu))
        case 2: list = 1 << UInt8(cpu)
        default: return 0   // reserved filter
        }
        for c in 0..<cpuCount where list & (1 << UInt8(c)) != 0 {
            sgiSources[c * 16 + id] |= 1 << UInt8(cpu)
            privateLines[c * 32 + id].pending = true
        }
        return list
    }

    /// A one-line summary of CPU `cpu`'s pending/active interrupts.
    public func stateSummary(cpu: Int = 0) -> String {
        guard cpu >= 0, cpu < cpuCount else { return "" }
        lock.lock(); defer { lock.unlock() }
        var parts: [String] = []
        for id in 0..<Self.lineCount {
            let l = line(id, cpu)
            if l.pending || l.active || l.level {
                parts.append("\(id):\(l.pending ? "P" : "")\(l.active ? "A" : "")\(l.level ? "L" : "")\(l.enabled ? "e" : "d")/\(l.priority)")
            }
        }
        let ci = cpuInterfaces[cpu]
        return "vgic dist=\(distributorEnabled) cpu\(cpu) ctlr=\(ci.control) pmr=\(ci.priorityMask) " + parts.joined(separator: " ")
    }
}
