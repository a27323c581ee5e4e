/// Register-level reads and writes of the GICH and GICV windows (offsets
/// as in `GICHOffset` and `GICVOffset`, written as literals so the switch is
/// a jump table in non-WMO builds). Only
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
        case 0x000: return hcr                            // GICH_HCR
        case 0x004: return Self.vtr                       // GICH_VTR
        case 0x008: return vmcr                           // GICH_VMCR
        case 0x010: return misr                           // GICH_MISR
        case 0x020: return eisr                           // GICH_EISR0
        case 0x030: return elrsr                          // GICH_ELRSR0
        case 0x0F0: return apr                            // GICH_APR
        case 0x100, 0x104, 0x108, 0x10C: return lr[Int(offset >> 2) & 3]   // GICH_LR0–3
        default: return 0   // EISR1/ELRSR1 (no LR 32+), LR4–63, reserved
        }
    }

    /// Writes the GICH register at `offset`.
    public mutating func writeControl(_ offset: UInt32, _ value: UInt32) {
        switch offset {
        case 0x000: hcr = value & GICHControl.writable
        case 0x008: vmcr = value & GICHVMCR.writable
        case 0x0F0: apr = value
        case 0x100, 0x104, 0x108, 0x10C: lr[Int(offset >> 2) & 3] = value & GICHListRegister.writable
        default: break
        }
    }

    // MARK: GICV (the guest's CPU interface)

    /// Reads the GICV register at `offset`. IAR and AIAR acknowledge, so a
    /// read can change state.
    public mutating func readCPUInterface(_ offset: UInt32) -> UInt32 {
        switch offset {
        case 0x00: return vmcr & GICHVMCR.ctlrMask        // GICV_CTLR
        case 0x04: return priorityMask                    // GICV_PMR
        case 0x08: return binaryPoint                     // GICV_BPR
        case 0x0C: return acknowledge(aliased: false)     // GICV_IAR
        case 0x14: return runningPriority                 // GICV_RPR
        case 0x18: return highestPendingID(aliased: false) // GICV_HPPIR
        case 0x1C: return aliasedBinaryPoint              // GICV_ABPR
        case 0x20: return acknowledge(aliased: true)      // GICV_AIAR
        case 0x28: return highestPendingID(aliased: true) // GICV_AHPPIR
        case 0xD0: return apr                             // GICV_APR0
        case 0xFC: return Self.iidr                       // GICV_IIDR
        default: return 0   // EOIR, AEOIR, DIR are write-only; APR1–3, NSAPRn, reserved
        }
    }

    /// Writes the GICV register at `offset`. CTLR, PMR, BPR and ABPR are
    /// fields of GICH_VMCR.
    public mutating func writeCPUInterface(_ offset: UInt32, _ value: UInt32) {
        switch offset {
        case 0x00:   // GICV_CTLR
            vmcr = vmcr & ~GICHVMCR.ctlrMask | value & GICHVMCR.ctlrMask
        case 0x04:   // GICV_PMR
            setVMCRField(value >> 3 & 0x1F, shift: GICHVMCR.priMaskShift, width: 0x1F)
        case 0x08:   // GICV_BPR
            setVMCRField(max(value & 7, Self.minimumBPR), shift: GICHVMCR.bprShift, width: 7)
        case 0x1C:   // GICV_ABPR
            setVMCRField(max(value & 7, Self.minimumABPR), shift: GICHVMCR.abprShift, width: 7)
        case 0x10, 0x24: endOfInterrupt(value)           // GICV_EOIR, GICV_AEOIR
        case 0x1000: deactivateInterrupt(value)          // GICV_DIR
        case 0xD0: apr = value                           // GICV_APR0
        default: break   // IAR, RPR, HPPIR, IIDR are read-only; reserved
        }
    }

    private mutating func setVMCRField(_ v: UInt32, shift: UInt32, width: UInt32) {
        vmcr = vmcr & ~(width << shift) | v << shift
    }
}
