/// The GICv2 virtual interface of one core, as on a Cortex-A15 with a
/// GIC-400 (ARM IHI 0048B chapter 5): four list registers, five priority
/// and five preemption bits.
///
/// This is the hardware state the hypervisor saves and restores on a world
/// switch (GICH_HCR, GICH_VMCR, GICH_APR, GICH_LR0–3); the status registers
/// (MISR, EISR, ELRSR) are derived from it. The guest-facing behaviour of
/// GICV (acknowledge, end of interrupt, deactivate) is in
/// GICVirtualCPUInterface.swift; the register decode in
/// GICVirtualInterfaceRegisters.swift.
public struct GICVirtualInterface: Sendable {
    /// Number of list registers (GICH_VTR.ListRegs + 1).
    public static let listRegisterCount = 4
    /// GICH_VTR: PRIbits − 1 = 4 (bits 31:29), PREbits − 1 = 4 (bits 28:26),
    /// ListRegs − 1 = 3.
    public static let vtr: UInt32 = 4 << 29 | 4 << 26 | 3
    /// The lowest GICV_BPR value with five preemption bits (7 − 5); lower
    /// writes read back as this.
    static let minimumBPR: UInt32 = 2
    /// The lowest GICV_ABPR value (one more than BPR's).
    static let minimumABPR: UInt32 = 3
    /// Idle running priority: no interrupt active.
    static let idlePriority: UInt32 = 0xFF

    /// GICH_HCR.
    public internal(set) var hcr: UInt32 = 0
    /// GICH_VMCR.
    public internal(set) var vmcr: UInt32 = 0
    /// GICH_APR (alias GICV_APR0): bit n set while an interrupt of group
    /// priority n << 3 is active.
    public internal(set) var apr: UInt32 = 0
    /// GICH_LR0–3.
    public internal(set) var lr: InlineArray<4, UInt32> = [0, 0, 0, 0]

    public init() {}

    // MARK: Derived status registers

    /// GICH_EISR0: LRs whose interrupt was deactivated with an EOI
    /// maintenance request outstanding (State invalid, HW = 0, EOI = 1).
    public var eisr: UInt32 {
        var bits: UInt32 = 0
        for n in 0..<Self.listRegisterCount {
            let v = lr[n]
            if v & (GICHListRegister.stateMask | GICHListRegister.hw | GICHListRegister.eoi)
                == GICHListRegister.eoi { bits |= 1 << UInt32(n) }
        }
        return bits
    }

    /// GICH_ELRSR0: LRs that hold nothing the hypervisor could lose by
    /// overwriting them (State invalid and no EOI maintenance outstanding).
    public var elrsr: UInt32 {
        var bits: UInt32 = 0
        for n in 0..<Self.listRegisterCount where Self.isEmpty(lr[n]) { bits |= 1 << UInt32(n) }
        return bits
    }

    @inline(__always) static func isEmpty(_ v: UInt32) -> Bool {
        v & GICHListRegister.stateMask == 0 && (v & GICHListRegister.hw != 0 || v & GICHListRegister.eoi == 0)
    }

    /// GICH_MISR: the maintenance interrupt causes, each gated by its
    /// enable in GICH_HCR.
    public var misr: UInt32 {
        var m: UInt32 = 0
        if eisr != 0 { m |= GICHMaintenance.eoi }
        var valid = 0, pending = 0
        for n in 0..<Self.listRegisterCount {
            let v = lr[n]
            if !Self.isEmpty(v) { valid += 1 }
            if v & GICHListRegister.stateMask == GICHListRegister.pending { pending += 1 }
        }
        if hcr & GICHControl.uie != 0 && valid <= 1 { m |= GICHMaintenance.underflow }
        if hcr & GICHControl.lrenpie != 0 && hcr & GICHControl.eoiCountMask != 0 {
            m |= GICHMaintenance.lrEntryNotPresent
        }
        if hcr & GICHControl.npie != 0 && pending == 0 { m |= GICHMaintenance.noPending }
        let grp0 = vmcr & GICHVMCR.enableGrp0 != 0, grp1 = vmcr & GICHVMCR.enableGrp1 != 0
        if hcr & GICHControl.vgrp0eie != 0 && grp0 { m |= GICHMaintenance.vgrp0Enabled }
        if hcr & GICHControl.vgrp0die != 0 && !grp0 { m |= GICHMaintenance.vgrp0Disabled }
        if hcr & GICHControl.vgrp1eie != 0 && grp1 { m |= GICHMaintenance.vgrp1Enabled }
        if hcr & GICHControl.vgrp1die != 0 && !grp1 { m |= GICHMaintenance.vgrp1Disabled }
        return m
    }

    /// The maintenance interrupt (PPI 25 on a GIC-400): GICH_HCR.En and any
    /// cause in GICH_MISR.
    public var maintenanceInterrupt: Bool { hcr & GICHControl.en != 0 && misr != 0 }

    // MARK: Priorities

    /// GICV_PMR: VMPriMask in the top five bits of an 8-bit priority.
    var priorityMask: UInt32 { (vmcr >> GICHVMCR.priMaskShift) << 3 }

    /// GICV_RPR: the group priority of the highest-priority active
    /// interrupt, or 0xFF when none is active.
    public var runningPriority: UInt32 {
        apr == 0 ? Self.idlePriority : UInt32(apr.trailingZeroBitCount) << 3
    }

    /// GICV_BPR as the guest reads it (VMBP, at least the minimum).
    var binaryPoint: UInt32 { max(vmcr >> GICHVMCR.bprShift & 7, Self.minimumBPR) }
    /// GICV_ABPR as the guest reads it (VMABP, at least the minimum).
    var aliasedBinaryPoint: UInt32 { max(vmcr >> GICHVMCR.abprShift & 7, Self.minimumABPR) }

    /// The group (preemption) priority of an 8-bit `priority`: Group 0, or
    /// Group 1 with CBPR set, splits at BPR; Group 1 otherwise at ABPR, which
    /// counts one more subpriority bit.
    @inline(__always) func groupPriority(_ priority: UInt32, group1: Bool) -> UInt32 {
        let split = group1 && vmcr & GICHVMCR.cbpr == 0 ? aliasedBinaryPoint : binaryPoint + 1
        return priority & (0xFF << split) & 0xFF
    }

    /// The 8-bit priority of list register value `v`.
    @inline(__always) static func priority(_ v: UInt32) -> UInt32 {
        ((v & GICHListRegister.priorityMask) >> GICHListRegister.priorityShift) << 3
    }

    // MARK: Selection and signalling

    /// The LR of the highest-priority pending interrupt whose group is
    /// enabled, or nil. Only State = pending qualifies: a pending-and-active
    /// interrupt is already active and waits for its deactivation. Equal
    /// priorities go to the lowest-numbered LR (the choice is
    /// IMPLEMENTATION DEFINED).
    func highestPendingListRegister() -> Int? {
        var best: Int? = nil
        var bestPriority: UInt32 = 0x100
        for n in 0..<Self.listRegisterCount {
            let v = lr[n]
            guard v & GICHListRegister.stateMask == GICHListRegister.pending else { continue }
            let enable = v & GICHListRegister.group1 != 0 ? GICHVMCR.enableGrp1 : GICHVMCR.enableGrp0
            guard vmcr & enable != 0 else { continue }
            let p = Self.priority(v)
            if p < bestPriority { best = n; bestPriority = p }
        }
        return best
    }

    /// The LR of the interrupt the virtual CPU interface signals to the core
    /// now: GICH_HCR.En, its group enabled, its priority above GICV_PMR and
    /// its group priority above the running priority. Nil when none.
    func signalledListRegister() -> Int? {
        guard hcr & GICHControl.en != 0, let n = highestPendingListRegister() else { return nil }
        let v = lr[n]
        let p = Self.priority(v)
        guard p < priorityMask,
              groupPriority(p, group1: v & GICHListRegister.group1 != 0) < runningPriority else { return nil }
        return n
    }

    /// The virtual exception lines this interface drives, as HCR bits:
    /// `HCR.vi` for an IRQ, `HCR.vf` for a Group 0 interrupt with FIQEn set.
    public var virtualLines: UInt32 {
        guard let n = signalledListRegister() else { return 0 }
        let fiq = lr[n] & GICHListRegister.group1 == 0 && vmcr & GICHVMCR.fiqEn != 0
        return fiq ? HCR.vf : HCR.vi
    }
}
