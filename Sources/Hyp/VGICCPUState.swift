import ARMv7

/// A VCPU's GIC virtual interface state while it is off the core: what the
/// world switch restores into GICH before entering the guest and saves from
/// it after the exit (KVM/ARM's `vgic_cpu` hardware copy).
///
/// The KVM layer fills `lr` (and `hcr`, `vmcr`, `apr`) before a run and
/// reads them, with the status words captured at the exit, afterwards.
/// Layouts are the GICH registers' (see `GICHListRegister`, `GICHControl`,
/// `GICHVMCR`, `GICHMaintenance`).
public struct VGICCPUState: Sendable {
    /// GICH_HCR: En, the maintenance-interrupt enables and EOICount.
    public var hcr: UInt32 = 0
    /// GICH_VMCR: the guest's GICV_CTLR, PMR, BPR and ABPR.
    public var vmcr: UInt32 = 0
    /// GICH_APR: the guest's active priorities.
    public var apr: UInt32 = 0
    /// GICH_LR0–3.
    public var lr: InlineArray<4, UInt32> = [0, 0, 0, 0]
    /// GICH_MISR at the last exit (read-only state: restoring ignores it).
    public var misr: UInt32 = 0
    /// GICH_EISR0 at the last exit: LRs with an EOI maintenance request met.
    public var eisr: UInt32 = 0
    /// GICH_ELRSR0 at the last exit: LRs free for new interrupts.
    public var elrsr: UInt32 = 0b1111

    public init() {}

    /// Number of list registers (GICH_VTR.ListRegs + 1).
    public static var listRegisterCount: Int { GICVirtualInterface.listRegisterCount }
}

extension VGICCPUState: Equatable {
    public static func == (a: VGICCPUState, b: VGICCPUState) -> Bool {
        a.hcr == b.hcr && a.vmcr == b.vmcr && a.apr == b.apr && a.misr == b.misr && a.eisr == b.eisr
            && a.elrsr == b.elrsr && a.lr[0] == b.lr[0] && a.lr[1] == b.lr[1] && a.lr[2] == b.lr[2]
            && a.lr[3] == b.lr[3]
    }
}
