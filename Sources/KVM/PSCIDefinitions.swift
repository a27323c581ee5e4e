/// PSCI function identifiers (SMC Calling Convention, 32-bit fast calls):
/// the one list the kernel side (PSCI.swift) and the bare-metal board's
/// firmware stand-in both answer from.
public enum PSCIFunction: UInt32, Sendable, CaseIterable {
    /// PSCI_VERSION: the implemented version.
    case version = 0x8400_0000
    /// CPU_SUSPEND: a low-power wait (here, as WFI).
    case cpuSuspend = 0x8400_0001
    /// CPU_OFF: the calling CPU powers down.
    case cpuOff = 0x8400_0002
    /// CPU_ON(target MPIDR, entry point, context id).
    case cpuOn = 0x8400_0003
    /// AFFINITY_INFO(target MPIDR, level): on, off or on-pending.
    case affinityInfo = 0x8400_0004
    /// MIGRATE_INFO_TYPE: whether a Trusted OS must be migrated.
    case migrateInfoType = 0x8400_0006
    /// SYSTEM_OFF: power the machine off.
    case systemOff = 0x8400_0008
    /// SYSTEM_RESET: reset the machine.
    case systemReset = 0x8400_0009
    /// PSCI_FEATURES(function id): whether a function is implemented.
    case features = 0x8400_000A

    /// Whether `function` lies in PSCI's 32-bit range (0x84000000–0x8400001F).
    @inlinable public static func isPSCI(_ function: UInt32) -> Bool { function & 0xFFFF_FFE0 == 0x8400_0000 }

    /// MIGRATE's identifier: named in the device tree's PSCI 0.1 binding
    /// (as QEMU's `virt` does), not implemented, so not a case above
    /// (PSCI_FEATURES reports it NOT_SUPPORTED).
    public static let migrateID: UInt32 = 0x8400_0005

    /// PSCI_VERSION's answer: 1.0 (major in bits 31:16).
    public static let implementedVersion: UInt32 = 0x0001_0000
}

/// PSCI return codes (negative numbers, as 32-bit two's complement).
public enum PSCIReturn {
    /// SUCCESS.
    public static let success: UInt32 = 0
    /// NOT_SUPPORTED; also the SMC Calling Convention's answer to an unknown function.
    public static let notSupported = UInt32(bitPattern: -1)
    /// INVALID_PARAMETERS (an unknown target CPU, a bad affinity level).
    public static let invalidParameters = UInt32(bitPattern: -2)
    /// ALREADY_ON (CPU_ON for a CPU that is on or being turned on).
    public static let alreadyOn = UInt32(bitPattern: -4)
}

/// AFFINITY_INFO's answers.
public enum PSCIAffinityState: UInt32, Sendable {
    case on = 0, off = 1, onPending = 2
}

/// MIGRATE_INFO_TYPE's answer: no Trusted OS, nothing to migrate.
public let psciMigrateNotRequired: UInt32 = 2
