/// Where the GICv2 virtualization hardware of every core sits in the host's
/// physical address space, and its register offsets (ARM IHI 0048B
/// chapter 5). The addresses are QEMU `virt`'s host layout.
///
/// Each core answers these windows with its own bank, as a real GIC banks
/// GICH/GICV by the accessing CPU: a core checks them in its memory-access
/// slow path before the shared `PhysicalMemory` MMIO dispatch.
public enum GICVirtualInterfaceMap {
    /// Physical base of the virtual interface control registers (GICH).
    public static let controlBase: UInt64 = 0x0803_0000
    /// Size of the GICH window.
    public static let controlSize: UInt64 = 0x1000
    /// Physical base of the virtual CPU interface (GICV), the page the
    /// hypervisor maps into a guest's stage 2 at the guest's GICC address.
    public static let cpuInterfaceBase: UInt64 = 0x0804_0000
    /// Size of the GICV window (two pages: GICV_DIR is at 0x1000).
    public static let cpuInterfaceSize: UInt64 = 0x2000

    /// One compare that is false for every address outside both windows
    /// (the slow path's cheap pre-check).
    @inline(__always) static func mayContain(_ pa: UInt64) -> Bool {
        pa &- controlBase < cpuInterfaceBase &+ cpuInterfaceSize &- controlBase
    }
}

/// Offsets of the GICH registers from `GICVirtualInterfaceMap.controlBase`.
public enum GICHOffset {
    public static let hcr: UInt32 = 0x000
    public static let vtr: UInt32 = 0x004
    public static let vmcr: UInt32 = 0x008
    public static let misr: UInt32 = 0x010
    public static let eisr0: UInt32 = 0x020
    public static let eisr1: UInt32 = 0x024
    public static let elrsr0: UInt32 = 0x030
    public static let elrsr1: UInt32 = 0x034
    public static let apr: UInt32 = 0x0F0
    /// GICH_LR0; LRn is at `lr0 + 4 * n`.
    public static let lr0: UInt32 = 0x100
}

/// Offsets of the GICV registers from `GICVirtualInterfaceMap.cpuInterfaceBase`.
public enum GICVOffset {
    public static let ctlr: UInt32 = 0x00
    public static let pmr: UInt32 = 0x04
    public static let bpr: UInt32 = 0x08
    public static let iar: UInt32 = 0x0C
    public static let eoir: UInt32 = 0x10
    public static let rpr: UInt32 = 0x14
    public static let hppir: UInt32 = 0x18
    public static let abpr: UInt32 = 0x1C
    public static let aiar: UInt32 = 0x20
    public static let aeoir: UInt32 = 0x24
    public static let ahppir: UInt32 = 0x28
    public static let apr0: UInt32 = 0xD0
    public static let iidr: UInt32 = 0xFC
    public static let dir: UInt32 = 0x1000
}

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
