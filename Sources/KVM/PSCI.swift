import ARMv7
import Hyp

/// PSCI 1.0 through HVC (arch/arm/kvm/psci.c), answered in the kernel side.
extension VCPU {
    func handlePSCI(function: UInt32) -> VCPUExit? {
        let r = context.regs
        var result = PSCIReturn.success
        switch PSCIFunction(rawValue: function) {
        case .version:
            result = PSCIFunction.implementedVersion
        case .cpuSuspend:                      // behaves as WFI
            // A suspend nothing could end returns at once (allowed: the
            // caller must cope with an early wake-up), instead of hanging.
            if !hasWakeupEvent() && canBeWoken() { waitForInterrupt() }
        case .cpuOff:
            vm.powerLock.lock()
            power = .off
            vm.powerLock.unlock()
            return nil
        case .cpuOn:                           // (target MPIDR, entry, context id)
            result = cpuOn(target: r.argument(1), entry: r.argument(2), contextID: r.argument(3))
        case .affinityInfo:                    // (target, level)
            guard r.argument(2) == 0, let t = vcpu(mpidr: r.argument(1)) else {
                result = PSCIReturn.invalidParameters
                break
            }
            switch t.powerState {
            case .on: result = PSCIAffinityState.on.rawValue
            case .off: result = PSCIAffinityState.off.rawValue
            case .onPending: result = PSCIAffinityState.onPending.rawValue
            }
        case .migrateInfoType:
            result = psciMigrateNotRequired
        case .systemOff:
            return .systemEvent(.shutdown)
        case .systemReset:
            return .systemEvent(.reset)
        case .features:
            result = PSCIFunction(rawValue: r.argument(1)) != nil ? PSCIReturn.success : PSCIReturn.notSupported
        case nil:
            result = PSCIReturn.notSupported
        }
        context.regs.setArgument(0, result)
        return nil
    }

    private func vcpu(mpidr: UInt32) -> VCPU? {
        vm.vcpuList().first { $0.context.mpidr & 0xFF_FFFF == mpidr & 0xFF_FFFF }
    }

    /// CPU_ON: the first caller to find the target OFF wins; any later
    /// caller gets ALREADY_ON, also while the target's thread has not reset
    /// it yet. PSCI allows ON_PENDING there too, but KVM (kvm_psci_vcpu_on)
    /// treats an accepted CPU_ON as ON, and software written against it
    /// (kvm-unit-tests' psci cpu-on race) accepts only SUCCESS or ALREADY_ON.
    /// AFFINITY_INFO still reports the transition as ON_PENDING.
    private func cpuOn(target: UInt32, entry: UInt32, contextID: UInt32) -> UInt32 {
        guard let t = vcpu(mpidr: target) else { return PSCIReturn.invalidParameters }
        vm.powerLock.lock()
        let result: UInt32
        switch t.power {
        case .on, .onPending: result = PSCIReturn.alreadyOn
        case .off:
            t.power = .onPending(entry: entry, contextID: contextID)
            result = PSCIReturn.success
        }
        vm.powerLock.unlock()
        if result == PSCIReturn.success { t.wakeUp() }
        return result
    }
}
