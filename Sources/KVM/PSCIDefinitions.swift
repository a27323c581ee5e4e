/// PSCI function identifiers (SMC Calling Convention, 32-bit fast calls):
/// the one list the kernel side (PSCI.swift) and the bare-metal board's
/// firmware stand-in both answer from.
public enum PSCIFunction: UInt32, Sendable, CaseIterable {
    case version = 0x8400_0000
    case cpuSuspend = 0x8400_0001
    case cpuOff = 0x8400_0002
    case cpuOn = 0x8400_0003
    case affinityInfo = 0x8400_0004
    case migrateInfoType = 0x8400_0006
    case systemOff = 0x8400_0008
    case systemReset = 0x8400_0009
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
    public static let success: UInt32 = 0
    /// Also the SMC Calling Convention's answer to an unknown function.
    public static let notSupported = UInt32(bitPattern: -1)
    public static let invalidParameters = UInt32(bitPattern: -2)
    public static let alreadyOn = UInt32(bitPattern: -4)
}

/// AFFINITY_INFO's answers.
public enum PSCIAffinityState: UInt32, Sendable {
    case on = 0, off = 1, onPending = 2
}

/// MIGRATE_INFO_TYPE's answer: no Trusted OS, nothing to migrate.
public let psciMigrateNotRequired: UInt32 = 2
