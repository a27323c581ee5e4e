/// The CP15 register table of the Cortex-A15 model and the accessors of the
/// non-timer, non-PMU registers (ARM ARM DDI0406C B4.1 and B4.2, Cortex-A15
/// TRM chapter 4).

/// 32-bit (MCR/MRC) CP15 registers, by (CRn, opc1, CRm, opc2).
let cp15Registers32: [CPRegister] = {
    var t: [CPRegister] = [
        // c0: identification. From PL1 MIDR/MPIDR read VPIDR/VMPIDR.
        cp32("MIDR", 0, 0, 0, 0, .midr, .ro1),
        cp32("CTR", 0, 0, 0, 1, .ctr, .ro1, .tid2),
        cp32("TCMTR", 0, 0, 0, 2, .tcmtr, .ro1, .tid1),
        cp32("TLBTR", 0, 0, 0, 3, .tlbtr, .ro1, .tid1),
        cp32("MIDR_ALIAS4", 0, 0, 0, 4, .midrAlias, .ro1),   // unimplemented c0,c0 IDs read as MIDR (A15 TRM)
        cp32("MPIDR", 0, 0, 0, 5, .mpidr, .ro1),
        cp32("REVIDR", 0, 0, 0, 6, .revidr, .ro1, .tid1),
        cp32("MIDR_ALIAS7", 0, 0, 0, 7, .midrAlias, .ro1),
        cp32("ID_PFR0", 0, 0, 1, 0, .idPFR0, .ro1, .tid3),
        cp32("ID_PFR1", 0, 0, 1, 1, .idPFR1, .ro1, .tid3),
        cp32("ID_DFR0", 0, 0, 1, 2, .idDFR0, .ro1, .tid3),
        cp32("ID_AFR0", 0, 0, 1, 3, .idAFR0, .ro1, .tid3),
        cp32("ID_MMFR0", 0, 0, 1, 4, .idMMFR0, .ro1, .tid3),
        cp32("ID_MMFR1", 0, 0, 1, 5, .idMMFR1, .ro1, .tid3),
        cp32("ID_MMFR2", 0, 0, 1, 6, .idMMFR2, .ro1, .tid3),
        cp32("ID_MMFR3", 0, 0, 1, 7, .idMMFR3, .ro1, .tid3),
        cp32("ID_ISAR0", 0, 0, 2, 0, .idISAR0, .ro1, .tid3),
        cp32("ID_ISAR1", 0, 0, 2, 1, .idISAR1, .ro1, .tid3),
        cp32("ID_ISAR2", 0, 0, 2, 2, .idISAR2, .ro1, .tid3),
        cp32("ID_ISAR3", 0, 0, 2, 3, .idISAR3, .ro1, .tid3),
        cp32("ID_ISAR4", 0, 0, 2, 4, .idISAR4, .ro1, .tid3),
        cp32("ID_ISAR5", 0, 0, 2, 5, .idISAR5, .ro1, .tid3),
        cp32("ID_RESERVED", 0, 0, 2, 6, .idReservedRAZ, .ro1, .tid3),
        cp32("ID_RESERVED", 0, 0, 2, 7, .idReservedRAZ, .ro1, .tid3),
        cp32("CCSIDR", 0, 1, 0, 0, .ccsidr, .ro1, .tid2),
        cp32("CLIDR", 0, 1, 0, 1, .clidr, .ro1, .tid2),
        cp32("AIDR", 0, 1, 0, 7, .aidr, .ro1, .tid1),
        cp32("CSSELR", 0, 2, 0, 0, .csselr, .rw1, .tid2),
        cp32("VPIDR", 0, 4, 0, 0, .vpidr, .rw2),
        cp32("VMPIDR", 0, 4, 0, 5, .vmpidr, .rw2),

        // c1: system control
        cp32("SCTLR", 1, 0, 0, 0, .sctlr, .rw1, .tvm),
        cp32("ACTLR", 1, 0, 0, 1, .actlr, .rw1, .tac),
        cp32("CPACR", 1, 0, 0, 2, .cpacr, .rw1, .tcpac),
        cp32("NSACR", 1, 0, 1, 2, .nsacr, .ro1),
        cp32("HSCTLR", 1, 4, 0, 0, .hsctlr, .rw2),
        cp32("HACTLR", 1, 4, 0, 1, .hactlr, .rw2),
        cp32("HCR", 1, 4, 1, 0, .hcr, .rw2),
        cp32("HDCR", 1, 4, 1, 1, .hdcr, .rw2),
        cp32("HCPTR", 1, 4, 1, 2, .hcptr, .rw2),
        cp32("HSTR", 1, 4, 1, 3, .hstr, .rw2),
        cp32("HACR", 1, 4, 1, 7, .hacr, .rw2),

        // c2, c3: translation tables
        cp32("TTBR0", 2, 0, 0, 0, .ttbr0, .rw1, .tvm),
        cp32("TTBR1", 2, 0, 0, 1, .ttbr1, .rw1, .tvm),
        cp32("TTBCR", 2, 0, 0, 2, .ttbcr, .rw1, .tvm),
        cp32("HTCR", 2, 4, 0, 2, .htcr, .rw2),
        cp32("VTCR", 2, 4, 1, 2, .vtcr, .rw2),
        cp32("DACR", 3, 0, 0, 0, .dacr, .rw1, .tvm),

        // c5, c6: fault status and address
        cp32("DFSR", 5, 0, 0, 0, .dfsr, .rw1, .tvm),
        cp32("IFSR", 5, 0, 0, 1, .ifsr, .rw1, .tvm),
        cp32("ADFSR", 5, 0, 1, 0, .adfsr, .rw1, .tvm),
        cp32("AIFSR", 5, 0, 1, 1, .aifsr, .rw1, .tvm),
        cp32("HADFSR", 5, 4, 1, 0, .hadfsr, .rw2),
        cp32("HAIFSR", 5, 4, 1, 1, .haifsr, .rw2),
        cp32("HSR", 5, 4, 2, 0, .hsr, .rw2),
        cp32("DFAR", 6, 0, 0, 0, .dfar, .rw1, .tvm),
        cp32("IFAR", 6, 0, 0, 2, .ifar, .rw1, .tvm),
        cp32("HDFAR", 6, 4, 0, 0, .hdfar, .rw2),
        cp32("HIFAR", 6, 4, 0, 2, .hifar, .rw2),
        cp32("HPFAR", 6, 4, 0, 4, .hpfar, .rw2),

        // c7: cache and branch predictor maintenance, barriers, VA to PA
        cp32("ICIALLUIS", 7, 0, 1, 0, .icacheAll, .wo1, .tpu),
        cp32("BPIALLIS", 7, 0, 1, 6, .branchPredictor, .wo1),
        cp32("PAR", 7, 0, 4, 0, .par, .rw1),
        cp32("ICIALLU", 7, 0, 5, 0, .icacheAll, .wo1, .tpu),
        cp32("ICIMVAU", 7, 0, 5, 1, .icacheByMVA, .wo1, .tpu),
        cp32("CP15ISB", 7, 0, 5, 4, .isb, .wo0, gate: .cp15Barrier),
        cp32("BPIALL", 7, 0, 5, 6, .branchPredictor, .wo1),
        cp32("BPIMVA", 7, 0, 5, 7, .branchPredictor, .wo1),
        cp32("DCIMVAC", 7, 0, 6, 1, .dataCache, .wo1, .tpc),
        cp32("DCISW", 7, 0, 6, 2, .dataCache, .wo1, .tsw),
        cp32("ATS1CPR", 7, 0, 8, 0, .ats, .wo1),
        cp32("ATS1CPW", 7, 0, 8, 1, .ats, .wo1),
        cp32("ATS1CUR", 7, 0, 8, 2, .ats, .wo1),
        cp32("ATS1CUW", 7, 0, 8, 3, .ats, .wo1),
        cp32("ATS12NSOPR", 7, 0, 8, 4, .ats, .wo2),
        cp32("ATS12NSOPW", 7, 0, 8, 5, .ats, .wo2),
        cp32("ATS12NSOUR", 7, 0, 8, 6, .ats, .wo2),
        cp32("ATS12NSOUW", 7, 0, 8, 7, .ats, .wo2),
        cp32("DCCMVAC", 7, 0, 10, 1, .dataCache, .wo1, .tpc),
        cp32("DCCSW", 7, 0, 10, 2, .dataCache, .wo1, .tsw),
        cp32("CP15DSB", 7, 0, 10, 4, .dsb, .wo0, gate: .cp15Barrier),
        cp32("CP15DMB", 7, 0, 10, 5, .dmb, .wo0, gate: .cp15Barrier),
        cp32("DCCMVAU", 7, 0, 11, 1, .dataCache, .wo1, .tpu),
        cp32("DCCIMVAC", 7, 0, 14, 1, .dataCache, .wo1, .tpc),
        cp32("DCCISW", 7, 0, 14, 2, .dataCache, .wo1, .tsw),
        cp32("ATS1HR", 7, 4, 8, 0, .ats, .wo2),
        cp32("ATS1HW", 7, 4, 8, 1, .ats, .wo2),

        // c8: TLB maintenance
        cp32("TLBIALLIS", 8, 0, 3, 0, .tlbi, .wo1, .ttlb),
        cp32("TLBIMVAIS", 8, 0, 3, 1, .tlbi, .wo1, .ttlb),
        cp32("TLBIASIDIS", 8, 0, 3, 2, .tlbi, .wo1, .ttlb),
        cp32("TLBIMVAAIS", 8, 0, 3, 3, .tlbi, .wo1, .ttlb),
        cp32("ITLBIALL", 8, 0, 5, 0, .tlbi, .wo1, .ttlb),
        cp32("ITLBIMVA", 8, 0, 5, 1, .tlbi, .wo1, .ttlb),
        cp32("ITLBIASID", 8, 0, 5, 2, .tlbi, .wo1, .ttlb),
        cp32("DTLBIALL", 8, 0, 6, 0, .tlbi, .wo1, .ttlb),
        cp32("DTLBIMVA", 8, 0, 6, 1, .tlbi, .wo1, .ttlb),
        cp32("DTLBIASID", 8, 0, 6, 2, .tlbi, .wo1, .ttlb),
        cp32("TLBIALL", 8, 0, 7, 0, .tlbi, .wo1, .ttlb),
        cp32("TLBIMVA", 8, 0, 7, 1, .tlbi, .wo1, .ttlb),
        cp32("TLBIASID", 8, 0, 7, 2, .tlbi, .wo1, .ttlb),
        cp32("TLBIMVAA", 8, 0, 7, 3, .tlbi, .wo1, .ttlb),
        cp32("TLBIALLHIS", 8, 4, 3, 0, .tlbi, .wo2),
        cp32("TLBIMVAHIS", 8, 4, 3, 1, .tlbi, .wo2),
        cp32("TLBIALLNSNHIS", 8, 4, 3, 4, .tlbi, .wo2),
        cp32("TLBIALLH", 8, 4, 7, 0, .tlbi, .wo2),
        cp32("TLBIMVAH", 8, 4, 7, 1, .tlbi, .wo2),
        cp32("TLBIALLNSNH", 8, 4, 7, 4, .tlbi, .wo2),

        // c9: performance monitors (PMUv2, 6 counters) and A15 L2 control
        cp32("PMCR", 9, 0, 12, 0, .pmcr, .rw0, [.tpm, .tpmcr], gate: .pmu),
        cp32("PMCNTENSET", 9, 0, 12, 1, .pmcntenset, .rw0, .tpm, gate: .pmu),
        cp32("PMCNTENCLR", 9, 0, 12, 2, .pmcntenclr, .rw0, .tpm, gate: .pmu),
        cp32("PMOVSR", 9, 0, 12, 3, .pmovsr, .rw0, .tpm, gate: .pmu),
        cp32("PMSWINC", 9, 0, 12, 4, .pmswinc, .wo0, .tpm, gate: .pmu),
        cp32("PMSELR", 9, 0, 12, 5, .pmselr, .rw0, .tpm, gate: .pmu),
        cp32("PMCEID0", 9, 0, 12, 6, .pmceid0, .ro0, .tpm, gate: .pmu),
        cp32("PMCEID1", 9, 0, 12, 7, .pmceid1, .ro0, .tpm, gate: .pmu),
        cp32("PMCCNTR", 9, 0, 13, 0, .pmccntr, .rw0, .tpm, gate: .pmu),
        cp32("PMXEVTYPER", 9, 0, 13, 1, .pmxevtyper, .rw0, .tpm, gate: .pmu),
        cp32("PMXEVCNTR", 9, 0, 13, 2, .pmxevcntr, .rw0, .tpm, gate: .pmu),
        cp32("PMUSERENR", 9, 0, 14, 0, .pmuserenr, .r0w1, .tpm),
        cp32("PMINTENSET", 9, 0, 14, 1, .pmintenset, .rw1, .tpm),
        cp32("PMINTENCLR", 9, 0, 14, 2, .pmintenclr, .rw1, .tpm),
        cp32("PMOVSSET", 9, 0, 14, 3, .pmovsset, .rw0, .tpm, gate: .pmu),
        cp32("L2CTLR", 9, 1, 0, 2, .l2ctlr, .rw1),
        cp32("L2ECTLR", 9, 1, 0, 3, .l2ectlr, .rw1),

        // c10: memory region attributes (PRRR/NMRR share storage with MAIR0/MAIR1)
        cp32("PRRR", 10, 0, 2, 0, .prrr, .rw1, .tvm),
        cp32("NMRR", 10, 0, 2, 1, .nmrr, .rw1, .tvm),
        cp32("AMAIR0", 10, 0, 3, 0, .amair0, .rw1, .tvm),
        cp32("AMAIR1", 10, 0, 3, 1, .amair1, .rw1, .tvm),
        cp32("HMAIR0", 10, 4, 2, 0, .hmair0, .rw2),
        cp32("HMAIR1", 10, 4, 2, 1, .hmair1, .rw2),
        cp32("HAMAIR0", 10, 4, 3, 0, .hamair0, .rw2),
        cp32("HAMAIR1", 10, 4, 3, 1, .hamair1, .rw2),

        // c12: vectors and interrupt status
        cp32("VBAR", 12, 0, 0, 0, .vbar, .rw1),
        cp32("ISR", 12, 0, 1, 0, .isr, .ro1),
        cp32("HVBAR", 12, 4, 0, 0, .hvbar, .rw2),

        // c13: process, context and thread ID
        cp32("FCSEIDR", 13, 0, 0, 0, .fcseidr, .rw1),
        cp32("CONTEXTIDR", 13, 0, 0, 1, .contextidr, .rw1, .tvm),
        cp32("TPIDRURW", 13, 0, 0, 2, .tpidrurw, .rw0),
        cp32("TPIDRURO", 13, 0, 0, 3, .tpidruro, .r0w1),
        cp32("TPIDRPRW", 13, 0, 0, 4, .tpidrprw, .rw1),
        cp32("HTPIDR", 13, 4, 0, 2, .htpidr, .rw2),

        // c14: generic timer
        cp32("CNTFRQ", 14, 0, 0, 0, .cntfrq, .r0w1, gate: .cntfrq),
        cp32("CNTKCTL", 14, 0, 1, 0, .cntkctl, .rw1),
        cp32("CNTP_TVAL", 14, 0, 2, 0, .cntpTval, .rw0, .pl1pt, gate: .physicalTimer),
        cp32("CNTP_CTL", 14, 0, 2, 1, .cntpCtl, .rw0, .pl1pt, gate: .physicalTimer),
        cp32("CNTV_TVAL", 14, 0, 3, 0, .cntvTval, .rw0, gate: .virtualTimer),
        cp32("CNTV_CTL", 14, 0, 3, 1, .cntvCtl, .rw0, gate: .virtualTimer),
        cp32("CNTHCTL", 14, 4, 1, 0, .cnthctl, .rw2),
        cp32("CNTHP_TVAL", 14, 4, 2, 0, .cnthpTval, .rw2),
        cp32("CNTHP_CTL", 14, 4, 2, 1, .cnthpCtl, .rw2),

        // c15: implementation defined
        cp32("CBAR", 15, 4, 0, 0, .cbar, .ro1),
    ]
    // c0, opc1 0, CRm 3-7: reserved ID space, read-as-zero (ARM ARM B4.1.x).
    for crm: UInt8 in 3...7 {
        for opc2: UInt8 in 0...7 { t.append(cp32("ID_RESERVED", 0, 0, crm, opc2, .idReservedRAZ, .ro1, .tid3)) }
    }
    return t
}()

/// 64-bit (MCRR/MRRC) CP15 registers, by (opc1, CRm).
let cp15Registers64: [CPRegister] = [
    cp64("TTBR0_64", 0, 2, .ttbr0_64, .rw1, .tvm),
    cp64("TTBR1_64", 1, 2, .ttbr1_64, .rw1, .tvm),
    cp64("HTTBR", 4, 2, .httbr64, .rw2),
    cp64("VTTBR", 6, 2, .vttbr64, .rw2),
    cp64("PAR_64", 0, 7, .par64, .rw1),
    cp64("CNTPCT", 0, 14, .cntpct, .ro0, .pl1pct, gate: .cntpct),
    cp64("CNTVCT", 1, 14, .cntvct, .ro0, gate: .cntvct),
    cp64("CNTP_CVAL", 2, 14, .cntpCval, .rw0, .pl1pt, gate: .physicalTimer),
    cp64("CNTV_CVAL", 3, 14, .cntvCval, .rw0, gate: .virtualTimer),
    cp64("CNTVOFF", 4, 14, .cntvoff, .rw2),
    cp64("CNTHP_CVAL", 6, 14, .cnthpCval, .rw2),
]

/// Writable bits and fixed-one bits of the control registers.
enum CP15Masks {
    /// SCTLR: M A C CP15BEN SW Z I V WXN UWXN EE TRE AFE TE.
    static let sctlrWritable: UInt32 = 0x7218_3C27
    /// SCTLR bits 3, 4, 6, 16, 18, 22 (U), 23 read as one.
    static let sctlrRAO: UInt32 = 0x00C5_0058
    /// HSCTLR: M A C I WXN FI EE TE.
    static let hsctlrWritable: UInt32 = 0x4228_1007
    static let hsctlrRAO: UInt32 = 0x30C5_0818
    /// CPACR: ASEDIS, cp11, cp10 (D32DIS and TRCDIS are RAZ/WI: D16-D31 are
    /// always present with NEON, and there is no CP14 trace).
    static let cpacrWritable: UInt32 = 0x80F0_0000
    /// TTBCR: EAE, T1SZ/EPD1/A1 and the walk attributes, T0SZ/EPD0, PD1, PD0, N.
    static let ttbcrWritable: UInt32 = 0xBFC7_3FB7
    static let ttbrWritable: UInt64 = 0x00FF_00FF_FFFF_FFFF
    static let httbrWritable: UInt64 = 0x0000_00FF_FFFF_FFFF
    static let htcrWritable: UInt32 = 0x0000_3F07
    static let vtcrWritable: UInt32 = 0x0000_3FDF
    /// HCR bits 27:0 (VM .. TGE).
    static let hcrWritable: UInt32 = 0x0FFF_FFFF
    /// HDCR: HPMN, TPMCR, TPM, HPME, TDE, TDA, TDOSA, TDRA.
    static let hdcrWritable: UInt32 = 0x0000_0FFF
    /// HCPTR: TCP10, TCP11, TASE, TTA, TCPAC; TCP0-9, TCP12, TCP13 read as one.
    static let hcptrWritable: UInt32 = 0x8010_8C00
    static let hcptrRAO: UInt32 = 0x0000_33FF
    /// HSTR: T0-T3, T5-T13, T15, TTEE, TJDBX.
    static let hstrWritable: UInt32 = 0x0003_BFEF
    static let dfsrWritable: UInt32 = 0x0000_3EFF
    static let ifsrWritable: UInt32 = 0x0000_163F
}

extension Core {
    /// Whether the register reads are from a non-Hyp mode (the virtualised view).
    @inline(__always) var virtualisedIDs: Bool { mode != .hyp }

    /// Reads a CP15 register other than the timer and PMU ones.
    func readCP15(_ r: CPReg, _ a: CoprocessorAccess) -> UInt64 {
        let v: UInt32
        switch r {
        case .midr, .midrAlias: v = virtualisedIDs ? sys.vpidr : CortexA15ID.midr
        case .mpidr: v = virtualisedIDs ? sys.vmpidr : mpidr
        case .ctr: v = CortexA15ID.ctr
        case .tcmtr: v = CortexA15ID.tcmtr
        case .tlbtr: v = CortexA15ID.tlbtr
        case .revidr: v = CortexA15ID.revidr
        case .idPFR0: v = CortexA15ID.idPFR0
        case .idPFR1: v = CortexA15ID.idPFR1
        case .idDFR0: v = CortexA15ID.idDFR0
        case .idAFR0: v = CortexA15ID.idAFR0
        case .idMMFR0: v = CortexA15ID.idMMFR0
        case .idMMFR1: v = CortexA15ID.idMMFR1
        case .idMMFR2: v = CortexA15ID.idMMFR2
        case .idMMFR3: v = CortexA15ID.idMMFR3
        case .idISAR0: v = CortexA15ID.idISAR0
        case .idISAR1: v = CortexA15ID.idISAR1
        case .idISAR2: v = CortexA15ID.idISAR2
        case .idISAR3: v = CortexA15ID.idISAR3
        case .idISAR4: v = CortexA15ID.idISAR4
        case .idISAR5: v = CortexA15ID.idISAR5
        case .idReservedRAZ: v = 0
        case .ccsidr:
            switch sys.csselr & 0xF {
            case 0: v = CortexA15ID.ccsidrL1D
            case 1: v = CortexA15ID.ccsidrL1I
            case 2: v = CortexA15ID.ccsidrL2
            default: v = 0   // no such cache: UNKNOWN
            }
        case .clidr: v = CortexA15ID.clidr
        case .aidr: v = CortexA15ID.aidr
        case .csselr: v = sys.csselr
        case .vpidr: v = sys.vpidr
        case .vmpidr: v = sys.vmpidr
        case .sctlr: v = sys.sctlr
        case .actlr: v = sys.actlr
        case .cpacr: v = sys.cpacr
        case .nsacr: v = sys.nsacr
        case .hsctlr: v = sys.hsctlr
        case .hactlr: v = sys.hactlr
        case .hcr: v = sys.hcr
        case .hdcr: v = sys.hdcr
        case .hcptr: v = sys.hcptr
        case .hstr: v = sys.hstr
        case .hacr: v = sys.hacr
        case .ttbr0: v = UInt32(truncatingIfNeeded: sys.ttbr0)
        case .ttbr1: v = UInt32(truncatingIfNeeded: sys.ttbr1)
        case .ttbr0_64: return sys.ttbr0
        case .ttbr1_64: return sys.ttbr1
        case .httbr64: return sys.httbr
        case .vttbr64: return sys.vttbr
        case .ttbcr: v = sys.ttbcr
        case .htcr: v = sys.htcr
        case .vtcr: v = sys.vtcr
        case .dacr: v = sys.dacr
        case .dfsr: v = sys.dfsr
        case .ifsr: v = sys.ifsr
        case .adfsr: v = sys.adfsr
        case .aifsr: v = sys.aifsr
        case .hadfsr: v = sys.hadfsr
        case .haifsr: v = sys.haifsr
        case .hsr: v = sys.hsr
        case .dfar: v = sys.dfar
        case .ifar: v = sys.ifar
        case .hdfar: v = sys.hdfar
        case .hifar: v = sys.hifar
        case .hpfar: v = sys.hpfar
        case .par: v = UInt32(truncatingIfNeeded: sys.par)
        case .par64: return sys.par
        case .l2ctlr: v = UInt32(truncatingIfNeeded: max(1, min(4, clusterCoreCount)) - 1) << 24
        case .l2ectlr: v = 0
        case .prrr: v = sys.prrr
        case .nmrr: v = sys.nmrr
        case .amair0: v = sys.amair0
        case .amair1: v = sys.amair1
        case .hmair0: v = sys.hmair0
        case .hmair1: v = sys.hmair1
        case .hamair0: v = sys.hamair0
        case .hamair1: v = sys.hamair1
        case .vbar: v = sys.vbar
        case .hvbar: v = sys.hvbar
        case .isr: v = interruptStatus
        case .fcseidr: v = 0
        case .contextidr: v = sys.contextidr
        case .tpidrurw: v = sys.tpidrurw
        case .tpidruro: v = sys.tpidruro
        case .tpidrprw: v = sys.tpidrprw
        case .htpidr: v = sys.htpidr
        case .cbar: v = 0
        default: v = 0   // write-only operations never get here
        }
        return UInt64(v)
    }

    /// ISR: pending A, I, F as the current mode sees them (the virtual
    /// lines when HCR.AMO/IMO/FMO route the physical ones to Hyp).
    var interruptStatus: UInt32 {
        let hcr = sys.hcr | gicVirtualLines
        let virt = mode != .hyp
        var v: UInt32 = 0
        if virt && hcr & HCR.amo != 0 { if hcr & HCR.va != 0 { v |= 1 << 8 } }
        else if lines.asyncAbort.load(ordering: .relaxed) { v |= 1 << 8 }
        if virt && hcr & HCR.imo != 0 { if hcr & HCR.vi != 0 { v |= 1 << 7 } }
        else if lines.irq.load(ordering: .relaxed) || gicMaintenanceIRQ { v |= 1 << 7 }
        if virt && hcr & HCR.fmo != 0 { if hcr & HCR.vf != 0 { v |= 1 << 6 } }
        else if lines.fiq.load(ordering: .relaxed) { v |= 1 << 6 }
        return v
    }

    /// Stores `new` into a register that feeds address translation and
    /// flushes the cached translations if the value changed.
    @inline(__always) func setTranslationRegister<T: Equatable>(_ reg: inout T, _ new: T) {
        if reg != new {
            reg = new
            translationRegimeChanged()
        }
    }

    /// Writes a CP15 register or performs a CP15 operation (not timer/PMU).
    func writeCP15(_ r: CPReg, _ a: CoprocessorAccess, _ value64: UInt64) {
        let v = UInt32(truncatingIfNeeded: value64)
        switch r {
        case .csselr: sys.csselr = v & 0xF
        case .vpidr: sys.vpidr = v
        case .vmpidr: sys.vmpidr = v
        case .sctlr:
            setTranslationRegister(&sys.sctlr, (v & CP15Masks.sctlrWritable) | CP15Masks.sctlrRAO)
        case .actlr: sys.actlr = v
        case .cpacr: sys.cpacr = v & CP15Masks.cpacrWritable
        case .hsctlr:
            setTranslationRegister(&sys.hsctlr, (v & CP15Masks.hsctlrWritable) | CP15Masks.hsctlrRAO)
        case .hactlr: sys.hactlr = v
        case .hcr: setTranslationRegister(&sys.hcr, v & CP15Masks.hcrWritable)
        case .hdcr: sys.hdcr = v & CP15Masks.hdcrWritable
        case .hcptr: sys.hcptr = (v & CP15Masks.hcptrWritable) | CP15Masks.hcptrRAO
        case .hstr: sys.hstr = v & CP15Masks.hstrWritable
        case .hacr: sys.hacr = v
        case .ttbr0:
            setTranslationRegister(&sys.ttbr0, (sys.ttbr0 & 0xFFFF_FFFF_0000_0000) | UInt64(v))
        case .ttbr1:
            setTranslationRegister(&sys.ttbr1, (sys.ttbr1 & 0xFFFF_FFFF_0000_0000) | UInt64(v))
        case .ttbr0_64: setTranslationRegister(&sys.ttbr0, value64 & CP15Masks.ttbrWritable)
        case .ttbr1_64: setTranslationRegister(&sys.ttbr1, value64 & CP15Masks.ttbrWritable)
        case .httbr64: setTranslationRegister(&sys.httbr, value64 & CP15Masks.httbrWritable)
        case .vttbr64: setTranslationRegister(&sys.vttbr, value64 & CP15Masks.ttbrWritable)
        case .ttbcr: setTranslationRegister(&sys.ttbcr, v & CP15Masks.ttbcrWritable)
        case .htcr: setTranslationRegister(&sys.htcr, (v & CP15Masks.htcrWritable) | 0x8000_0000)
        case .vtcr: setTranslationRegister(&sys.vtcr, (v & CP15Masks.vtcrWritable) | 0x8000_0000)
        case .dacr: setTranslationRegister(&sys.dacr, v)
        case .dfsr: sys.dfsr = v & CP15Masks.dfsrWritable
        case .ifsr: sys.ifsr = v & CP15Masks.ifsrWritable
        case .adfsr: sys.adfsr = v
        case .aifsr: sys.aifsr = v
        case .hadfsr: sys.hadfsr = v
        case .haifsr: sys.haifsr = v
        case .hsr: sys.hsr = v
        case .dfar: sys.dfar = v
        case .ifar: sys.ifar = v
        case .hdfar: sys.hdfar = v
        case .hifar: sys.hifar = v
        case .hpfar: sys.hpfar = v & 0xFFFF_FFF0
        case .par: sys.par = (sys.par & 0xFFFF_FFFF_0000_0000) | UInt64(v)
        case .par64: sys.par = value64
        case .icacheAll:
            invalidateInstructionCache()
        case .icacheByMVA:
            if let t = try? translateAddress(v, .read, unprivileged: false) {
                memory.invalidateCode(pa: t.pa & ~0xFFF, length: 0x1000)
            }
            invalidateFetchPage()
        case .branchPredictor, .dataCache:
            break   // coherent memory, no predictor state to drop
        case .isb:
            invalidateFetchPage()
        case .dsb, .dmb:
            memoryBarrier()
        case .ats: addressTranslationOperation(a, va: v)
        case .tlbi: tlbMaintenance(a, operand: v)
        case .l2ctlr, .l2ectlr:
            break   // writable only from Secure PL1, which does not exist here
        case .prrr: sys.prrr = v
        case .nmrr: sys.nmrr = v
        case .amair0: sys.amair0 = v
        case .amair1: sys.amair1 = v
        case .hmair0: sys.hmair0 = v
        case .hmair1: sys.hmair1 = v
        case .hamair0: sys.hamair0 = v
        case .hamair1: sys.hamair1 = v
        case .vbar: sys.vbar = v & ~0x1F
        case .hvbar: sys.hvbar = v & ~0x1F
        case .fcseidr: break   // FCSE not implemented: RAZ/WI
        case .contextidr: setTranslationRegister(&sys.contextidr, v)
        case .tpidrurw: sys.tpidrurw = v
        case .tpidruro: sys.tpidruro = v
        case .tpidrprw: sys.tpidrprw = v
        case .htpidr: sys.htpidr = v
        default: break   // read-only registers never get here
        }
    }

    /// ATS1C**, ATS12NSO**, ATS1H**: the result goes to PAR.
    func addressTranslationOperation(_ a: CoprocessorAccess, va: UInt32) {
        let write = a.opc2 & 1 != 0
        if a.opc1 == 4 {
            addressTranslation(va: va, write: write, privileged: true, stage1Only: true, hyp: true)
        } else {
            addressTranslation(va: va, write: write, privileged: a.opc2 & 2 == 0,
                               stage1Only: a.opc2 < 4, hyp: false)
        }
    }

    /// TLB maintenance (c8). HCR.FB upgrades the PL1 forms to inner shareable.
    func tlbMaintenance(_ a: CoprocessorAccess, operand v: UInt32) {
        let mva = v & 0xFFFF_F000
        let asid = UInt8(truncatingIfNeeded: v)
        let inner = a.crm == 3 || (mode != .hyp && sys.hcr & HCR.fb != 0)
        let op: TLBInvalidation
        if a.opc1 == 4 {
            switch a.opc2 {
            case 0: op = .allHyp
            case 1: op = .byMVAHyp(mva)
            default: op = .allNonHyp
            }
        } else {
            switch a.opc2 {
            case 0: op = .all
            case 1: op = .byMVA(mva, asid: asid)
            case 2: op = .byASID(asid)
            default: op = .byMVAAllASID(mva)
            }
        }
        invalidateTLB(op, innerShareable: inner)
    }
}
