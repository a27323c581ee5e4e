import ARMv7
import Hyp

/// coproc.c: CP15 accesses trapped by the guest HCR/HSTR/HDCR configuration,
/// emulated from a table keyed by (CRn, Opc1, CRm, Opc2). Anything not in
/// the table is UNDEFINED in the guest.
extension VCPU {
    /// What a trapped register does.
    enum CP15Emulation {
        /// Reads return the value; writes are ignored.
        case constant(UInt32)
        /// Cache maintenance by set/way: memory is coherent, nothing to do.
        case setWay
        /// Reads as zero, writes ignored (PMU registers under HDCR.TPM).
        case readAsZero
    }

    struct CP15Key: Hashable {
        let crn: UInt32, opc1: UInt32, crm: UInt32, opc2: UInt32
    }

    /// The emulation table (sorted by key in spirit; a dictionary here).
    func cp15Table() -> [CP15Key: CP15Emulation] {
        let cores = UInt32(max(vm.vcpuList().count, 1))
        var t: [CP15Key: CP15Emulation] = [
            CP15Key(crn: 1, opc1: 0, crm: 0, opc2: 1): .constant(cores > 1 ? 1 << 6 : 0),   // ACTLR (SMP bit)
            CP15Key(crn: 7, opc1: 0, crm: 6, opc2: 2): .setWay,                               // DCISW
            CP15Key(crn: 7, opc1: 0, crm: 10, opc2: 2): .setWay,                              // DCCSW
            CP15Key(crn: 7, opc1: 0, crm: 14, opc2: 2): .setWay,                              // DCCISW
            CP15Key(crn: 9, opc1: 1, crm: 0, opc2: 2): .constant((cores - 1) << 24),          // L2CTLR
            CP15Key(crn: 9, opc1: 1, crm: 0, opc2: 3): .constant(0),                          // L2ECTLR
            CP15Key(crn: 15, opc1: 4, crm: 0, opc2: 0): .constant(0),                         // CBAR
        ]
        // PMU (c9, CRm 12–14), trapped by HDCR.TPM/TPMCR: no counters for guests.
        for crm: UInt32 in 12...14 {
            for opc2: UInt32 in 0...7 { t[CP15Key(crn: 9, opc1: 0, crm: crm, opc2: opc2)] = .readAsZero }
        }
        return t
    }

    func emulateCP15(hsr: HSR, length: UInt32) {
        guard context.conditionPasses(hsr: hsr) else {
            context.skipInstruction(length: length)
            return
        }
        let a = hsr.coprocessorAccess
        let read = a.isRead
        let rt = a.rt
        if a.is64 {
            // Only the physical timer's compare value is trapped as a 64-bit register.
            if emulatePhysicalTimer64(opc1: a.opc1, crm: a.crm, read: read, rt: rt, rt2: a.rt2) {
                context.skipInstruction(length: length)
            } else {
                context.inject(.undefined)
            }
            return
        }
        let key = CP15Key(crn: a.crn, opc1: a.opc1, crm: a.crm, opc2: a.opc2)
        if emulatePhysicalTimer32(crn: key.crn, opc1: key.opc1, crm: key.crm, opc2: key.opc2, read: read, rt: rt) {
            context.skipInstruction(length: length)
            return
        }
        if key.crn == 0, key.opc1 == 0, (1...7).contains(key.crm) {
            // ID group 3, trapped by HCR.TID3 (read-only: a write is UNDEFINED).
            guard read else { return context.inject(.undefined) }
            context.regs.setCurrent(rt, GuestIDRegisters.value(crm: key.crm, opc2: key.opc2))
            context.skipInstruction(length: length)
            return
        }
        guard let entry = cp15Table()[key] else {
            context.inject(.undefined)
            return
        }
        if read {
            switch entry {
            case .constant(let v): context.regs.setCurrent(rt, v)
            case .readAsZero, .setWay: context.regs.setCurrent(rt, 0)
            }
        }
        context.skipInstruction(length: length)
    }
}
