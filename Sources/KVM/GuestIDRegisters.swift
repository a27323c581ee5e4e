import ARMv7

/// The identification registers guests see (ID group 3, trapped by
/// HCR.TID3): the core's own values, PMUv2 included (ID_DFR0.PerfMon = 2):
/// the guest owns the core's PMU while it runs (HDCR.HPMN = 6, no PMU traps;
/// the world switch saves and restores it with the other guest CP15 state).
enum GuestIDRegisters {

    /// Values by (CRm, Opc2) for CRn = c0, Opc1 = 0, CRm = 1–7; the
    /// reserved encodings of the group read as zero.
    static func value(crm: UInt32, opc2: UInt32) -> UInt32 {
        switch (crm, opc2) {
        case (1, 0): CortexA15ID.idPFR0
        case (1, 1): CortexA15ID.idPFR1
        case (1, 2): CortexA15ID.idDFR0
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
