import ARMv7
import Hyp

/// Exceptions the host makes a guest take (arch/arm/kvm/emulate.c's
/// kvm_inject_undefined / kvm_inject_dabt / kvm_inject_pabt), applied to the
/// saved VCPU context exactly as the core would enter them.
extension VCPUContext {
    public enum InjectedException { case undefined, dataAbort, prefetchAbort }

    /// Makes the guest take `kind` at its next entry. `address` is the fault
    /// address for aborts. (The undefined return address depends only on
    /// the instruction set, not on the trapped instruction's length.)
    public func inject(_ kind: InjectedException, address: UInt32 = 0, write: Bool = false) {
        let oldCPSR = regs.cpsr
        let pc = regs.pc
        let newMode: ProcessorMode = kind == .undefined ? .undefined : .abort
        let lr: UInt32
        let offset: UInt32
        switch kind {
        // Undefined: address + 2 in Thumb state whatever the length, + 4 in ARM.
        case .undefined: lr = pc &+ (oldCPSR & PSR.t != 0 ? 2 : 4); offset = 0x04
        case .prefetchAbort: lr = pc &+ 4; offset = 0x0C
        case .dataAbort: lr = pc &+ 8; offset = 0x10
        }
        var cpsr = (oldCPSR & ~(0x1F | PSR.t | PSR.j | PSR.itMask | PSR.e)) | newMode.rawValue | PSR.i
        if kind != .undefined { cpsr |= PSR.a }
        if cp15.sctlr & (1 << 30) != 0 { cpsr |= PSR.t }     // SCTLR.TE
        if cp15.sctlr & (1 << 25) != 0 { cpsr |= PSR.e }     // SCTLR.EE
        regs.cpsr = cpsr
        regs.setCurrent(14, lr)
        let spsrIndex = newMode == .undefined ? 4 : 3
        regs.spsr[spsrIndex] = oldCPSR
        let base: UInt32 = cp15.sctlr & (1 << 13) != 0 ? 0xFFFF_0000 : cp15.vbar & ~0x1F
        regs.pc = base | offset
        // A synchronous external abort, in the format of the guest's regime.
        let lpae = cp15.ttbcr & 0x8000_0000 != 0
        let fsr: UInt32 = lpae ? (1 << 9 | 0x10) : 0x08
        switch kind {
        case .dataAbort: cp15.dfar = address; cp15.dfsr = fsr | (write ? 1 << 11 : 0)
        case .prefetchAbort: cp15.ifar = address; cp15.ifsr = fsr
        case .undefined: break
        }
    }

    /// Moves the guest past the instruction that trapped.
    public func skipInstruction(length: UInt32) {
        regs.pc &+= length
        advanceITState()
    }

    /// After emulating a Thumb instruction inside an IT block, ITSTATE moves on.
    func advanceITState() {
        let it = PSR.unpackIT(regs.cpsr)
        guard it != 0 else { return }
        let next: UInt32 = it & 0x7 == 0 ? 0 : (it & 0xE0) | ((it << 1) & 0x1F)
        regs.cpsr = (regs.cpsr & ~PSR.itMask) | PSR.packIT(next)
    }

    /// Whether a trapped conditional instruction's condition passes
    /// (HSR.CV = 1 gives COND; otherwise the core only traps passing ones).
    func conditionPasses(hsr: HSR) -> Bool {
        guard hsr.conditionValid else { return true }
        let cond = hsr.condition
        let n = regs.cpsr >> 31 & 1, z = regs.cpsr >> 30 & 1, c = regs.cpsr >> 29 & 1, v = regs.cpsr >> 28 & 1
        let r: Bool
        switch cond >> 1 {
        case 0: r = z == 1
        case 1: r = c == 1
        case 2: r = n == 1
        case 3: r = v == 1
        case 4: r = c == 1 && z == 0
        case 5: r = n == v
        case 6: r = n == v && z == 0
        default: return true
        }
        return cond & 1 == 1 && cond != 0xF ? !r : r
    }
}
