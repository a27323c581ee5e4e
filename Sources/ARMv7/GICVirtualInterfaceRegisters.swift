/// Register-level reads and writes of the GICH and GICV windows. Only
/// aligned word accesses reach here (the core answers others RAZ/WI);
/// reserved offsets are RAZ/WI and read-only registers ignore writes, so no
/// guest value can do more than the architecture allows.
extension GICVirtualInterface {
    /// GIC-400's CPU interface identification (ARM, architecture v2, r0p2).
    public static let iidr: UInt32 = 0x0202_143B

    // MARK: GICH (hypervisor view)

    /// Reads the GICH register at `offset`.
    public func readControl(_ offset: UInt32) -> UInt32 {
        switch offset {
        case GICHOffset.hcr: return hcr
        case GICHOffset.vtr: return Self.vtr
        case GICHOffset.vmcr: return vmcr
        case GICHOffset.misr: return misr
        case GICHOffset.eisr0: return eisr
        case GICHOffset.elrsr0: return elrsr
        case GICHOffset.apr: return apr
        case GICHOffset.lr0 ..< GICHOffset.lr0 + 4 * UInt32(Self.listRegisterCount):
            return lr[Int((offset - GICHOffset.lr0) >> 2)]
        default: return 0   // EISR1/ELRSR1 (no LR 32+), LR4–63, reserved
        }
    }

    /// Writes the GICH register at `offset`.
    public mutating func writeControl(_ offset: UInt32, _ value: UInt32) {
        switch offset {
        case GICHOffset.hcr: hcr = value & GICHControl.writable
        case GICHOffset.vmcr: vmcr = value & GICHVMCR.writable
        case GICHOffset.apr: apr = value
        case GICHOffset.lr0 ..< GICHOffset.lr0 + 4 * UInt32(Self.listRegisterCount):
            lr[Int((offset - GICHOffset.lr0) >> 2)] = value & GICHListRegister.writable
        default: break
        }
    }

    // MARK: GICV (the guest's CPU interface)

    /// Reads the GICV register at `offset`. IAR and AIAR acknowledge, so a
    /// read can change state.
    public mutating func readCPUInterface(_ offset: UInt32) -> UInt32 {
        switch offset {
        case GICVOffset.ctlr: return vmcr & GICHVMCR.ctlrMask
        case GICVOffset.pmr: return priorityMask
        case GICVOffset.bpr: return binaryPoint
        case GICVOffset.iar: return acknowledge(aliased: false)
        case GICVOffset.rpr: return runningPriority
        case GICVOffset.hppir: return highestPendingID(aliased: false)
        case GICVOffset.abpr: return aliasedBinaryPoint
        case GICVOffset.aiar: return acknowledge(aliased: true)
        case GICVOffset.ahppir: return highestPendingID(aliased: true)
        case GICVOffset.apr0: return apr
        case GICVOffset.iidr: return Self.iidr
        default: return 0   // EOIR, AEOIR, DIR are write-only; APR1–3, NSAPRn, reserved
        }
    }

    /// Writes the GICV register at `offset`. CTLR, PMR, BPR and ABPR are
    /// fields of GICH_VMCR.
    public mutating func writeCPUInterface(_ offset: UInt32, _ value: UInt32) {
        switch offset {
        case GICVOffset.ctlr:
            vmcr = vmcr & ~GICHVMCR.ctlrMask | value & GICHVMCR.ctlrMask
        case GICVOffset.pmr:
            setVMCRField(value >> 3 & 0x1F, shift: GICHVMCR.priMaskShift, width: 0x1F)
        case GICVOffset.bpr:
            setVMCRField(max(value & 7, Self.minimumBPR), shift: GICHVMCR.bprShift, width: 7)
        case GICVOffset.abpr:
            setVMCRField(max(value & 7, Self.minimumABPR), shift: GICHVMCR.abprShift, width: 7)
        case GICVOffset.eoir, GICVOffset.aeoir: endOfInterrupt(value)
        case GICVOffset.dir: deactivateInterrupt(value)
        case GICVOffset.apr0: apr = value
        default: break   // IAR, RPR, HPPIR, IIDR are read-only; reserved
        }
    }

    private mutating func setVMCRField(_ v: UInt32, shift: UInt32, width: UInt32) {
        vmcr = vmcr & ~(width << shift) | v << shift
    }

    // MARK: Bulk restore (the world switch)

    /// Loads the state a world switch restores, as writes of GICH_HCR,
    /// GICH_VMCR, GICH_APR and GICH_LR0–3 would.
    public mutating func restore(hcr: UInt32, vmcr: UInt32, apr: UInt32, lr: InlineArray<4, UInt32>) {
        self.hcr = hcr & GICHControl.writable
        self.vmcr = vmcr & GICHVMCR.writable
        self.apr = apr
        for n in 0..<Self.listRegisterCount { self.lr[n] = lr[n] & GICHListRegister.writable }
    }
}
