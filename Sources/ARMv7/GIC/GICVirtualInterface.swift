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

    /// GICH_MISR, GICH_EISR0 and GICH_ELRSR0 from one pass over the LRs
    /// (the world switch saves all three).
    ///
    /// - EISR bit n: LR n's interrupt was deactivated with an EOI
    ///   maintenance request outstanding (State invalid, HW = 0, EOI = 1).
    /// - ELRSR bit n: LR n holds nothing the hypervisor could lose by
    ///   overwriting it (State invalid, and HW = 1 or EOI = 0).
    /// - MISR: the maintenance causes, each gated by its enable in GICH_HCR:
    ///   EOI (EISR non-zero), U (at most one LR not empty), LRENP (EOICount
    ///   non-zero), NP (no LR in state pending), VGrp0E/D and VGrp1E/D (the
    ///   guest's group enables in GICH_VMCR).
    public var status: (misr: UInt32, eisr: UInt32, elrsr: UInt32) {
        var eisr: UInt32 = 0, elrsr: UInt32 = 0, pending = false
        for n in 0..<Self.listRegisterCount {
            let v = lr[n]
            let bit = UInt32(1) << UInt32(n)
            if v & GICHListRegister.stateMask == 0 {
                if v & (GICHListRegister.hw | GICHListRegister.eoi) == GICHListRegister.eoi {
                    eisr |= bit
                } else {
                    elrsr |= bit
                }
            } else if v & GICHListRegister.stateMask == GICHListRegister.pending {
                pending = true
            }
        }
        let h = hcr
        var m: UInt32 = 0
        if eisr != 0 { m |= GICHMaintenance.eoi }
        // Fewer than two LRs not empty: at most one bit of the four clear in ELRSR.
        if h & GICHControl.uie != 0 && (~elrsr & 0xF).nonzeroBitCount <= 1 { m |= GICHMaintenance.underflow }
        if h & GICHControl.lrenpie != 0 && h & GICHControl.eoiCountMask != 0 {
            m |= GICHMaintenance.lrEntryNotPresent
        }
        if h & GICHControl.npie != 0 && !pending { m |= GICHMaintenance.noPending }
        if h & (GICHControl.vgrp0eie | GICHControl.vgrp0die | GICHControl.vgrp1eie | GICHControl.vgrp1die) != 0 {
            let grp0 = vmcr & GICHVMCR.enableGrp0 != 0, grp1 = vmcr & GICHVMCR.enableGrp1 != 0
            if h & GICHControl.vgrp0eie != 0 && grp0 { m |= GICHMaintenance.vgrp0Enabled }
            if h & GICHControl.vgrp0die != 0 && !grp0 { m |= GICHMaintenance.vgrp0Disabled }
            if h & GICHControl.vgrp1eie != 0 && grp1 { m |= GICHMaintenance.vgrp1Enabled }
            if h & GICHControl.vgrp1die != 0 && !grp1 { m |= GICHMaintenance.vgrp1Disabled }
        }
        return (m, eisr, elrsr)
    }

    /// GICH_MISR (see `status`).
    public var misr: UInt32 { status.misr }
    /// GICH_EISR0 (see `status`).
    public var eisr: UInt32 { status.eisr }
    /// GICH_ELRSR0 (see `status`).
    public var elrsr: UInt32 { status.elrsr }

    /// The maintenance interrupt (PPI 25 on a GIC-400): GICH_HCR.En and any
    /// cause in GICH_MISR.
    public var maintenanceInterrupt: Bool { hcr & GICHControl.en != 0 && status.misr != 0 }

    /// Loads the state a world switch restores, as writes of GICH_HCR,
    /// GICH_VMCR, GICH_APR and GICH_LR0–3 would.
    public mutating func restore(hcr: UInt32, vmcr: UInt32, apr: UInt32, lr: InlineArray<4, UInt32>) {
        self.hcr = hcr & GICHControl.writable
        self.vmcr = vmcr & GICHVMCR.writable
        self.apr = apr
        for n in 0..<Self.listRegisterCount { self.lr[n] = lr[n] & GICHListRegister.writable }
    }

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

// MARK: Register layouts
//
// Kept in this file on purpose: in the project's debug builds (-O without
// whole-module optimisation) a constant from another file costs a call,
// and the loops above run on every world switch.

/// GICH_HCR bits.
public enum GICHControl {
    /// En: the virtual CPU interface signals interrupts and maintenance.
    public static let en: UInt32 = 1 << 0
    /// UIE: underflow maintenance interrupt (at most one valid LR).
    public static let uie: UInt32 = 1 << 1
    /// LRENPIE: maintenance interrupt while EOICount is non-zero.
    public static let lrenpie: UInt32 = 1 << 2
    /// NPIE: maintenance interrupt while no LR is pending.
    public static let npie: UInt32 = 1 << 3
    public static let vgrp0eie: UInt32 = 1 << 4
    public static let vgrp0die: UInt32 = 1 << 5
    public static let vgrp1eie: UInt32 = 1 << 6
    public static let vgrp1die: UInt32 = 1 << 7
    /// EOICount, bits 31:27: EOIs that found no LR.
    public static let eoiCountShift: UInt32 = 27
    public static let eoiCountMask: UInt32 = 0x1F << 27
    /// The bits software can write (the rest is reserved, RAZ/WI).
    public static let writable: UInt32 = eoiCountMask | 0xFF
}

/// GICH_VMCR fields: the guest's GICV_CTLR, PMR, BPR and ABPR, saved and
/// restored by the hypervisor as one word.
public enum GICHVMCR {
    /// GICV_CTLR bits 4:0 (EnableGrp0, EnableGrp1, AckCtl, FIQEn, CBPR) and
    /// bit 9 (EOImode) sit at the same positions in VMCR.
    public static let ctlrMask: UInt32 = 0x21F
    public static let enableGrp0: UInt32 = 1 << 0
    public static let enableGrp1: UInt32 = 1 << 1
    public static let ackCtl: UInt32 = 1 << 2
    public static let fiqEn: UInt32 = 1 << 3
    public static let cbpr: UInt32 = 1 << 4
    public static let eoiMode: UInt32 = 1 << 9
    /// VMABP (GICV_ABPR), bits 20:18.
    public static let abprShift: UInt32 = 18
    /// VMBP (GICV_BPR), bits 23:21.
    public static let bprShift: UInt32 = 21
    /// VMPriMask (GICV_PMR bits 7:3), bits 31:27.
    public static let priMaskShift: UInt32 = 27
    public static let writable: UInt32 = 0x1F << 27 | 7 << 21 | 7 << 18 | ctlrMask
}

/// GICH_MISR bits (maintenance interrupt causes).
public enum GICHMaintenance {
    public static let eoi: UInt32 = 1 << 0
    public static let underflow: UInt32 = 1 << 1
    public static let lrEntryNotPresent: UInt32 = 1 << 2
    public static let noPending: UInt32 = 1 << 3
    public static let vgrp0Enabled: UInt32 = 1 << 4
    public static let vgrp0Disabled: UInt32 = 1 << 5
    public static let vgrp1Enabled: UInt32 = 1 << 6
    public static let vgrp1Disabled: UInt32 = 1 << 7
}

/// GICH_LR fields.
public enum GICHListRegister {
    /// VirtualID, bits 9:0: the ID the guest reads from GICV_IAR.
    public static let virtualIDMask: UInt32 = 0x3FF
    /// With HW = 0: CPUID (bits 12:10), the source CPU of an SGI.
    public static let cpuIDShift: UInt32 = 10
    public static let cpuIDMask: UInt32 = 7 << 10
    /// With HW = 1: PhysicalID, bits 19:10.
    public static let physicalIDShift: UInt32 = 10
    /// With HW = 0: EOI, bit 19: a maintenance interrupt when the guest
    /// deactivates the interrupt.
    public static let eoi: UInt32 = 1 << 19
    /// Priority, bits 27:23: the top five bits of an 8-bit priority.
    public static let priorityShift: UInt32 = 23
    public static let priorityMask: UInt32 = 0x1F << 23
    /// State, bits 29:28.
    public static let pending: UInt32 = 1 << 28
    public static let active: UInt32 = 1 << 29
    public static let stateMask: UInt32 = 3 << 28
    /// Grp1, bit 30.
    public static let group1: UInt32 = 1 << 30
    /// HW, bit 31: the virtual interrupt is tied to a physical one.
    public static let hw: UInt32 = 1 << 31
    /// Bits 22:20 are reserved (RAZ/WI).
    public static let writable: UInt32 = ~(7 << 20)

    /// A list register holding `id` (with `cpuID` for an SGI) at the 8-bit
    /// `priority` (its low three bits are dropped), in state pending.
    public static func pending(id: UInt32, priority: UInt32, cpuID: UInt32 = 0,
                               group1: Bool = false, eoiMaintenance: Bool = false) -> UInt32 {
        (id & virtualIDMask) | (cpuID & 7) << cpuIDShift | (priority >> 3 & 0x1F) << priorityShift
            | Self.pending | (group1 ? Self.group1 : 0) | (eoiMaintenance ? Self.eoi : 0)
    }
}
