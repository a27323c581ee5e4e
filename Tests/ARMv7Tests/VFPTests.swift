import XCTest
@testable import ARMv7

/// VFP system registers, the enable/trap rules (CPACR, HCPTR, FPEXC.EN,
/// HCR.TID0, CPACR.D32DIS), loads/stores and transfers (ARM ARM B1.11.x,
/// B4.1.x, A7). Arithmetic is checked against QEMU in VFPOracleTests and
/// VFPDifferentialTests.
final class VFPTests: XCTestCase {
    let base = TestMachine.ramBase

    /// A machine at PL1 (SVC) with VFP fully enabled, code at +0x100,
    /// vectors at the RAM base and the Hyp vectors at +0x200.
    func machine(_ words: [UInt32], enabled: Bool = true) -> TestMachine {
        let t = TestMachine(words, at: 0x100)
        t.core.sys.vbar = base
        t.core.sys.hvbar = base + 0x200
        if enabled {
            t.core.sys.cpacr = 0x00F0_0000
            t.core.fpexc = FPEXCBit.en
        }
        return t
    }

    func enterUser(_ t: TestMachine) {
        t.core.writeCPSR(0x10, mask: 0xFFFF_FFFF, exceptionReturn: true)
        t.core.branch(to: base + 0x100, thumb: false)
    }

    // MARK: Identification and system registers

    func testIDRegistersReportVFPv4D32WithAdvancedSIMD() {
        // vmrs r0, fpsid ; vmrs r1, mvfr0 ; vmrs r2, mvfr1 ; vmrs r3, fpexc
        let t = machine([0xEEF0_0A10, 0xEEF7_1A10, 0xEEF6_2A10, 0xEEF8_3A10])
        t.core.fpexc = 0          // the ID registers and FPEXC stay readable with EN = 0
        t.run(4)
        XCTAssertTrue(t.events.isEmpty)
        XCTAssertEqual(t.core.register(0), 0x4104_30F0, "FPSID: ARM, VFPv3+ common subarchitecture, part 0x30, variant F")
        XCTAssertEqual(t.core.register(1), 0x1011_0222, "MVFR0: D32, SP+DP v3, divide, sqrt, no short vectors, all roundings")
        let mvfr1 = t.core.register(2)
        XCTAssertEqual(mvfr1, 0x1111_1111, "Cortex-A15 TRM: Advanced SIMD load/store, integer, SP and HP")
        XCTAssertEqual(mvfr1 & 0x000F_FF00, 0x0001_1100, "the fields Linux tests for HWCAP_NEON")
        XCTAssertEqual(mvfr1 >> 28, 1, "fused multiply-add")
        XCTAssertEqual((mvfr1 >> 24) & 0xF, 1, "VFP half-precision conversion")
        XCTAssertEqual(mvfr1 & 0xFF, 0x11, "default NaN and flush-to-zero modes")
        XCTAssertEqual(t.core.register(3), 0)
    }

    func testFPEXCAndFPSCRWriteMasks() {
        // mvn r0, #0 ; vmsr fpexc, r0 ; vmrs r1, fpexc ; vmsr fpscr, r0 ; vmrs r2, fpscr ; vmsr fpsid, r0
        let t = machine([0xE3E0_0000, 0xEEE8_0A10, 0xEEF8_1A10, 0xEEE1_0A10, 0xEEF1_2A10, 0xEEE0_0A10], enabled: false)
        t.core.sys.cpacr = 0x00F0_0000
        t.run(6)
        XCTAssertTrue(t.events.isEmpty, "\(t.events)")
        XCTAssertEqual(t.core.register(1), 0x6000_0000, "EX is RAZ/WI; EN and DEX are writable")
        XCTAssertEqual(t.core.register(2), 0xFFF7_009F, "trap enables RAZ/WI (value from qemu-arm)")
        XCTAssertEqual(t.core.fpscr, 0xFFF7_009F)
    }

    // MARK: Enable checks

    func testFPEXCDisabledMakesEverythingButSystemRegistersUndefined() {
        // vadd.f64 d0, d1, d2
        let t = machine([0xEE31_0B02])
        t.core.fpexc = 0
        t.run(1)
        XCTAssertEqual(t.events.first?.kind, .undefined)
        XCTAssertEqual(t.core.mode, .undefined)
        // vmrs r0, fpscr also needs EN
        let t2 = machine([0xEEF1_0A10])
        t2.core.fpexc = 0
        t2.run(1)
        XCTAssertEqual(t2.events.first?.kind, .undefined)
        // vldmia r0, {d15-d16}
        let t3 = machine([0xEC90_FB04])
        t3.core.fpexc = 0
        t3.run(1)
        XCTAssertEqual(t3.events.first?.kind, .undefined)
    }

    func testLazySwitchSequence() {
        // The kernel's lazy switch: vmrs r0, fpexc ; orr r0, r0, #0x40000000 ; vmsr fpexc, r0 ; vadd.f64 d0, d1, d2
        let t = machine([0xEEF8_0A10, 0xE380_0101, 0xEEE8_0A10, 0xEE31_0B02])
        t.core.fpexc = 0
        t.core.setVFPDouble(1, 0x3FF0_0000_0000_0000)
        t.core.setVFPDouble(2, 0x4000_0000_0000_0000)
        t.run(4)
        XCTAssertTrue(t.events.isEmpty, "\(t.events)")
        XCTAssertEqual(t.core.fpexc, FPEXCBit.en)
        XCTAssertEqual(t.core.vfpDouble(0), 0x4008_0000_0000_0000)
    }

    func testCPACRNoAccessIsUndefinedEvenForFPEXC() {
        for word: UInt32 in [0xEE31_0B02, 0xEEF8_0A10, 0xEEF0_0A10] {
            let t = machine([word])
            t.core.sys.cpacr = 0
            t.run(1)
            XCTAssertEqual(t.events.first?.kind, .undefined, hex(word))
        }
        // cp10 enabled but cp11 not: a double-precision op (coprocessor 11) is UNDEFINED.
        let t = machine([0xEE31_0B02, 0xEE30_0A81])
        t.core.sys.cpacr = 0x0030_0000
        t.run(1)
        XCTAssertEqual(t.events.first?.kind, .undefined)
    }

    func testCPACRPrivilegedOnlyAndFullAccessAtPL0() {
        // vadd.f32 s0, s1, s2 in User mode with cp10/cp11 = 01 (PL1 only): UNDEFINED
        let t = machine([0xEE30_0A81])
        t.core.sys.cpacr = 0x0050_0000
        enterUser(t)
        t.run(1)
        XCTAssertEqual(t.events.first?.kind, .undefined)
        // ... and allowed at PL1
        let t2 = machine([0xEE30_0A81])
        t2.core.sys.cpacr = 0x0050_0000
        t2.run(1)
        XCTAssertTrue(t2.events.isEmpty)
        // Full access: FPSCR is usable at PL0, FPEXC/FPSID/MVFR are not.
        let t3 = machine([0xEEF1_0A10, 0xEE30_0A81])
        enterUser(t3)
        t3.run(2)
        XCTAssertTrue(t3.events.isEmpty, "\(t3.events)")
        for word: UInt32 in [0xEEF8_0A10, 0xEEF0_0A10, 0xEEF7_0A10, 0xEEE8_0A10] {
            let t4 = machine([word])
            enterUser(t4)
            t4.run(1)
            XCTAssertEqual(t4.events.first?.kind, .undefined, hex(word))
        }
    }

    func testD32DISMakesD16ToD31Undefined() {
        let cases: [(UInt32, Bool)] = [
            (0xEE71_0BA2, true),    // vadd.f64 d16, d17, d18
            (0xEE34_0B90, true),    // vmov.32 r0, d20[1]
            (0xEC90_FB04, true),    // vldmia r0, {d15-d16}
            (0xEE31_0B02, false),   // vadd.f64 d0, d1, d2
            (0xEE30_0A81, false),   // vadd.f32 s0, s1, s2
        ]
        for (word, undefined) in cases {
            let t = machine([word])
            t.core.sys.cpacr |= 1 << 30
            t.core.setRegister(0, base + 0x800)
            t.run(1)
            XCTAssertEqual(t.events.first?.kind == .undefined, undefined, hex(word))
        }
        // Without D32DIS all 32 registers are there.
        let t = machine([0xEE71_0BA2])
        t.core.setVFPDouble(17, 0x3FF0_0000_0000_0000)
        t.core.setVFPDouble(18, 0x3FF0_0000_0000_0000)
        t.run(1)
        XCTAssertEqual(t.core.vfpDouble(16), 0x4000_0000_0000_0000)
    }

    // MARK: Traps to Hyp mode

    func testHCPTRTrapsToHypWithSyndromeAndReexecutionWorks() {
        // vaddne.f64 d0, d1, d2 at +0x100 ; Hyp trap vector (+0x214): eret
        let t = machine([0x1E31_0B02, 0xE1A0_0000])
        t.write([0xE160_006E], at: base + 0x214)
        t.core.sys.hcptr = 0x33FF | 1 << 10 | 1 << 11
        t.core.setVFPDouble(1, 0x3FF0_0000_0000_0000)
        t.core.setVFPDouble(2, 0x3FF0_0000_0000_0000)
        t.run(1)
        XCTAssertEqual(t.core.mode, .hyp)
        XCTAssertEqual(t.core.pc, base + 0x214)
        XCTAssertEqual(t.core.elrHyp, base + 0x100, "returns to the trapped instruction")
        // EC 0x07, IL, CV = 1, COND = NE (1), TA = 0, coproc = 11
        XCTAssertEqual(t.core.sys.hsr >> 25, 0x07 << 1 | 1)
        let iss: UInt32 = 1 << 24 | 0x1 << 20 | 11
        XCTAssertEqual(hex(t.core.sys.hsr), hex(HSRClass.hcptr.syndrome(iss: iss)))
        XCTAssertEqual(t.core.vfpDouble(0), 0)
        // The hypervisor switches the VFP state in, untraps and returns.
        t.core.sys.hcptr = 0x33FF
        t.run(2)   // eret ; vaddne
        XCTAssertEqual(t.core.mode, .supervisor)
        XCTAssertEqual(t.core.vfpDouble(0), 0x4000_0000_0000_0000)
        XCTAssertEqual(t.core.pc, base + 0x104)
    }

    func testHCPTRTrapsFPEXCAccessWithCoprocessor10() {
        // vmrs r0, fpexc with FPEXC.EN = 0 (the guest's lazy-switch probe)
        let t = machine([0xEEF8_0A10])
        t.core.fpexc = 0
        t.core.sys.hcptr = 0x33FF | 1 << 10 | 1 << 11
        t.run(1)
        XCTAssertEqual(t.core.mode, .hyp)
        let iss: UInt32 = 1 << 24 | 0xE << 20 | 10
        XCTAssertEqual(hex(t.core.sys.hsr), hex(HSRClass.hcptr.syndrome(iss: iss)))
    }

    func testHCPTRInHypModeIsUndefined() {
        let t = machine([0xEE31_0B02])
        t.core.sys.hcptr = 0x33FF | 1 << 10 | 1 << 11
        t.core.switchMode(.hyp)
        t.core.branch(to: base + 0x100, thumb: false)
        t.run(1)
        XCTAssertEqual(t.core.pc, base + 0x204, "Hyp undefined vector")
        XCTAssertEqual(t.core.sys.hsr >> 26, 0)
    }

    func testCPACRIsIgnoredInHypMode() {
        let t = machine([0xEE31_0B02])
        t.core.sys.cpacr = 0
        t.core.switchMode(.hyp)
        t.core.branch(to: base + 0x100, thumb: false)
        t.run(1)
        XCTAssertTrue(t.events.isEmpty, "\(t.events)")
    }

    func testHCRTID0TrapsFPSIDReadsOnly() {
        // vmrs r3, fpsid
        let t = machine([0xEEF0_3A10])
        t.core.sys.hcr = HCR.tid0
        t.run(1)
        XCTAssertEqual(t.core.mode, .hyp)
        // EC 0x08; ISS as an MRC: CV, COND = AL, Opc2 0, Opc1 7, CRn 0, Rt 3, CRm 0, read
        let iss: UInt32 = 1 << 24 | 0xE << 20 | 7 << 14 | 3 << 5 | 1
        XCTAssertEqual(hex(t.core.sys.hsr), hex(HSRClass.cp10ID.syndrome(iss: iss)))
        XCTAssertEqual(t.core.sys.hsr >> 26, 0x08)
        // vmrs r1, mvfr0 is not trapped by TID0
        let t2 = machine([0xEEF7_1A10])
        t2.core.sys.hcr = HCR.tid0
        t2.run(1)
        XCTAssertTrue(t2.events.isEmpty)
        XCTAssertEqual(t2.core.register(1), VFPID.mvfr0)
    }

    // MARK: Encodings that are not VFP on this core

    func testUnallocatedEncodingsAreUndefined() {
        let words: [UInt32] = [
            0xFE31_0B02,   // cond = 1111 in cp11 space (ARMv8 only)
            0xEE81_0B42,   // VDIV with bit 6 set
            0xEEB6_0A40,   // opc2 = 0110 (ARMv8 VRINT)
            0xEEB2_0B40,   // VCVTB with sz = 1 (half <-> double is ARMv8)
            // (VDUP and 8/16-bit VMOV scalars are Advanced SIMD: NEONLoadStoreTests)
            0xEEF5_0A10,   // VMRS r0, <unallocated system register 5>
            0xEDB0_0B02,   // P = U = 1 with writeback
        ]
        for w in words {
            let t = machine([w])
            t.run(1)
            XCTAssertEqual(t.events.first?.kind, .undefined, hex(w))
        }
    }

    func testConditionFailedVFPInstructionDoesNothing() {
        // vaddeq.f64 d0, d1, d2 with Z clear
        let t = machine([0x0E31_0B02])
        t.core.setVFPDouble(1, 0x3FF0_0000_0000_0000)
        t.run(1)
        XCTAssertEqual(t.core.vfpDouble(0), 0)
        XCTAssertEqual(t.core.pc, base + 0x104)
    }

    // MARK: Loads and stores

    func testVLDRAndVSTR() {
        // vldr d0, [pc, #8] ; vstr s3, [r0, #-4] ; vldr s1, [pc, #-4] ; b . ; .word lo, hi
        let t = machine([0xED9F_0B02, 0xED40_1A01, 0xED5F_0A01, 0xEAFF_FFFE, 0x89AB_CDEF, 0x0123_4567])
        t.core.setRegister(0, base + 0x804)
        t.core.setVFPSingle(3, 0xCAFE_F00D)
        t.run(3)
        XCTAssertTrue(t.events.isEmpty, "\(t.events)")
        XCTAssertEqual(t.core.vfpDouble(0) & 0xFFFF_FFFF, 0x89AB_CDEF)
        XCTAssertEqual(t.word(base + 0x800), 0xCAFE_F00D)
        XCTAssertEqual(t.core.vfpSingle(1), 0xEAFF_FFFE, "PC-relative: (instruction + 8) - 4")
    }

    func testVLDMVSTMWritebackAndVPUSHVPOP() {
        let t = machine([
            0xECB0_0B06,   // vldmia r0!, {d0-d2}
            0xED21_0A04,   // vstmdb r1!, {s0-s3}
            0xED2D_8B04,   // vpush {d8-d9}
            0xECBD_AB04,   // vpop {d10-d11}
        ])
        let src = base + 0x800
        t.write([1, 2, 3, 4, 5, 6], at: src)
        t.core.setRegister(0, src)
        t.core.setRegister(1, base + 0x900)
        t.core.setRegister(13, base + 0xA00)
        t.core.setVFPDouble(8, 0x1111_1111_2222_2222)
        t.core.setVFPDouble(9, 0x3333_3333_4444_4444)
        t.run(4)
        XCTAssertTrue(t.events.isEmpty, "\(t.events)")
        XCTAssertEqual(t.core.register(0), src + 24)
        XCTAssertEqual(t.core.vfpDouble(0), 0x0000_0002_0000_0001)
        XCTAssertEqual(t.core.vfpDouble(2), 0x0000_0006_0000_0005)
        XCTAssertEqual(t.core.register(1), base + 0x900 - 16)
        XCTAssertEqual((0..<4).map { t.word(base + 0x8F0 + 4 * $0) }, [1, 2, 3, 4])
        XCTAssertEqual(t.core.register(13), base + 0xA00)
        XCTAssertEqual(t.word(base + 0x9F0), 0x2222_2222)
        XCTAssertEqual(t.word(base + 0x9FC), 0x3333_3333)
        XCTAssertEqual(t.core.vfpDouble(10), 0x1111_1111_2222_2222)
        XCTAssertEqual(t.core.vfpDouble(11), 0x3333_3333_4444_4444)
    }

    func testFLDMXAndFSTMXMoveTheBaseByTheOddWordCount() {
        // fldmiax r0!, {d0-d2} ; fstmdbx r1!, {d0-d2}
        let t = machine([0xECB0_0B07, 0xED21_0B07])
        t.write([1, 2, 3, 4, 5, 6, 7], at: base + 0x800)
        t.core.setRegister(0, base + 0x800)
        t.core.setRegister(1, base + 0x900)
        t.run(2)
        XCTAssertTrue(t.events.isEmpty, "\(t.events)")
        XCTAssertEqual(t.core.register(0), base + 0x800 + 28)
        XCTAssertEqual(t.core.vfpDouble(2), 0x0000_0006_0000_0005)
        XCTAssertEqual(t.core.register(1), base + 0x900 - 28)
        XCTAssertEqual(t.word(base + 0x900 - 28), 1)
        XCTAssertEqual(t.word(base + 0x900 - 12), 5)
    }

    func testUnalignedVLDRIsAnAlignmentFaultAndVLDMAbortLeavesBaseUnchanged() {
        // vldr d0, [r0] with r0 unaligned (SCTLR.A = 0 does not matter)
        let t = machine([0xED90_0B00])
        t.core.setRegister(0, base + 0x802)
        t.run(1)
        XCTAssertEqual(t.events.first?.kind, .dataAbort)
        XCTAssertEqual(t.core.sys.dfsr & 0x40F, 0x001, "alignment fault")
        // vldmia r0!, {d0-d2} running off the end of RAM
        let t2 = machine([0xECB0_0B06])
        let end = base + (1 << 20) - 8
        t2.core.setRegister(0, end)
        t2.run(1)
        XCTAssertEqual(t2.events.first?.kind, .dataAbort)
        XCTAssertEqual(t2.core.register(0), end, "base restored")
    }

    func testBigEndianDoubleLoadSwapsWordOrder() {
        // setend be ; vldr d0, [r0] ; vstr d0, [r1]
        let t = machine([0xF101_0200, 0xED90_0B00, 0xED81_0B00])
        t.write([0x0000_F03F, 0x0000_0000], at: base + 0x800)   // big-endian 1.0 = 3FF00000 00000000
        t.core.setRegister(0, base + 0x800)
        t.core.setRegister(1, base + 0x810)
        t.run(3)
        XCTAssertEqual(t.core.vfpDouble(0), 0x3FF0_0000_0000_0000)
        XCTAssertEqual(t.word(base + 0x810), 0x0000_F03F)
        XCTAssertEqual(t.word(base + 0x814), 0)
    }

    func testThumbVFPGoesThroughTheSameEntryAndLiteralsUseAlignedPC() {
        // Thumb: nop ; vldr d0, [pc, #8] (at +0x102: Align(PC, 4) + 8 = +0x10C) ;
        // vadd.f64 d1, d0, d0 ; b . ; then the literal
        let t = machine([0xED9F_BF00, 0xEE30_0B02, 0xE7FE_1B00, 0x0000_0000, 0x3FF0_0000])
        t.core.branch(to: base + 0x100, thumb: true)
        t.run(3)
        XCTAssertTrue(t.events.isEmpty, "\(t.events)")
        XCTAssertEqual(t.core.vfpDouble(0), 0x3FF0_0000_0000_0000)
        XCTAssertEqual(t.core.vfpDouble(1), 0x4000_0000_0000_0000)
        // With FPEXC.EN clear the same Thumb instruction is UNDEFINED.
        let t2 = machine([0xED9F_BF00, 0xEE30_0B02])
        t2.core.fpexc = 0
        t2.core.branch(to: base + 0x100, thumb: true)
        t2.run(2)
        XCTAssertEqual(t2.events.first?.kind, .undefined)
    }

    // MARK: Register file aliasing

    func testSingleRegistersAliasDoubleHalves() {
        let t = machine([])
        t.core.setVFPDouble(3, 0x1122_3344_5566_7788)
        XCTAssertEqual(t.core.vfpSingle(6), 0x5566_7788)
        XCTAssertEqual(t.core.vfpSingle(7), 0x1122_3344)
        t.core.setVFPSingle(7, 0xAABB_CCDD)
        XCTAssertEqual(t.core.vfpDouble(3), 0xAABB_CCDD_5566_7788)
    }
}
