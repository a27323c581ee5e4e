import ARMv7
import Hyp

/// handle_exit.c: guest traps dispatched by HSR exception class. A handler
/// returns nil to re-enter the guest, or the exit the VMM must see.
extension VCPU {
    func handleTrap() throws(KVMError) -> VCPUExit? {
        let hsr = HSR(context.exit.hsr)
        let length = hsr.instructionLength
        switch hsr.exceptionClass {
        case .wfiWfe:
            context.skipInstruction(length: length)
            if !hsr.isWFE && !hasWakeupEvent() {
                if !blockOnWFI || !canBeWoken() { return .halted }
                // WFI: sleep on this thread until an interrupt is pending.
                waitForInterrupt()
            }
            return nil
        case .cp15_32, .cp15_64:
            emulateCP15(hsr: hsr, length: length)
            return nil
        case .hvc:
            return handleHypercall()
        case .dataAbortLower:
            return try handleDataAbort(hsr: hsr, length: length)
        case .prefetchAbortLower:
            return try handlePrefetchAbort()
        case .cp14_32, .cp14_64, .cp14LdcStc, .smc, .hcptr, .cp10ID, .unknown, .jazelle, .bxj, .svcHyp,
             .prefetchAbortHyp, .dataAbortHyp, nil:
            // Debug registers, SMC, trace and anything unexpected: UNDEFINED
            // in the guest, as KVM does.
            context.inject(.undefined)
            return nil
        }
    }

    /// Stage-2 data abort: RAM gets mapped on demand; anything else is MMIO.
    private func handleDataAbort(hsr: HSR, length: UInt32) throws(KVMError) -> VCPUExit? {
        let ipa = context.exit.faultIPA
        let write = hsr.isWrite
        let s1ptw = hsr.isStage1Walk
        if let slot = vm.slot(containing: ipa), !(write && slot.readOnly && !s1ptw) {
            try mapRAMPage(slot: slot, ipa: ipa)
            return nil
        }
        if s1ptw {
            // The guest's own page tables point outside its RAM.
            context.inject(.dataAbort, address: context.exit.hdfar, write: write)
            return nil
        }
        guard mmio.decode(hsr: hsr, instruction: context.exit.instruction, ipa: ipa,
                          far: context.exit.hdfar, length: length, context: context) else {
            // An access the hypervisor cannot emulate: an external abort for the guest.
            context.inject(.dataAbort, address: context.exit.hdfar, write: write)
            return nil
        }
        return try mmio.nextAccess(self)
    }

    /// Stage-2 prefetch abort: executing from RAM maps it; from anywhere
    /// else the guest gets a prefetch abort.
    private func handlePrefetchAbort() throws(KVMError) -> VCPUExit? {
        let ipa = context.exit.faultIPA
        if let slot = vm.slot(containing: ipa) {
            try mapRAMPage(slot: slot, ipa: ipa)
            return nil
        }
        let vbar: UInt32 = context.cp15.sctlr & (1 << 13) != 0 ? 0xFFFF_0000 : context.cp15.vbar & ~0x1F
        if context.exit.hifar &- vbar < 0x20 {
            // Injecting would fetch from the same missing vectors forever.
            return .internalError("guest crashed: its exception vector at 0x\(String(context.exit.hifar, radix: 16)) is not in guest RAM (VBAR 0x\(String(vbar, radix: 16)))")
        }
        context.inject(.prefetchAbort, address: context.exit.hifar)
        return nil
    }

    private func mapRAMPage(slot: MemorySlot, ipa: UInt64) throws(KVMError) {
        let page = ipa & ~0xFFF
        do {
            try vm.stage2.mapPage(ipa: page, pa: slot.hostBase + (page - slot.guestBase), writable: !slot.readOnly)
        } catch {
            throw .outOfTableMemory
        }
    }

    /// HVC from the guest: PSCI in the kernel, anything else to the VMM.
    private func handleHypercall() -> VCPUExit? {
        let r = context.regs
        let function = r.argument(0)
        if PSCIFunction.isPSCI(function) {
            return handlePSCI(function: function)
        }
        return .hypercall(function: function, arguments: [r.argument(1), r.argument(2), r.argument(3)])
    }

    /// Answers the `.hypercall` exit just returned: `result` goes to the
    /// guest's r0 (SMC Calling Convention); the guest resumes after its HVC.
    public func completeHypercall(result: UInt32) {
        context.regs.setArgument(0, result)
    }
}
