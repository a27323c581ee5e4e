import ARMv7
import Hyp

/// coproc.c: CP15 accesses trapped by the guest HCR/HSTR/HDCR/CNTHCTL
/// configuration, emulated as `GuestCP15Table` describes each register.
/// Anything not in the table is UNDEFINED in the guest.
extension VCPU {
    func emulateCP15(hsr: HSR, length: UInt32) {
        guard context.conditionPasses(hsr: hsr) else {
            context.skipInstruction(length: length)
            return
        }
        let a = hsr.coprocessorAccess
        guard let r = GuestCP15Table.lookup(GuestCP15Table.key(a)) else {
            context.inject(.undefined)
            return
        }
        switch r.kind {
        case .physicalTimer:
            if a.is64 {
                emulatePhysicalTimerCompare(read: a.isRead, rt: a.rt, rt2: a.rt2)
            } else {
                emulatePhysicalTimer32(opc2: a.opc2, read: a.isRead, rt: a.rt)
            }
        case .readOnly(let v):
            guard a.isRead else { return context.inject(.undefined) }
            context.regs.setCurrent(a.rt, v)
        case .perVM(let value):
            if a.isRead { context.regs.setCurrent(a.rt, value(vm.vcpuCount)) }
        case .setWay:
            if a.isRead { context.regs.setCurrent(a.rt, 0) }
        case .stored:
            // Never trapped (HCR.TVM is clear): nothing to emulate.
            return context.inject(.undefined)
        }
        context.skipInstruction(length: length)
    }
}
