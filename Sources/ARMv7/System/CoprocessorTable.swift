/// The register tables of coprocessors 14 and 15: every implemented encoding
/// maps to an accessor (`CPReg`), the privilege it needs in each direction,
/// the PL0 enable that may open it to User mode, and the Hyp trap controls
/// that apply to it. An encoding that is not in a table is UNDEFINED.
///
/// The tables are built once into flat index arrays keyed by the encoding, so
/// a lookup is two array loads.

/// What an entry accesses. The accessors are a `switch` over this enum in
/// CP15Registers.swift, CP14Debug.swift and GenericTimer.swift.
enum CPReg: UInt16 {
    // c0: identification
    case midr, mpidr, ctr, tcmtr, tlbtr, revidr, midrAlias
    case idPFR0, idPFR1, idDFR0, idAFR0, idMMFR0, idMMFR1, idMMFR2, idMMFR3
    case idISAR0, idISAR1, idISAR2, idISAR3, idISAR4, idISAR5, idReservedRAZ
    case ccsidr, clidr, aidr, csselr, vpidr, vmpidr
    // c1: system control
    case sctlr, actlr, cpacr, nsacr, hsctlr, hactlr, hcr, hdcr, hcptr, hstr, hacr
    // c2, c3: translation table control
    case ttbr0, ttbr1, ttbcr, htcr, vtcr, ttbr0_64, ttbr1_64, httbr64, vttbr64, dacr
    // c5, c6: faults
    case dfsr, ifsr, adfsr, aifsr, hadfsr, haifsr, hsr, dfar, ifar, hdfar, hifar, hpfar
    // c7: cache maintenance, barriers, address translation
    case par, par64, icacheAll, icacheByMVA, branchPredictor, dataCache, isb, dsb, dmb, ats
    // c8: TLB maintenance
    case tlbi
    // c9: performance monitors, L2 control
    case pmcr, pmcntenset, pmcntenclr, pmovsr, pmswinc, pmselr, pmceid0, pmceid1
    case pmccntr, pmxevtyper, pmxevcntr, pmuserenr, pmintenset, pmintenclr, pmovsset
    case l2ctlr, l2ectlr
    // c10: memory attributes
    case prrr, nmrr, amair0, amair1, hmair0, hmair1, hamair0, hamair1
    // c12, c13
    case vbar, hvbar, isr, fcseidr, contextidr, tpidrurw, tpidruro, tpidrprw, htpidr
    // c14: generic timer
    case cntfrq, cntkctl, cntpTval, cntpCtl, cntvTval, cntvCtl, cnthctl, cnthpTval, cnthpCtl
    case cntpct, cntvct, cntpCval, cntvCval, cntvoff, cnthpCval
    // c15
    case cbar
    // CP14: debug
    case dbgdidr, dbgdscrInt, dbgdscrExt, dbgvcr, dbgbvr, dbgbcr, dbgwvr, dbgwcr
    case dbgdrar, dbgdsar, dbgdrar64, dbgdsar64, dbgoslar, dbgoslsr, dbgosdlr, dbgprcr, dbgprsr
    // CP14: trivial Jazelle
    case jidr, joscr, jmcr
}

/// Hyp trap controls that apply to a register (besides HSTR.Tn and
/// HCR.TIDCP, which are decided from the encoding alone).
struct CPTraps: OptionSet {
    let rawValue: UInt32
    static let tid0 = CPTraps(rawValue: 1 << 0)
    static let tid1 = CPTraps(rawValue: 1 << 1)
    static let tid2 = CPTraps(rawValue: 1 << 2)
    static let tid3 = CPTraps(rawValue: 1 << 3)
    /// HCR.TVM: writes only.
    static let tvm = CPTraps(rawValue: 1 << 4)
    static let tac = CPTraps(rawValue: 1 << 5)
    static let tsw = CPTraps(rawValue: 1 << 6)
    static let tpc = CPTraps(rawValue: 1 << 7)
    static let tpu = CPTraps(rawValue: 1 << 8)
    static let ttlb = CPTraps(rawValue: 1 << 9)
    /// HDCR.TPM (all PMU registers).
    static let tpm = CPTraps(rawValue: 1 << 10)
    /// HDCR.TPMCR (PMCR only).
    static let tpmcr = CPTraps(rawValue: 1 << 11)
    /// HCPTR.TCPAC (CPACR).
    static let tcpac = CPTraps(rawValue: 1 << 12)
    /// CNTHCTL.PL1PCTEN = 0 traps the physical counter.
    static let pl1pct = CPTraps(rawValue: 1 << 13)
    /// CNTHCTL.PL1PCEN = 0 traps the physical timer.
    static let pl1pt = CPTraps(rawValue: 1 << 14)
    /// HDCR.TDA / TDRA / TDOSA (CP14 debug).
    static let tda = CPTraps(rawValue: 1 << 15)
    static let tdra = CPTraps(rawValue: 1 << 16)
    static let tdosa = CPTraps(rawValue: 1 << 17)
    /// HSTR.TJDBX (Jazelle control registers).
    static let tjdbx = CPTraps(rawValue: 1 << 18)
}

/// Enables that may open a register to PL0 (the entry's minimum privilege
/// is then 0, and the enable must also be set).
enum PL0Gate: UInt8 {
    case always
    /// CNTFRQ: CNTKCTL.PL0PCTEN or PL0VCTEN.
    case cntfrq
    /// CNTPCT: CNTKCTL.PL0PCTEN.
    case cntpct
    /// CNTVCT: CNTKCTL.PL0VCTEN.
    case cntvct
    /// CNTP_*: CNTKCTL.PL0PTEN.
    case physicalTimer
    /// CNTV_*: CNTKCTL.PL0VTEN.
    case virtualTimer
    /// PMU registers: PMUSERENR.EN.
    case pmu
    /// CP15 barrier operations: SCTLR.CP15BEN (applies at PL1 too).
    case cp15Barrier
    /// CP14 debug communications registers: DBGDSCR.UDCCdis = 0.
    case debugDCC
}

/// One table entry.
struct CPRegister {
    let name: StaticString
    let reg: CPReg
    /// Lowest privilege level that may read / write (3 = never: UNDEFINED).
    let minRead: Int8
    let minWrite: Int8
    let traps: CPTraps
    let gate: PL0Gate
    /// The encoding, for documentation and tests.
    let coproc: UInt8, opc1: UInt8, crn: UInt8, crm: UInt8, opc2: UInt8, is64: Bool
}

/// Access rights: the lowest privilege level that may read / write
/// (3 = never, so the access is UNDEFINED at every level).
struct CPRights {
    let read: Int8
    let write: Int8
    static let never: Int8 = 3
    static let rw0 = CPRights(read: 0, write: 0), ro0 = CPRights(read: 0, write: never)
    static let r0w1 = CPRights(read: 0, write: 1), wo0 = CPRights(read: never, write: 0)
    static let rw1 = CPRights(read: 1, write: 1), ro1 = CPRights(read: 1, write: never)
    static let wo1 = CPRights(read: never, write: 1)
    static let rw2 = CPRights(read: 2, write: 2), ro2 = CPRights(read: 2, write: never)
    static let wo2 = CPRights(read: never, write: 2)
}

enum CoprocessorTable {
    /// Index (coproc bit 14, CRn 13:10, opc1 9:7, CRm 6:3, opc2 2:0) of a
    /// 32-bit access.
    @inline(__always) static func key32(_ cp: UInt32, _ crn: UInt32, _ opc1: UInt32, _ crm: UInt32,
                                        _ opc2: UInt32) -> Int {
        Int((cp == 14 ? 1 << 14 : 0) | (crn & 15) << 10 | (opc1 & 7) << 7 | (crm & 15) << 3 | (opc2 & 7))
    }

    /// Index (coproc bit 8, opc1 7:4, CRm 3:0) of a 64-bit access.
    @inline(__always) static func key64(_ cp: UInt32, _ opc1: UInt32, _ crm: UInt32) -> Int {
        Int((cp == 14 ? 1 << 8 : 0) | (opc1 & 15) << 4 | (crm & 15))
    }

    /// Every entry of both coprocessors, 32-bit then 64-bit.
    static let entries: [CPRegister] = cp15Registers32 + cp15Registers64 + cp14Registers32 + cp14Registers64

    /// Entry index + 1 per 32-bit key (0 = not implemented).
    static let index32: [UInt16] = {
        var t = [UInt16](repeating: 0, count: 1 << 15)
        for (i, e) in entries.enumerated() where !e.is64 {
            let k = key32(UInt32(e.coproc), UInt32(e.crn), UInt32(e.opc1), UInt32(e.crm), UInt32(e.opc2))
            precondition(t[k] == 0, "duplicate coprocessor register \(e.name)")
            t[k] = UInt16(i + 1)
        }
        return t
    }()

    /// Entry index + 1 per 64-bit key.
    static let index64: [UInt16] = {
        var t = [UInt16](repeating: 0, count: 1 << 9)
        for (i, e) in entries.enumerated() where e.is64 {
            let k = key64(UInt32(e.coproc), UInt32(e.opc1), UInt32(e.crm))
            precondition(t[k] == 0, "duplicate coprocessor register \(e.name)")
            t[k] = UInt16(i + 1)
        }
        return t
    }()

    /// The entry for an access, or nil when the encoding is not implemented.
    @inline(__always) static func lookup(_ a: CoprocessorAccess) -> CPRegister? {
        let i = a.is64 ? index64[key64(a.coproc, a.opc1, a.crm)]
                       : index32[key32(a.coproc, a.crn, a.opc1, a.crm, a.opc2)]
        return i == 0 ? nil : entries[Int(i) - 1]
    }
}

/// Builds a 32-bit entry.
func cp32(_ name: StaticString, _ crn: UInt8, _ opc1: UInt8, _ crm: UInt8, _ opc2: UInt8,
          _ reg: CPReg, _ rights: CPRights, _ traps: CPTraps = [], gate: PL0Gate = .always,
          cp: UInt8 = 15) -> CPRegister {
    CPRegister(name: name, reg: reg, minRead: rights.read, minWrite: rights.write, traps: traps, gate: gate,
               coproc: cp, opc1: opc1, crn: crn, crm: crm, opc2: opc2, is64: false)
}

/// Builds a 64-bit (MCRR/MRRC) entry.
func cp64(_ name: StaticString, _ opc1: UInt8, _ crm: UInt8,
          _ reg: CPReg, _ rights: CPRights, _ traps: CPTraps = [], gate: PL0Gate = .always,
          cp: UInt8 = 15) -> CPRegister {
    CPRegister(name: name, reg: reg, minRead: rights.read, minWrite: rights.write, traps: traps, gate: gate,
               coproc: cp, opc1: opc1, crn: 0, crm: crm, opc2: 0, is64: true)
}
