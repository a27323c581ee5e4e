import XCTest
@testable import ARMv7

final class CP15Tests: XCTestCase {
    // MARK: Privilege

    func testCP15TableBuildsWithoutDuplicates() {
        // Building the index traps on a duplicate encoding.
        XCTAssertGreaterThan(CoprocessorTable.index32.filter { $0 != 0 }.count, 150)
        XCTAssertEqual(CoprocessorTable.index64.filter { $0 != 0 }.count, 13)
        let sctlr = CoprocessorTable.lookup(CoprocessorAccess(coproc: 15, opc1: 0, crn: 1, crm: 0, opc2: 0, rt: 0,
                                                              isRead: true, is64: false))
        XCTAssertEqual(sctlr?.reg, .sctlr)
        XCTAssertNil(CoprocessorTable.lookup(CoprocessorAccess(coproc: 15, opc1: 0, crn: 1, crm: 0, opc2: 3, rt: 0,
                                                               isRead: true, is64: false)))
    }

    func testPL0AccessToPL1RegistersIsUndefined() {
        let h = CP15Harness()
        XCTAssertEqual(h.exception(of: Asm.mrc(0, rt: 0, crn: 1, crm: 0, 0), mode: .user), .undefined)   // SCTLR
        XCTAssertEqual(h.exception(of: Asm.mrc(0, rt: 0, crn: 0, crm: 0, 0), mode: .user), .undefined)   // MIDR
        XCTAssertEqual(h.exception(of: Asm.mcr(0, rt: 0, crn: 7, crm: 5, 0), mode: .user), .undefined)   // ICIALLU
        XCTAssertEqual(h.exception(of: Asm.mcr(0, rt: 0, crn: 13, crm: 0, 3), mode: .user), .undefined)  // TPIDRURO write
        XCTAssertEqual(h.exception(of: Asm.mrc(0, rt: 0, crn: 13, crm: 0, 4), mode: .user), .undefined)  // TPIDRPRW
        XCTAssertEqual(h.exception(of: Asm.mrc(0, rt: 0, crn: 15, crm: 15, 7), mode: .user), .undefined) // unallocated

        // TPIDRURO is readable and TPIDRURW read/write at PL0.
        h.core.sys.tpidruro = 0x1234_5678
        h.core.r[1] = 0xCAFE_F00D
        h.exceptions = []
        h.run([Asm.mrc(0, rt: 0, crn: 13, crm: 0, 3), Asm.mcr(0, rt: 1, crn: 13, crm: 0, 2),
               Asm.mrc(0, rt: 2, crn: 13, crm: 0, 2)], mode: .user)
        XCTAssertEqual(h.exceptions, [])
        XCTAssertEqual(h.core.r[0], 0x1234_5678)
        XCTAssertEqual(h.core.sys.tpidrurw, 0xCAFE_F00D)
        XCTAssertEqual(h.core.r[2], 0xCAFE_F00D)
    }

    func testPL2OnlyRegistersAreUndefinedFromPL1() {
        let pl2Only: [UInt32] = [
            Asm.mrc(4, rt: 0, crn: 1, crm: 1, 0),     // HCR
            Asm.mcr(4, rt: 0, crn: 1, crm: 0, 0),     // HSCTLR
            Asm.mrc(4, rt: 0, crn: 5, crm: 2, 0),     // HSR
            Asm.mrc(4, rt: 0, crn: 12, crm: 0, 0),    // HVBAR
            Asm.mrc(4, rt: 0, crn: 0, crm: 0, 0),     // VPIDR
            Asm.mrc(4, rt: 0, crn: 14, crm: 1, 0),    // CNTHCTL
            Asm.mcr(4, rt: 0, crn: 8, crm: 7, 0),     // TLBIALLH
            Asm.mcr(4, rt: 0, crn: 8, crm: 3, 4),     // TLBIALLNSNHIS
            Asm.mcr(4, rt: 0, crn: 7, crm: 8, 0),     // ATS1HR
            Asm.mcr(0, rt: 0, crn: 7, crm: 8, 4),     // ATS12NSOPR
            Asm.mrrc(6, rt: 0, rt2: 1, crm: 2),       // VTTBR
            Asm.mcrr(4, rt: 0, rt2: 1, crm: 14),      // CNTVOFF
            Asm.mrrc(4, rt: 0, rt2: 1, crm: 2),       // HTTBR
        ]
        let h = CP15Harness()
        for word in pl2Only {
            XCTAssertEqual(h.exception(of: word, mode: .supervisor), .undefined,
                           "PL1 access \(String(word, radix: 16)) must be UNDEFINED")
            XCTAssertNil(h.exception(of: word, mode: .hyp), "Hyp access \(String(word, radix: 16)) must work")
        }
        // Read-only and write-only directions.
        XCTAssertEqual(h.exception(of: Asm.mcr(0, rt: 0, crn: 0, crm: 0, 0)), .undefined)   // MIDR write
        XCTAssertEqual(h.exception(of: Asm.mrc(0, rt: 0, crn: 8, crm: 7, 0)), .undefined)   // TLBIALL read
        XCTAssertEqual(h.exception(of: Asm.mcr(14, 6, rt: 0, crn: 1, crm: 0, 0)), .undefined)  // TEEHBR
        XCTAssertEqual(h.exception(of: Asm.mrc(14, 1, rt: 0, crn: 0, crm: 0, 0)), .undefined)  // CP14 trace
    }

    func testMIDRAndMPIDRReadVirtualisedValuesBelowHyp() {
        let h = CP15Harness()
        h.core.sys.vpidr = 0x1234_5678
        h.core.sys.vmpidr = 0x8000_0103
        let code = [Asm.mrc(0, rt: 0, crn: 0, crm: 0, 0), Asm.mrc(0, rt: 1, crn: 0, crm: 0, 5),
                    Asm.mrc(0, rt: 2, crn: 0, crm: 0, 4)]
        h.run(code, mode: .supervisor)
        XCTAssertEqual(h.core.r[0], 0x1234_5678)
        XCTAssertEqual(h.core.r[1], 0x8000_0103)
        XCTAssertEqual(h.core.r[2], 0x1234_5678)   // the MIDR alias encoding too
        h.run(code, mode: .hyp)
        XCTAssertEqual(h.core.r[0], CortexA15ID.midr)
        XCTAssertEqual(h.core.r[0], 0x414F_C0F0)
        XCTAssertEqual(h.core.r[1], h.core.mpidr)
    }

    func testCCSIDRIsSelectedByCSSELR() {
        let h = CP15Harness()
        var got: [UInt32] = []
        for sel: UInt32 in [0, 1, 2] {
            h.core.r[1] = sel
            h.run([Asm.mcr(2, rt: 1, crn: 0, crm: 0, 0), Asm.mrc(1, rt: 0, crn: 0, crm: 0, 0),
                   Asm.mrc(2, rt: 2, crn: 0, crm: 0, 0)])
            got.append(h.core.r[0])
            XCTAssertEqual(h.core.r[2], sel)
        }
        XCTAssertEqual(got, [0x701F_E00A, 0x201F_E00A, 0x70FF_E07A])
        h.core.r[1] = 0xFFFF_FFF2
        h.run([Asm.mcr(2, rt: 1, crn: 0, crm: 0, 0)])
        XCTAssertEqual(h.core.sys.csselr, 2)
    }

    func testTTBR64BitRoundTripAnd32BitLowWord() {
        let h = CP15Harness()
        h.core.r[2] = 0x8765_4000
        h.core.r[3] = 0xFF2A_1234   // bits 63:56 and 47:40 are not stored
        h.core.r[6] = 0x1111_2000
        h.run([Asm.mcrr(0, rt: 2, rt2: 3, crm: 2), Asm.mrrc(0, rt: 4, rt2: 5, crm: 2),
               Asm.mrc(0, rt: 7, crn: 2, crm: 0, 0), Asm.mcrr(1, rt: 2, rt2: 3, crm: 2),
               Asm.mcr(0, rt: 6, crn: 2, crm: 0, 1), Asm.mrrc(1, rt: 8, rt2: 9, crm: 2)])
        XCTAssertEqual(h.exceptions, [])
        XCTAssertEqual(h.core.sys.ttbr0, 0x002A_0034_8765_4000)
        XCTAssertEqual(h.core.r[4], 0x8765_4000)
        XCTAssertEqual(h.core.r[5], 0x002A_0034)
        XCTAssertEqual(h.core.r[7], 0x8765_4000)
        XCTAssertEqual(h.core.r[8], 0x1111_2000)   // 32-bit write replaced the low word only
        XCTAssertEqual(h.core.r[9], 0x002A_0034)
    }

    func testSCTLRFixedBitsAndPAR() {
        let h = CP15Harness()
        h.core.r[0] = 0
        h.core.r[1] = 0xFFFF_FFFF
        h.run([Asm.mcr(0, rt: 0, crn: 1, crm: 0, 0), Asm.mrc(0, rt: 2, crn: 1, crm: 0, 0)])
        XCTAssertEqual(h.core.r[2], 0x00C5_0058)
        // Writing all ones turns the MMU on: give the code an identity section
        // (AP[0] = 1 for SCTLR.AFE) in a manager domain so fetches keep working.
        h.poke(0x4004_0000 + (CP15Harness.codeBase >> 20) * 4, CP15Harness.codeBase | 1 << 10 | 2)
        h.core.sys.ttbr0 = 0x4004_0000
        h.core.sys.dacr = 3
        h.run([Asm.mcr(0, rt: 1, crn: 1, crm: 0, 0), Asm.mrc(0, rt: 2, crn: 1, crm: 0, 0)])
        XCTAssertEqual(h.core.r[2], 0x72DD_3C7F)
        h.run([Asm.mcr(0, rt: 1, crn: 12, crm: 0, 0), Asm.mrc(0, rt: 3, crn: 12, crm: 0, 0),  // VBAR
               Asm.mcr(0, rt: 1, crn: 13, crm: 0, 0), Asm.mrc(0, rt: 4, crn: 13, crm: 0, 0)]) // FCSEIDR
        XCTAssertEqual(h.core.r[3], 0xFFFF_FFE0)
        XCTAssertEqual(h.core.r[4], 0)
        h.run([Asm.mcr(0, rt: 1, crn: 1, crm: 0, 2), Asm.mrc(0, rt: 5, crn: 1, crm: 0, 2)])   // CPACR
        XCTAssertEqual(h.core.r[5], 0x80F0_0000)
    }

    func testL2CTLRReportsClusterSize() {
        let h = CP15Harness()
        h.core.clusterCoreCount = 4
        h.run([Asm.mrc(1, rt: 0, crn: 9, crm: 0, 2), Asm.mrc(4, rt: 1, crn: 15, crm: 0, 0)])
        XCTAssertEqual(h.exceptions, [])
        XCTAssertEqual(h.core.r[0] >> 24 & 3, 3)
        XCTAssertEqual(h.core.r[1], 0)   // CBAR
    }

    // MARK: Hyp traps

    /// One trap control, the instruction it traps, and the syndrome.
    struct TrapCase {
        let name: String
        let configure: (inout SystemRegisters) -> Void
        let code: [UInt32]
        let hsr: UInt32
        /// What the code does when the control is clear (nil: no exception).
        var untrapped: ExceptionKind? = nil
    }

    func testEachTrapControlProducesTheRightSyndrome() {
        let cases: [TrapCase] = [
            TrapCase(name: "TID1 REVIDR", configure: { $0.hcr = HCR.tid1 },
                     code: [Asm.mrc(0, rt: 3, crn: 0, crm: 0, 6)],
                     hsr: expectedHSR32(opc1: 0, crn: 0, crm: 0, opc2: 6, rt: 3, read: true)),
            TrapCase(name: "TID1 AIDR", configure: { $0.hcr = HCR.tid1 },
                     code: [Asm.mrc(1, rt: 4, crn: 0, crm: 0, 7)],
                     hsr: expectedHSR32(opc1: 1, crn: 0, crm: 0, opc2: 7, rt: 4, read: true)),
            TrapCase(name: "TID2 CTR", configure: { $0.hcr = HCR.tid2 },
                     code: [Asm.mrc(0, rt: 1, crn: 0, crm: 0, 1)],
                     hsr: expectedHSR32(opc1: 0, crn: 0, crm: 0, opc2: 1, rt: 1, read: true)),
            TrapCase(name: "TID2 CSSELR write", configure: { $0.hcr = HCR.tid2 },
                     code: [Asm.mcr(2, rt: 5, crn: 0, crm: 0, 0)],
                     hsr: expectedHSR32(opc1: 2, crn: 0, crm: 0, opc2: 0, rt: 5, read: false)),
            TrapCase(name: "TID3 ID_PFR0", configure: { $0.hcr = HCR.tid3 },
                     code: [Asm.mrc(0, rt: 2, crn: 0, crm: 1, 0)],
                     hsr: expectedHSR32(opc1: 0, crn: 0, crm: 1, opc2: 0, rt: 2, read: true)),
            TrapCase(name: "TID3 ID_ISAR5", configure: { $0.hcr = HCR.tid3 },
                     code: [Asm.mrc(0, rt: 2, crn: 0, crm: 2, 5)],
                     hsr: expectedHSR32(opc1: 0, crn: 0, crm: 2, opc2: 5, rt: 2, read: true)),
            TrapCase(name: "TVM SCTLR write", configure: { $0.hcr = HCR.tvm },
                     code: [Asm.mcr(0, rt: 6, crn: 1, crm: 0, 0)],
                     hsr: expectedHSR32(opc1: 0, crn: 1, crm: 0, opc2: 0, rt: 6, read: false)),
            TrapCase(name: "TVM CONTEXTIDR write", configure: { $0.hcr = HCR.tvm },
                     code: [Asm.mcr(0, rt: 7, crn: 13, crm: 0, 1)],
                     hsr: expectedHSR32(opc1: 0, crn: 13, crm: 0, opc2: 1, rt: 7, read: false)),
            TrapCase(name: "TVM TTBR1 MCRR", configure: { $0.hcr = HCR.tvm },
                     code: [Asm.mcrr(1, rt: 2, rt2: 3, crm: 2)],
                     hsr: expectedHSR64(opc1: 1, crm: 2, rt: 2, rt2: 3, read: false)),
            TrapCase(name: "TAC ACTLR", configure: { $0.hcr = HCR.tac },
                     code: [Asm.mrc(0, rt: 0, crn: 1, crm: 0, 1)],
                     hsr: expectedHSR32(opc1: 0, crn: 1, crm: 0, opc2: 1, rt: 0, read: true)),
            TrapCase(name: "TSW DCISW", configure: { $0.hcr = HCR.tsw },
                     code: [Asm.mcr(0, rt: 0, crn: 7, crm: 6, 2)],
                     hsr: expectedHSR32(opc1: 0, crn: 7, crm: 6, opc2: 2, rt: 0, read: false)),
            TrapCase(name: "TSW DCCISW", configure: { $0.hcr = HCR.tsw },
                     code: [Asm.mcr(0, rt: 9, crn: 7, crm: 14, 2)],
                     hsr: expectedHSR32(opc1: 0, crn: 7, crm: 14, opc2: 2, rt: 9, read: false)),
            TrapCase(name: "TPC DCCMVAC", configure: { $0.hcr = HCR.tpc },
                     code: [Asm.mcr(0, rt: 1, crn: 7, crm: 10, 1)],
                     hsr: expectedHSR32(opc1: 0, crn: 7, crm: 10, opc2: 1, rt: 1, read: false)),
            TrapCase(name: "TPU ICIALLU", configure: { $0.hcr = HCR.tpu },
                     code: [Asm.mcr(0, rt: 0, crn: 7, crm: 5, 0)],
                     hsr: expectedHSR32(opc1: 0, crn: 7, crm: 5, opc2: 0, rt: 0, read: false)),
            TrapCase(name: "TPU DCCMVAU", configure: { $0.hcr = HCR.tpu },
                     code: [Asm.mcr(0, rt: 2, crn: 7, crm: 11, 1)],
                     hsr: expectedHSR32(opc1: 0, crn: 7, crm: 11, opc2: 1, rt: 2, read: false)),
            TrapCase(name: "TTLB TLBIMVAAIS", configure: { $0.hcr = HCR.ttlb },
                     code: [Asm.mcr(0, rt: 4, crn: 8, crm: 3, 3)],
                     hsr: expectedHSR32(opc1: 0, crn: 8, crm: 3, opc2: 3, rt: 4, read: false)),
            TrapCase(name: "TIDCP L2CTLR", configure: { $0.hcr = HCR.tidcp },
                     code: [Asm.mrc(1, rt: 0, crn: 9, crm: 0, 2)],
                     hsr: expectedHSR32(opc1: 1, crn: 9, crm: 0, opc2: 2, rt: 0, read: true)),
            TrapCase(name: "TIDCP unallocated c11", configure: { $0.hcr = HCR.tidcp },
                     code: [Asm.mcr(3, rt: 1, crn: 11, crm: 15, 6)],
                     hsr: expectedHSR32(opc1: 3, crn: 11, crm: 15, opc2: 6, rt: 1, read: false), untrapped: .undefined),
            TrapCase(name: "HSTR.T15 unallocated", configure: { $0.hstr = 1 << 15 },
                     code: [Asm.mrc(0, rt: 8, crn: 15, crm: 0, 0)],
                     hsr: expectedHSR32(opc1: 0, crn: 15, crm: 0, opc2: 0, rt: 8, read: true), untrapped: .undefined),
            TrapCase(name: "HSTR.T1 HCR from PL1", configure: { $0.hstr = 1 << 1 },
                     code: [Asm.mrc(4, rt: 0, crn: 1, crm: 1, 0)],
                     hsr: expectedHSR32(opc1: 4, crn: 1, crm: 1, opc2: 0, rt: 0, read: true), untrapped: .undefined),
            TrapCase(name: "HSTR.T2 TTBR0 MRRC", configure: { $0.hstr = 1 << 2 },
                     code: [Asm.mrrc(0, rt: 10, rt2: 11, crm: 2)],
                     hsr: expectedHSR64(opc1: 0, crm: 2, rt: 10, rt2: 11, read: true)),
            TrapCase(name: "HSTR.T13 TPIDRPRW", configure: { $0.hstr = 1 << 13 },
                     code: [Asm.mcr(0, rt: 3, crn: 13, crm: 0, 4)],
                     hsr: expectedHSR32(opc1: 0, crn: 13, crm: 0, opc2: 4, rt: 3, read: false)),
            TrapCase(name: "HDCR.TPM PMCCNTR", configure: { $0.hdcr = HDCR.tpm | 6 },
                     code: [Asm.mrc(0, rt: 0, crn: 9, crm: 13, 0)],
                     hsr: expectedHSR32(opc1: 0, crn: 9, crm: 13, opc2: 0, rt: 0, read: true)),
            TrapCase(name: "HDCR.TPMCR PMCR", configure: { $0.hdcr = HDCR.tpmcr | 6 },
                     code: [Asm.mcr(0, rt: 1, crn: 9, crm: 12, 0)],
                     hsr: expectedHSR32(opc1: 0, crn: 9, crm: 12, opc2: 0, rt: 1, read: false)),
            TrapCase(name: "HCPTR.TCPAC CPACR", configure: { $0.hcptr |= 1 << 31 },
                     code: [Asm.mrc(0, rt: 0, crn: 1, crm: 0, 2)],
                     hsr: expectedHSR32(opc1: 0, crn: 1, crm: 0, opc2: 2, rt: 0, read: true)),
            TrapCase(name: "CNTHCTL.PL1PCTEN CNTPCT", configure: { $0.cnthctl = 2 },
                     code: [Asm.mrrc(0, rt: 0, rt2: 1, crm: 14)],
                     hsr: expectedHSR64(opc1: 0, crm: 14, rt: 0, rt2: 1, read: true)),
            TrapCase(name: "CNTHCTL.PL1PCEN CNTP_CTL", configure: { $0.cnthctl = 1 },
                     code: [Asm.mrc(0, rt: 2, crn: 14, crm: 2, 1)],
                     hsr: expectedHSR32(opc1: 0, crn: 14, crm: 2, opc2: 1, rt: 2, read: true)),
            TrapCase(name: "CNTHCTL.PL1PCEN CNTP_CVAL", configure: { $0.cnthctl = 1 },
                     code: [Asm.mcrr(2, rt: 2, rt2: 3, crm: 14)],
                     hsr: expectedHSR64(opc1: 2, crm: 14, rt: 2, rt2: 3, read: false)),
            TrapCase(name: "HDCR.TDA DBGDSCRint", configure: { $0.hdcr = HDCR.tda | 6 },
                     code: [Asm.mrc(14, 0, rt: 1, crn: 0, crm: 1, 0)],
                     hsr: expectedHSR32(ec: 0x05, opc1: 0, crn: 0, crm: 1, opc2: 0, rt: 1, read: true)),
            TrapCase(name: "HDCR.TDA DBGBVR3", configure: { $0.hdcr = HDCR.tda | 6 },
                     code: [Asm.mcr(14, 0, rt: 2, crn: 0, crm: 3, 4)],
                     hsr: expectedHSR32(ec: 0x05, opc1: 0, crn: 0, crm: 3, opc2: 4, rt: 2, read: false)),
            TrapCase(name: "HDCR.TDRA DBGDRAR MRRC", configure: { $0.hdcr = HDCR.tdra | 6 },
                     code: [Asm.mrrc(14, 0, rt: 4, rt2: 5, crm: 1)],
                     hsr: expectedHSR64(ec: 0x0C, opc1: 0, crm: 1, rt: 4, rt2: 5, read: true)),
            TrapCase(name: "HDCR.TDOSA DBGOSLAR", configure: { $0.hdcr = HDCR.tdosa | 6 },
                     code: [Asm.mcr(14, 0, rt: 0, crn: 1, crm: 0, 4)],
                     hsr: expectedHSR32(ec: 0x05, opc1: 0, crn: 1, crm: 0, opc2: 4, rt: 0, read: false)),
            TrapCase(name: "HDCR.TDE DBGOSLSR", configure: { $0.hdcr = HDCR.tde | 6 },
                     code: [Asm.mrc(14, 0, rt: 0, crn: 1, crm: 1, 4)],
                     hsr: expectedHSR32(ec: 0x05, opc1: 0, crn: 1, crm: 1, opc2: 4, rt: 0, read: true)),
            TrapCase(name: "TID0 JIDR", configure: { $0.hcr = HCR.tid0 },
                     code: [Asm.mrc(14, 7, rt: 3, crn: 0, crm: 0, 0)],
                     hsr: expectedHSR32(ec: 0x05, opc1: 7, crn: 0, crm: 0, opc2: 0, rt: 3, read: true)),
            TrapCase(name: "TID1 conditional REVIDR", configure: { $0.hcr = HCR.tid1 },
                     code: [Asm.cmpR0R0, Asm.mrc(0, rt: 3, crn: 0, crm: 0, 6, cond: 0x0)],
                     hsr: expectedHSR32(cond: 0x0, opc1: 0, crn: 0, crm: 0, opc2: 6, rt: 3, read: true)),
        ]
        for c in cases {
            // Without the control the instruction does not trap.
            let free = CP15Harness()
            free.core.sys.debug.osLock = false
            XCTAssertNil(free.hypTrapSyndrome(c.code), "\(c.name): trapped with no trap configured")
            XCTAssertEqual(free.exceptions.first, c.untrapped, "\(c.name): wrong outcome with no trap configured")

            let h = CP15Harness()
            c.configure(&h.core.sys)
            guard let hsr = h.hypTrapSyndrome(c.code) else {
                XCTFail("\(c.name): no Hyp trap (exceptions: \(h.exceptions))")
                continue
            }
            XCTAssertEqual(String(hsr, radix: 16), String(c.hsr, radix: 16), c.name)
            XCTAssertEqual(h.core.elrHyp, CP15Harness.codeBase + UInt32(4 * (c.code.count - 1)),
                           "\(c.name): ELR_hyp is the trapped instruction")
        }
    }

    func testTrapControlsDoNotApplyToOtherDirectionsOrRegisters() {
        let h = CP15Harness()
        h.core.sys.hcr = HCR.tvm | HCR.tid1
        h.core.sys.hdcr = HDCR.tpmcr | 6
        // TVM traps writes only; TID1 does not cover MIDR/ID_PFR0; TPMCR not PMSELR.
        XCTAssertNil(h.hypTrapSyndrome([Asm.mrc(0, rt: 0, crn: 1, crm: 0, 0), Asm.mrc(0, rt: 0, crn: 0, crm: 0, 0),
                                        Asm.mrc(0, rt: 0, crn: 0, crm: 1, 0), Asm.mcr(0, rt: 0, crn: 9, crm: 12, 5)]))
        XCTAssertEqual(h.exceptions, [])
        // Hyp mode is never trapped.
        let hyp = CP15Harness()
        hyp.core.sys.hstr = 0xBFEF
        hyp.core.sys.hcr = HCR.tid1 | HCR.tvm
        hyp.run([Asm.mrc(0, rt: 0, crn: 0, crm: 0, 6), Asm.mcr(0, rt: 0, crn: 13, crm: 0, 1)], mode: .hyp)
        XCTAssertEqual(hyp.exceptions, [])
    }

    func testUndefinedAtPL0TakesPriorityOverHypTraps() {
        let h = CP15Harness()
        h.core.sys.hcr = HCR.tid1
        h.core.sys.hstr = 1 << 0
        XCTAssertEqual(h.exception(of: Asm.mrc(0, rt: 0, crn: 0, crm: 0, 6), mode: .user), .undefined)
        // A register that PL0 may access is trapped by HSTR.
        let u = CP15Harness()
        u.core.sys.hstr = 1 << 13
        XCTAssertEqual(u.hypTrapSyndrome([Asm.mrc(0, rt: 1, crn: 13, crm: 0, 2)], mode: .user),
                       expectedHSR32(opc1: 0, crn: 13, crm: 0, opc2: 2, rt: 1, read: true))
        // TID0: JIDR from PL0 is UNDEFINED rather than trapped.
        let j = CP15Harness()
        j.core.sys.hcr = HCR.tid0
        XCTAssertEqual(j.exception(of: Asm.mrc(14, 7, rt: 0, crn: 0, crm: 0, 0), mode: .user), .undefined)
        j.core.sys.hcr = 0
        XCTAssertNil(j.exception(of: Asm.mrc(14, 7, rt: 0, crn: 0, crm: 0, 0), mode: .user))
    }

    // MARK: Maintenance operations

    func testATSReachesTheMMUAndWritesPAR() {
        let h = CP15Harness()
        h.core.sys.par = 0xFFFF_FFFF
        h.core.r[0] = 0x4000_1234
        h.run([Asm.mcr(0, rt: 0, crn: 7, crm: 8, 0), Asm.mrc(0, rt: 1, crn: 7, crm: 4, 0),
               Asm.mrrc(0, rt: 2, rt2: 3, crm: 7)])
        XCTAssertEqual(h.exceptions, [])
        XCTAssertEqual(h.core.r[1] & 1, 0, "PAR.F")
        XCTAssertEqual(h.core.r[1] & 0xFFFF_F000, 0x4000_1000)
        XCTAssertEqual(h.core.r[2], h.core.r[1])
        XCTAssertEqual(h.core.r[3], 0)
        // From PL0 ATS is UNDEFINED.
        XCTAssertEqual(h.exception(of: Asm.mcr(0, rt: 0, crn: 7, crm: 8, 2), mode: .user), .undefined)
    }

    func testTLBAndCacheMaintenanceAndBarriersExecute() {
        let h = CP15Harness()
        h.run([Asm.mcr(0, rt: 0, crn: 8, crm: 7, 0), Asm.mcr(0, rt: 0, crn: 8, crm: 7, 1),
               Asm.mcr(0, rt: 0, crn: 8, crm: 3, 3), Asm.mcr(0, rt: 0, crn: 8, crm: 6, 2),
               Asm.mcr(0, rt: 0, crn: 7, crm: 1, 6), Asm.mcr(0, rt: 0, crn: 7, crm: 6, 1),
               Asm.mcr(0, rt: 0, crn: 7, crm: 14, 2), Asm.mcr(0, rt: 0, crn: 7, crm: 11, 1)])
        XCTAssertEqual(h.exceptions, [])
        XCTAssertEqual(h.core.pc, CP15Harness.codeBase + 32)
        // Barriers are allowed at PL0, unless SCTLR.CP15BEN is clear.
        h.run([Asm.mcr(0, rt: 0, crn: 7, crm: 5, 4), Asm.mcr(0, rt: 0, crn: 7, crm: 10, 4),
               Asm.mcr(0, rt: 0, crn: 7, crm: 10, 5)], mode: .user)
        XCTAssertEqual(h.exceptions, [])
        h.core.sys.sctlr &= ~0x20
        XCTAssertEqual(h.exception(of: Asm.mcr(0, rt: 0, crn: 7, crm: 10, 5), mode: .user), .undefined)
        XCTAssertEqual(h.exception(of: Asm.mcr(0, rt: 0, crn: 7, crm: 10, 4), mode: .supervisor), .undefined)
    }

    func testTLBInvalidationDropsCachedTranslations() {
        for op in [Asm.mcr(0, rt: 1, crn: 8, crm: 7, 1),    // TLBIMVA
                   Asm.mcr(0, rt: 1, crn: 8, crm: 3, 3),    // TLBIMVAAIS
                   Asm.mcr(0, rt: 1, crn: 8, crm: 7, 0)] {  // TLBIALL
            let h = CP15Harness()
            h.core.r[1] = 0x4000_5000
            h.core.r[2] = 0x42
            h.run([0xE581_2000])   // str r2, [r1]: fills the software TLB
            let entry = h.core.softTLB.current + Int((0x4000_5000 >> 12) & 0xFF)
            XCTAssertEqual(entry.pointee.writeTag, 0x4000_5000)
            h.run([op])
            XCTAssertEqual(h.exceptions, [])
            XCTAssertNotEqual(entry.pointee.writeTag, 0x4000_5000, "\(String(op, radix: 16)) kept the translation")
        }
    }

    func testInstructionCacheInvalidationDropsCachedDecodes() {
        for icacheOp in [Asm.mcr(0, rt: 5, crn: 7, crm: 5, 0),   // ICIALLU
                         Asm.mcr(0, rt: 5, crn: 7, crm: 1, 0),   // ICIALLUIS
                         Asm.mcr(0, rt: 5, crn: 7, crm: 5, 1)] { // ICIMVAU (r5 = the code's VA)
            let h = CP15Harness()
            h.run([Asm.movImm(0, 1)])
            XCTAssertEqual(h.core.r[0], 1)
            // Change the instruction behind the decode cache's back.
            h.poke(CP15Harness.codeBase, Asm.movImm(0, 2))
            let other = CP15Harness.codeBase + 0x2000
            h.core.r[5] = CP15Harness.codeBase
            h.run([icacheOp, Asm.b(from: other + 4, to: CP15Harness.codeBase)], at: other, budget: 3)
            XCTAssertEqual(h.core.r[0], 2, "stale decode survived \(String(icacheOp, radix: 16))")
        }
        // Control: without the invalidation the stale decode is still used,
        // so the test above really depends on the operation.
        let h = CP15Harness()
        h.run([Asm.movImm(0, 1)])
        h.poke(CP15Harness.codeBase, Asm.movImm(0, 2))
        let other = CP15Harness.codeBase + 0x2000
        h.run([Asm.mcr(0, rt: 5, crn: 7, crm: 5, 6), Asm.b(from: other + 4, to: CP15Harness.codeBase)],
              at: other, budget: 3)
        XCTAssertEqual(h.core.r[0], 1)
    }

    func testTranslationRegisterWritesSwitchRegimesAndMaintenanceEmptiesThemAll() {
        let h = CP15Harness()
        // Prime the soft TLB with a data access, then write CONTEXTIDR.
        h.core.r[1] = 0x4000_4000
        h.core.r[2] = 0x42
        h.run([0xE581_2000])   // str r2, [r1]
        func cachedWriteTag() -> UInt32 {
            (h.core.softTLB.current + Int((0x4000_4000 >> 12) & 0xFF)).pointee.writeTag
        }
        XCTAssertEqual(cachedWriteTag(), 0x4000_4000)
        let asid = h.core.sys.contextidr
        h.core.r[3] = asid
        h.run([Asm.mcr(0, rt: 3, crn: 13, crm: 0, 1)])
        XCTAssertEqual(cachedWriteTag(), 0x4000_4000, "same value: the same regime, entries kept")
        h.core.r[3] = 5
        h.run([Asm.mcr(0, rt: 3, crn: 13, crm: 0, 1)])
        XCTAssertNotEqual(cachedWriteTag(), 0x4000_4000, "new ASID: another regime, nothing cached for it")
        // Back to the first ASID with no TLB maintenance in between: its
        // entries may still be used (a TLB tags them with the ASID).
        h.core.r[3] = asid
        h.run([Asm.mcr(0, rt: 3, crn: 13, crm: 0, 1)])
        XCTAssertEqual(cachedWriteTag(), 0x4000_4000, "the first regime's entries are current again")
        // TLBIALL empties every regime's entries.
        h.core.r[3] = 5
        h.run([Asm.mcr(0, rt: 0, crn: 8, crm: 7, 0), Asm.mcr(0, rt: 3, crn: 13, crm: 0, 1)])
        h.core.r[3] = asid
        h.run([Asm.mcr(0, rt: 3, crn: 13, crm: 0, 1)])
        XCTAssertNotEqual(cachedWriteTag(), 0x4000_4000, "TLBIALL dropped the first regime's entries too")
    }

    // MARK: PMU and debug

    func testPMUReportsSixCountersAndIsGatedAtPL0() {
        let h = CP15Harness()
        h.core.r[1] = 3
        h.core.r[2] = 0x1234
        h.run([Asm.mrc(0, rt: 0, crn: 9, crm: 12, 0), Asm.mcr(0, rt: 1, crn: 9, crm: 12, 5),
               Asm.mcr(0, rt: 2, crn: 9, crm: 13, 2), Asm.mrc(0, rt: 3, crn: 9, crm: 13, 2)])
        XCTAssertEqual(h.core.r[0], 0x410F_3000)
        XCTAssertEqual(h.core.r[3], 0x1234)
        XCTAssertEqual(h.core.sys.pmu.eventCount[3], 0x1234)
        XCTAssertEqual(h.exception(of: Asm.mrc(0, rt: 0, crn: 9, crm: 12, 0), mode: .user), .undefined)
        h.core.sys.pmu.userEnable = 1
        XCTAssertNil(h.exception(of: Asm.mrc(0, rt: 0, crn: 9, crm: 12, 0), mode: .user))
        XCTAssertEqual(h.exception(of: Asm.mrc(0, rt: 0, crn: 9, crm: 14, 1), mode: .user), .undefined)
    }

    func testDebugRegistersLinuxUses() {
        let h = CP15Harness()
        h.core.r[1] = 0x8000_1004
        h.core.r[2] = 0
        h.run([Asm.mrc(14, 0, rt: 0, crn: 0, crm: 0, 0),      // DBGDIDR
               Asm.mrc(14, 0, rt: 3, crn: 1, crm: 1, 4),      // DBGOSLSR (locked at reset)
               Asm.mcr(14, 0, rt: 2, crn: 1, crm: 0, 4),      // DBGOSLAR = 0: unlock
               Asm.mrc(14, 0, rt: 4, crn: 1, crm: 1, 4),      // DBGOSLSR
               Asm.mcr(14, 0, rt: 1, crn: 0, crm: 5, 4),      // DBGBVR5
               Asm.mrc(14, 0, rt: 5, crn: 0, crm: 5, 4),
               Asm.mrrc(14, 0, rt: 6, rt2: 7, crm: 1),        // DBGDRAR
               Asm.mrc(14, 0, rt: 8, crn: 0, crm: 1, 0)])     // DBGDSCRint
        XCTAssertEqual(h.exceptions, [])
        XCTAssertEqual(h.core.r[0], 0x3515_F005)
        XCTAssertEqual(h.core.r[3] & 2, 2)
        XCTAssertEqual(h.core.r[4] & 2, 0)
        XCTAssertEqual(h.core.r[5], 0x8000_1004)
        XCTAssertEqual(h.core.r[6] & 3, 0)
        XCTAssertEqual(h.core.r[8] & (1 << 15), 0)
        XCTAssertEqual(h.exception(of: Asm.mrc(14, 0, rt: 0, crn: 0, crm: 6, 4)), .undefined)   // BVR6
        XCTAssertEqual(h.exception(of: Asm.mrc(14, 6, rt: 0, crn: 0, crm: 0, 0)), .undefined)   // TEECR
    }
}
