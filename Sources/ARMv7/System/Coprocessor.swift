/// MCR/MRC/MCRR/MRRC to CP14 and CP15: table lookup, privilege checks, Hyp
/// traps with their syndromes, and dispatch to the register accessors.
///
/// Order of checks for an access from a non-Hyp mode (ARM ARM B1.14):
/// 1. PL0: the register must be accessible at PL0 (and its PL0 enable set,
///    e.g. CNTKCTL, PMUSERENR) — otherwise UNDEFINED, before any Hyp trap.
/// 2. HSTR.Tn and HCR.TIDCP: decided from the encoding alone, so they also
///    trap unallocated and Hyp-only encodings of that CRn from PL1.
/// 3. Not implemented, or needs more privilege (PL2-only from PL1): UNDEFINED.
/// 4. The register's own trap controls (HCR.TIDx/TVM/TAC/TSW/TPC/TPU/TTLB,
///    HDCR.TPM/TPMCR/TDA/TDRA/TDOSA, HCPTR.TCPAC, CNTHCTL).
extension Core {
    func coprocessorRead32(_ a: CoprocessorAccess) throws(CPUException) -> UInt32 {
        let e = try coprocessorCheck(a)
        return UInt32(truncatingIfNeeded: readCoprocessorRegister(e.reg, a))
    }

    func coprocessorWrite32(_ a: CoprocessorAccess, _ value: UInt32) throws(CPUException) {
        let e = try coprocessorCheck(a)
        writeCoprocessorRegister(e.reg, a, UInt64(value))
    }

    func coprocessorRead64(_ a: CoprocessorAccess) throws(CPUException) -> UInt64 {
        let e = try coprocessorCheck(a)
        return readCoprocessorRegister(e.reg, a)
    }

    func coprocessorWrite64(_ a: CoprocessorAccess, _ value: UInt64) throws(CPUException) {
        let e = try coprocessorCheck(a)
        writeCoprocessorRegister(e.reg, a, value)
    }

    // MARK: Access checks

    /// Returns the register an access reaches, or throws UNDEFINED or the
    /// Hyp trap that the access causes.
    func coprocessorCheck(_ a: CoprocessorAccess) throws(CPUException) -> CPRegister {
        let entry = CoprocessorTable.lookup(a)
        let pl = Int8(truncatingIfNeeded: mode.privilegeLevel)
        let isWrite = !a.isRead
        if pl == 2 {
            guard let e = entry, (isWrite ? e.minWrite : e.minRead) <= 2 else { throw .undefined }
            return e
        }
        if pl == 0 {
            guard let e = entry, (isWrite ? e.minWrite : e.minRead) == 0, pl0EnableSet(e.gate) else {
                throw .undefined
            }
        }
        if a.coproc == 15 && encodingTrapped(a) {
            throw .hypTrap(syndrome: coprocessorTrapSyndrome(a))
        }
        guard let e = entry, (isWrite ? e.minWrite : e.minRead) <= pl else { throw .undefined }
        if e.gate == .cp15Barrier && sys.sctlr & 0x20 == 0 { throw .undefined }   // SCTLR.CP15BEN
        if !e.traps.isEmpty, try trapControlsSet(e.traps, write: isWrite, pl: pl) {
            throw .hypTrap(syndrome: coprocessorTrapSyndrome(a))
        }
        return e
    }

    /// Whether the enable that opens a register to PL0 is set.
    @inline(__always) func pl0EnableSet(_ g: PL0Gate) -> Bool {
        let k = sys.cntkctl
        switch g {
        case .always: return true
        case .cntfrq: return k & (CNTKCTL.pl0pcten | CNTKCTL.pl0vcten) != 0
        case .cntpct: return k & CNTKCTL.pl0pcten != 0
        case .cntvct: return k & CNTKCTL.pl0vcten != 0
        case .physicalTimer: return k & CNTKCTL.pl0pten != 0
        case .virtualTimer: return k & CNTKCTL.pl0vten != 0
        case .pmu: return sys.pmu.userEnable & 1 != 0
        case .cp15Barrier: return sys.sctlr & 0x20 != 0
        case .debugDCC: return sys.debug.dscr & (1 << 12) == 0   // DBGDSCR.UDCCdis
        }
    }

    /// HSTR.Tn (CRn = n for MCR/MRC, CRm = n for MCRR/MRRC; T4 and T14 do
    /// not exist) and HCR.TIDCP (the implementation-defined encodings of
    /// c9, c10 and c11).
    @inline(__always) func encodingTrapped(_ a: CoprocessorAccess) -> Bool {
        let hstr = sys.hstr & 0xBFEF
        let hcr = sys.hcr
        if hstr == 0 && hcr & HCR.tidcp == 0 { return false }
        let n = a.is64 ? a.crm : a.crn
        if hstr & (1 << n) != 0 { return true }
        return hcr & HCR.tidcp != 0 && Core.isImplementationDefinedEncoding(a)
    }

    /// The encodings HCR.TIDCP traps: CRn 9 with CRm 0-2 or 5-8, CRn 10 with
    /// CRm 0, 1, 4 or 8, CRn 11 with CRm 0-8 or 15 (any opc1, opc2).
    static func isImplementationDefinedEncoding(_ a: CoprocessorAccess) -> Bool {
        if a.is64 { return false }
        switch a.crn {
        case 9: return a.crm <= 2 || (5...8).contains(a.crm)
        case 10: return a.crm == 0 || a.crm == 1 || a.crm == 4 || a.crm == 8
        case 11: return a.crm <= 8 || a.crm == 15
        default: return false
        }
    }

    /// Whether one of `traps` is enabled for this access.
    func trapControlsSet(_ traps: CPTraps, write: Bool, pl: Int8) throws(CPUException) -> Bool {
        let hcr = sys.hcr
        if traps.contains(.tid0) && hcr & HCR.tid0 != 0 {
            if pl == 0 { throw .undefined }   // JIDR from PL0 with TID0 set
            return true
        }
        if traps.contains(.tid1) && hcr & HCR.tid1 != 0 { return true }
        if traps.contains(.tid2) && hcr & HCR.tid2 != 0 { return true }
        if traps.contains(.tid3) && hcr & HCR.tid3 != 0 { return true }
        if traps.contains(.tvm) && write && hcr & HCR.tvm != 0 { return true }
        if traps.contains(.tac) && hcr & HCR.tac != 0 { return true }
        if traps.contains(.tsw) && hcr & HCR.tsw != 0 { return true }
        if traps.contains(.tpc) && hcr & HCR.tpc != 0 { return true }
        if traps.contains(.tpu) && hcr & HCR.tpu != 0 { return true }
        if traps.contains(.ttlb) && hcr & HCR.ttlb != 0 { return true }
        let hdcr = sys.hdcr
        if traps.contains(.tpm) && hdcr & HDCR.tpm != 0 { return true }
        if traps.contains(.tpmcr) && hdcr & HDCR.tpmcr != 0 { return true }
        if traps.contains(.tcpac) && sys.hcptr & (1 << 31) != 0 { return true }
        if traps.contains(.pl1pct) && sys.cnthctl & CNTHCTL.pl1pcten == 0 { return true }
        if traps.contains(.pl1pt) && sys.cnthctl & CNTHCTL.pl1pcen == 0 { return true }
        // HDCR.TDE (or HCR.TGE) makes TDA, TDRA and TDOSA behave as 1.
        let tde = hdcr & HDCR.tde != 0 || hcr & HCR.tge != 0
        if traps.contains(.tda) && (tde || hdcr & HDCR.tda != 0) { return true }
        if traps.contains(.tdra) && (tde || hdcr & HDCR.tdra != 0) { return true }
        if traps.contains(.tdosa) && (tde || hdcr & HDCR.tdosa != 0) { return true }
        if traps.contains(.tjdbx) && sys.hstr & (1 << 17) != 0 { return true }
        return false
    }

    /// HSR for a trapped MCR/MRC (EC 0x03/0x05) or MCRR/MRRC (EC 0x04/0x0C).
    func coprocessorTrapSyndrome(_ a: CoprocessorAccess) -> UInt32 {
        let condition: UInt32 = 1 << 24 | UInt32(a.cond & 0xF) << 20   // CV = 1, COND
        let direction: UInt32 = a.isRead ? 1 : 0
        let rt = UInt32(a.rt & 0xF)
        if a.is64 {
            let iss = condition | (a.opc1 & 0xF) << 16 | UInt32(a.rt2 & 0xF) << 10 | rt << 5
                | (a.crm & 0xF) << 1 | direction
            return (a.coproc == 15 ? HSRClass.cp15_64 : HSRClass.cp14_64).syndrome(iss: iss, il32: a.il32)
        }
        let iss = condition | (a.opc2 & 7) << 17 | (a.opc1 & 7) << 14 | (a.crn & 0xF) << 10 | rt << 5
            | (a.crm & 0xF) << 1 | direction
        return (a.coproc == 15 ? HSRClass.cp15_32 : HSRClass.cp14_32).syndrome(iss: iss, il32: a.il32)
    }

    // MARK: Dispatch

    func readCoprocessorRegister(_ r: CPReg, _ a: CoprocessorAccess) -> UInt64 {
        switch r {
        case .cntfrq, .cntkctl, .cntpTval, .cntpCtl, .cntvTval, .cntvCtl, .cnthctl, .cnthpTval, .cnthpCtl,
             .cntpct, .cntvct, .cntpCval, .cntvCval, .cntvoff, .cnthpCval:
            return readTimer(r)
        case .pmcr, .pmcntenset, .pmcntenclr, .pmovsr, .pmswinc, .pmselr, .pmceid0, .pmceid1, .pmccntr,
             .pmxevtyper, .pmxevcntr, .pmuserenr, .pmintenset, .pmintenclr, .pmovsset:
            return readPMU(r)
        case .dbgdidr, .dbgdscrInt, .dbgdscrExt, .dbgvcr, .dbgbvr, .dbgbcr, .dbgwvr, .dbgwcr, .dbgdrar,
             .dbgdsar, .dbgdrar64, .dbgdsar64, .dbgoslar, .dbgoslsr, .dbgosdlr, .dbgprcr, .dbgprsr,
             .jidr, .joscr, .jmcr:
            return readDebug(r, a)
        default:
            return readCP15(r, a)
        }
    }

    func writeCoprocessorRegister(_ r: CPReg, _ a: CoprocessorAccess, _ value: UInt64) {
        switch r {
        case .cntfrq, .cntkctl, .cntpTval, .cntpCtl, .cntvTval, .cntvCtl, .cnthctl, .cnthpTval, .cnthpCtl,
             .cntpct, .cntvct, .cntpCval, .cntvCval, .cntvoff, .cnthpCval:
            writeTimer(r, value)
        case .pmcr, .pmcntenset, .pmcntenclr, .pmovsr, .pmswinc, .pmselr, .pmceid0, .pmceid1, .pmccntr,
             .pmxevtyper, .pmxevcntr, .pmuserenr, .pmintenset, .pmintenclr, .pmovsset:
            writePMU(r, UInt32(truncatingIfNeeded: value))
        case .dbgdidr, .dbgdscrInt, .dbgdscrExt, .dbgvcr, .dbgbvr, .dbgbcr, .dbgwvr, .dbgwcr, .dbgdrar,
             .dbgdsar, .dbgdrar64, .dbgdsar64, .dbgoslar, .dbgoslsr, .dbgosdlr, .dbgprcr, .dbgprsr,
             .jidr, .joscr, .jmcr:
            writeDebug(r, a, UInt32(truncatingIfNeeded: value))
        default:
            writeCP15(r, a, value)
        }
    }
}

/// Bits of the Hyp Debug Configuration Register.
public enum HDCR {
    public static let hpmnMask: UInt32 = 0x1F
    public static let tpmcr: UInt32 = 1 << 5
    public static let tpm: UInt32 = 1 << 6
    public static let hpme: UInt32 = 1 << 7
    public static let tde: UInt32 = 1 << 8
    public static let tda: UInt32 = 1 << 9
    public static let tdosa: UInt32 = 1 << 10
    public static let tdra: UInt32 = 1 << 11
}
