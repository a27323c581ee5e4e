import ARMv7

/// PSCI function identifiers (SMC Calling Convention, 32-bit).
public enum PSCIFunction: UInt32 {
    case version = 0x8400_0000
    case cpuSuspend = 0x8400_0001
    case cpuOff = 0x8400_0002
    case cpuOn = 0x8400_0003
    case affinityInfo = 0x8400_0004
    case migrateInfoType = 0x8400_0006
    case systemOff = 0x8400_0008
    case systemReset = 0x8400_0009
    case features = 0x8400_000A
}

/// PSCI return codes.
public enum PSCIResult {
    public static let success: UInt32 = 0
    public static let notSupported: UInt32 = 0xFFFF_FFFF   // -1
}

/// What a PSCI call asks of the machine.
public enum PSCIOutcome: Equatable {
    /// Continue the guest with r0 = value.
    case returnValue(UInt32)
    case systemOff
    case systemReset
}

/// The PSCI subset a single-core bare-metal board answers when it stands in
/// for firmware (the KVM layer takes this role once guests run under Hyp).
public enum BareMetalPSCI {
    /// Handles the call whose function id is in `r0`.
    public static func handle(function r0: UInt32) -> PSCIOutcome {
        switch PSCIFunction(rawValue: r0) {
        case .version: return .returnValue(0x0001_0000)   // PSCI 1.0
        case .systemOff: return .systemOff
        case .systemReset: return .systemReset
        case .migrateInfoType: return .returnValue(2)     // no migration needed
        case .affinityInfo: return .returnValue(0)        // the only core is on
        case .features:
            return .returnValue(PSCIResult.notSupported)
        default: return .returnValue(PSCIResult.notSupported)
        }
    }
}
