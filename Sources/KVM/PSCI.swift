import ARMv7
import Hyp

/// PSCI 1.0 through HVC (arch/arm/kvm/psci.c), answered in the kernel side.
extension VCPU {
    enum PSCIReturn {
        static let success: UInt32 = 0
        static let notSupported: UInt32 = UInt32(bitPattern: -1)
        static let invalidParameters: UInt32 = UInt32(bitPattern: -2)
        static let alreadyOn: UInt32 = UInt32(bitPattern: -4)
    }

    func handlePSCI(function: UInt32) -> VCPUExit? {
        let r = context.regs
        var result = PSCIReturn.success
        switch function {
        case 0x8400_0000:                      // PSCI_VERSION
            result = 0x0001_0000
        case 0x8400_0001:                      // CPU_SUSPEND: behaves as WFI
            // A suspend nothing could end returns at once (allowed: the
            // caller must cope with an early wake-up), instead of hanging.
            if !hasWakeupEvent() && canBeWoken() { waitForInterrupt() }
        case 0x8400_0002:                      // CPU_OFF
            vm.powerLock.lock()
            power = .off
            vm.powerLock.unlock()
            return nil
        case 0x8400_0003:                      // CPU_ON(target MPIDR, entry, context id)
            result = cpuOn(target: r.usr[1], entry: r.usr[2], contextID: r.usr[3])
        case 0x8400_0004:                      // AFFINITY_INFO(target, level)
            guard r.usr[2] == 0, let t = vcpu(mpidr: r.usr[1]) else { result = PSCIReturn.invalidParameters; break }
            switch t.powerState {
            case .on: result = 0
            case .off: result = 1
            case .onPending: result = 2
            }
        case 0x8400_0006:                      // MIGRATE_INFO_TYPE: no migration needed
            result = 2
        case 0x8400_0008:
            return .systemEvent(.shutdown)
        case 0x8400_0009:
            return .systemEvent(.reset)
        case 0x8400_000A:                      // PSCI_FEATURES
            let known: Set<UInt32> = [0x8400_0000, 0x8400_0001, 0x8400_0002, 0x8400_0003, 0x8400_0004,
                                      0x8400_0006, 0x8400_0008, 0x8400_0009, 0x8400_000A]
            result = known.contains(r.usr[1]) ? 0 : PSCIReturn.notSupported
        default:
            result = PSCIReturn.notSupported
        }
        context.regs.usr[0] = result
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
