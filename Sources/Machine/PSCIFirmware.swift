import KVM

/// What a PSCI call asks of the machine.
public enum PSCIOutcome: Equatable {
    /// Continue the guest with r0 = value.
    case returnValue(UInt32)
    case systemOff
    case systemReset
}

/// The PSCI subset a single-core bare-metal board answers when it stands in
/// for firmware (the KVM layer takes this role once guests run under Hyp).
/// Function IDs and return codes are KVM's (PSCIDefinitions.swift).
public enum BareMetalPSCI {
    /// Handles the call whose function id is in `r0`.
    public static func handle(function r0: UInt32) -> PSCIOutcome {
        switch PSCIFunction(rawValue: r0) {
        case .version: return .returnValue(PSCIFunction.implementedVersion)
        case .systemOff: return .systemOff
        case .systemReset: return .systemReset
        case .migrateInfoType: return .returnValue(psciMigrateNotRequired)
        case .affinityInfo: return .returnValue(PSCIAffinityState.on.rawValue)   // the only core is on
        default: return .returnValue(PSCIReturn.notSupported)   // PSCI_FEATURES included
        }
    }
}
