import ARMv7

/// The identification registers guests see (ID group 3, trapped by
/// HCR.TID3): the core's own values, except that ID_DFR0 says there is no
/// PMU. Guest PMU registers read as zero and count nothing (see
/// CoprocEmulation.swift), so advertising the Cortex-A15's PMUv2 would let
/// guests trust counters that never move; KVM hides the PMU the same way
/// from a VCPU that has none.
enum GuestIDRegisters {
    /// ID_DFR0.PerfMon, bits [27:24]: 0 = no PMUv1/v2 implemented.
    static let perfMonMask: UInt32 = 0xF << 24

    /// Values by (CRm, Opc2) for CRn = c0, Opc1 = 0, CRm = 1–7; the
    /// reserved encodings of the group read as zero.
    static func value(crm: UInt32, opc2: UInt32) -> UInt32 {
        switch (crm, opc2) {
        case (1, 0): CortexA15ID.idPFR0
        case (1, 1): CortexA15ID.idPFR1
        case (1, 2): CortexA15ID.idDFR0 & ~perfMonMask
        case (1, 3): CortexA15ID.idAFR0
        case (1, 4): CortexA15ID.idMMFR0
        case (1, 5): CortexA15ID.idMMFR1
        case (1, 6): CortexA15ID.idMMFR2
        case (1, 7): CortexA15ID.idMMFR3
        case (2, 0): CortexA15ID.idISAR0
        case (2, 1): CortexA15ID.idISAR1
        case (2, 2): CortexA15ID.idISAR2
        case (2, 3): CortexA15ID.idISAR3
        case (2, 4): CortexA15ID.idISAR4
        case (2, 5): CortexA15ID.idISAR5
        default: 0
        }
    }
}
