import XCTest
@testable import ARMv7

/// Advanced SIMD two registers and a shift amount (ARM ARM A7.4.4): every
/// family on its edge cases (shifts of 0 and of the whole element, rounding
/// of the top bit of 64-bit lanes, saturation and QC, signed to unsigned,
/// narrowing from overlapping Q registers, fixed-point VCVT rounding
/// regardless of FPSCR.RMode) and the UNDEFINED encodings. Every expected
/// value (registers and FPSCR) was printed by qemu-arm -cpu cortex-a15
/// running the same instruction on the same registers (FPSCR 0 unless given).
final class NEONShiftTests: NEONGroupTestCase {
    func testShiftRightAndAccumulate() {
        // vshr.s8 d0, d1, #8
        check(0xF288_0011, [1: 0x80FF_7F01_8040_2010], expect: [0: 0xFFFF_0000_FF00_0000], fpscrAfter: 0x0000_0000)
        // vshr.u8 d0, d1, #3
        check(0xF38D_0011, [1: 0x80FF_7F01_8040_2010], expect: [0: 0x101F_0F00_1008_0402], fpscrAfter: 0x0000_0000)
        // vshr.s16 q0, q1, #15
        check(0xF291_0052, [2: 0x8000_7FFF_FFFF_0001, 3: 0x4000_C000_0000_FFFE], expect: [0: 0xFFFF_0000_FFFF_0000, 1: 0x0000_FFFF_0000_FFFF], fpscrAfter: 0x0000_0000)
        // vshr.u64 d0, d1, #64
        check(0xF380_0091, [1: 0xFFFF_FFFF_FFFF_FFFF], expect: [0: 0x0000_0000_0000_0000], fpscrAfter: 0x0000_0000)
        // vshr.s64 d0, d1, #64
        check(0xF280_0091, [1: 0x8000_0000_0000_0000], expect: [0: 0xFFFF_FFFF_FFFF_FFFF], fpscrAfter: 0x0000_0000)
        // vsra.s32 d0, d1, #1
        check(0xF2BF_0111, [0: 0x0000_0001_FFFF_FFFF, 1: 0x8000_0001_7FFF_FFFF], expect: [0: 0xC000_0001_3FFF_FFFE], fpscrAfter: 0x0000_0000)
        // vsra.u64 q0, q0, #63
        check(0xF381_01D0, [0: 0x8000_0000_0000_0000, 1: 0xFFFF_FFFF_FFFF_FFFF], expect: [0: 0x8000_0000_0000_0001, 1: 0x0000_0000_0000_0000], fpscrAfter: 0x0000_0000)
        // vrshr.s8 d0, d1, #1
        check(0xF28F_0211, [1: 0x80FF_7F01_FD03_FE02], expect: [0: 0xC000_4001_FF02_FF01], fpscrAfter: 0x0000_0000)
        // vrshr.u8 d0, d1, #8
        check(0xF388_0211, [1: 0x80FF_7F01_8040_2010], expect: [0: 0x0101_0000_0100_0000], fpscrAfter: 0x0000_0000)
        // vrshr.u64 d0, d1, #64
        check(0xF380_0291, [1: 0x8000_0000_0000_0000], expect: [0: 0x0000_0000_0000_0001], fpscrAfter: 0x0000_0000)
        // vrshr.s64 d0, d1, #64
        check(0xF280_0291, [1: 0x8000_0000_0000_0000], expect: [0: 0x0000_0000_0000_0000], fpscrAfter: 0x0000_0000)
        // vrshr.u64 d0, d1, #1
        check(0xF3BF_0291, [1: 0xFFFF_FFFF_FFFF_FFFF], expect: [0: 0x8000_0000_0000_0000], fpscrAfter: 0x0000_0000)
        // vrsra.s16 d0, d1, #2
        check(0xF29E_0311, [0: 0x7FFF_0001_0000_FFFF, 1: 0x0002_FFFE_0006_FFFA], expect: [0: 0x8000_0001_0002_FFFE], fpscrAfter: 0x0000_0000)
        // vrsra.u32 d2, d2, #32
        check(0xF3A0_2312, [2: 0x8000_0000_7FFF_FFFF], expect: [2: 0x8000_0001_7FFF_FFFF], fpscrAfter: 0x0000_0000)
    }

    func testShiftLeftAndInsert() {
        // vshl.i8 d0, d1, #7
        check(0xF28F_0511, [1: 0x80FF_7F01_8040_2011], expect: [0: 0x0080_8080_0000_0080], fpscrAfter: 0x0000_0000)
        // vshl.i16 q0, q1, #0
        check(0xF290_0552, [2: 0x8000_7FFF_FFFF_0001, 3: 0x0000_0000_0000_1234], expect: [0: 0x8000_7FFF_FFFF_0001, 1: 0x0000_0000_0000_1234], fpscrAfter: 0x0000_0000)
        // vshl.i64 d0, d1, #63
        check(0xF2BF_0591, [1: 0x0000_0000_0000_0003], expect: [0: 0x8000_0000_0000_0000], fpscrAfter: 0x0000_0000)
        // vsri.8 d0, d1, #8
        check(0xF388_0411, [0: 0x0123_4567_89AB_CDEF, 1: 0xFFFF_FFFF_FFFF_FFFF], expect: [0: 0x0123_4567_89AB_CDEF], fpscrAfter: 0x0000_0000)
        // vsri.16 d0, d1, #4
        check(0xF39C_0411, [0: 0x0123_4567_89AB_CDEF, 1: 0xFFFF_0000_1234_8000], expect: [0: 0x0FFF_4000_8123_C800], fpscrAfter: 0x0000_0000)
        // vsri.64 q0, q1, #64
        check(0xF380_04D2, [0: 0x0123_4567_89AB_CDEF, 1: 0x0000_0000_0000_0005, 2: 0xFFFF_FFFF_FFFF_FFFF, 3: 0x0000_0000_0000_0007], expect: [0: 0x0123_4567_89AB_CDEF, 1: 0x0000_0000_0000_0005], fpscrAfter: 0x0000_0000)
        // vsri.32 d0, d1, #1
        check(0xF3BF_0411, [0: 0x8000_0000_0000_0000, 1: 0xFFFF_FFFF_0000_0003], expect: [0: 0xFFFF_FFFF_0000_0001], fpscrAfter: 0x0000_0000)
        // vsli.8 d0, d1, #0
        check(0xF388_0511, [0: 0x0123_4567_89AB_CDEF, 1: 0xFFFF_0000_1234_5678], expect: [0: 0xFFFF_0000_1234_5678], fpscrAfter: 0x0000_0000)
        // vsli.32 d0, d1, #31
        check(0xF3BF_0511, [0: 0x0123_4567_89AB_CDEF, 1: 0xFFFF_FFFE_0000_0001], expect: [0: 0x0123_4567_89AB_CDEF], fpscrAfter: 0x0000_0000)
        // vsli.64 d0, d1, #63
        check(0xF3BF_0591, [0: 0xFFFF_FFFF_FFFF_FFFF, 1: 0x0000_0000_0000_0002], expect: [0: 0x7FFF_FFFF_FFFF_FFFF], fpscrAfter: 0x0000_0000)
    }

    func testSaturatingShiftLeftByImmediate() {
        // vqshl.s8 d0, d1, #7
        check(0xF28F_0711, [1: 0xFF00_0001_FE80_7F01], expect: [0: 0x8000_007F_8080_7F7F], fpscrAfter: 0x0800_0000)
        // vqshl.s8 d0, d1, #7
        check(0xF28F_0711, [1: 0xFF00_0000_FF00_0000], expect: [0: 0x8000_0000_8000_0000], fpscrAfter: 0x0000_0000)
        // vqshl.u16 d0, d1, #4
        check(0xF394_0711, [1: 0x0FFF_1000_0001_F000], expect: [0: 0xFFF0_FFFF_0010_FFFF], fpscrAfter: 0x0800_0000)
        // vqshlu.s16 d0, d1, #1
        check(0xF391_0611, [1: 0x7FFF_8000_3FFF_FFFF], expect: [0: 0xFFFE_0000_7FFE_0000], fpscrAfter: 0x0800_0000)
        // vqshlu.s64 q0, q1, #63
        check(0xF3BF_06D2, [2: 0x0000_0000_0000_0001, 3: 0x0000_0000_0000_0002], expect: [0: 0x8000_0000_0000_0000, 1: 0xFFFF_FFFF_FFFF_FFFF], fpscrAfter: 0x0800_0000)
        // vqshl.s64 d0, d1, #63
        check(0xF2BF_0791, [1: 0xFFFF_FFFF_FFFF_FFFF], expect: [0: 0x8000_0000_0000_0000], fpscrAfter: 0x0000_0000)
        // vqshl.s32 q0, q1, #31
        check(0xF2BF_0752, [2: 0x0000_0001_0000_0000, 3: 0xFFFF_FFFF_FFFF_FFFE], expect: [0: 0x7FFF_FFFF_0000_0000, 1: 0x8000_0000_8000_0000], fpscrAfter: 0x0800_0000)
        // vqshl.u64 d0, d1, #0
        check(0xF380_0791, [1: 0xFFFF_FFFF_FFFF_FFFF], fpscr: 0x0800_0000, expect: [0: 0xFFFF_FFFF_FFFF_FFFF], fpscrAfter: 0x0800_0000)
    }

    func testNarrowingShifts() {
        // vshrn.i16 d0, q1, #8
        check(0xF288_0812, [2: 0x1234_5678_9ABC_DEF0, 3: 0xFFFF_0000_8000_7FFF], expect: [0: 0xFF00_807F_1256_9ADE], fpscrAfter: 0x0000_0000)
        // vshrn.i64 d0, q1, #32
        check(0xF2A0_0812, [2: 0x1234_5678_9ABC_DEF0, 3: 0xFFFF_0000_8000_7FFF], expect: [0: 0xFFFF_0000_1234_5678], fpscrAfter: 0x0000_0000)
        // vrshrn.i32 d0, q1, #16
        check(0xF290_0852, [2: 0x0000_8000_FFFF_7FFF, 3: 0x7FFF_8000_0001_8000], expect: [0: 0x8000_0002_0001_FFFF], fpscrAfter: 0x0000_0000)
        // vrshrn.i64 d3, q1, #1
        check(0xF2BF_3852, [2: 0xFFFF_FFFF_FFFF_FFFF, 3: 0x0000_0001_FFFF_FFFF], expect: [3: 0x0000_0000_0000_0000], fpscrAfter: 0x0000_0000)
        // vshrn.i16 d2, q1, #1
        check(0xF28F_2812, [2: 0x0102_0304_0506_0708, 3: 0x1112_1314_1516_1718], expect: [2: 0x898A_8B8C_8182_8384], fpscrAfter: 0x0000_0000)
        // vqshrn.s16 d0, q1, #1
        check(0xF28F_0912, [2: 0x7FFF_8000_00FE_FF00, 3: 0x0100_FEFF_0002_FFFE], expect: [0: 0x7F80_01FF_7F80_7F80], fpscrAfter: 0x0800_0000)
        // vqshrn.u32 d0, q1, #16
        check(0xF390_0912, [2: 0xFFFF_FFFF_0000_FFFF, 3: 0x0001_0000_1234_5678], expect: [0: 0x0001_1234_FFFF_0000], fpscrAfter: 0x0000_0000)
        // vqrshrn.s64 d0, q1, #32
        check(0xF2A0_0952, [2: 0x7FFF_FFFF_8000_0000, 3: 0x8000_0000_0000_0000], expect: [0: 0x8000_0000_7FFF_FFFF], fpscrAfter: 0x0800_0000)
        // vqrshrn.u16 d0, q1, #8
        check(0xF388_0952, [2: 0xFF7F_FF80_0100_00FF, 3: 0xFFFF_0080_1234_0000], expect: [0: 0xFF01_1200_FFFF_0101], fpscrAfter: 0x0800_0000)
        // vqshrun.s16 d0, q1, #4
        check(0xF38C_0812, [2: 0x8000_0FFF_1000_0FF0, 3: 0xFFFF_0010_7FFF_000F], expect: [0: 0x0001_FF00_00FF_FFFF], fpscrAfter: 0x0800_0000)
        // vqrshrun.s32 d0, q1, #1
        check(0xF39F_0852, [2: 0xFFFF_FFFF_0001_FFFF, 3: 0x0001_FFFE_8000_0000], expect: [0: 0xFFFF_0000_0000_FFFF], fpscrAfter: 0x0800_0000)
        // vqrshrun.s64 d0, q1, #32
        check(0xF3A0_0852, [2: 0x7FFF_FFFF_FFFF_FFFF, 3: 0x8000_0000_0000_0000], expect: [0: 0x0000_0000_8000_0000], fpscrAfter: 0x0800_0000)
    }

    func testLengtheningShifts() {
        // vshll.s8 q0, d2, #7
        check(0xF28F_0A12, [2: 0x80FF_7F01_0203_FEFD], expect: [0: 0x0100_0180_FF00_FE80, 1: 0xC000_FF80_3F80_0080], fpscrAfter: 0x0000_0000)
        // vshll.u16 q0, d2, #15
        check(0xF39F_0A12, [2: 0x8000_FFFF_0001_7FFF], expect: [0: 0x0000_8000_3FFF_8000, 1: 0x4000_0000_7FFF_8000], fpscrAfter: 0x0000_0000)
        // vmovl.s32 q0, d1
        check(0xF2A0_0A11, [1: 0x8000_0000_7FFF_FFFF], expect: [0: 0x0000_0000_7FFF_FFFF, 1: 0xFFFF_FFFF_8000_0000], fpscrAfter: 0x0000_0000)
        // vmovl.u8 q1, d2
        check(0xF388_2A12, [2: 0x80FF_7F01_0203_FEFD], expect: [2: 0x0002_0003_00FE_00FD, 3: 0x0080_00FF_007F_0001], fpscrAfter: 0x0000_0000)
        // vshll.s32 q1, d3, #31
        check(0xF2BF_2A13, [3: 0xFFFF_FFFF_0000_0003], expect: [2: 0x0000_0001_8000_0000, 3: 0xFFFF_FFFF_8000_0000], fpscrAfter: 0x0000_0000)
    }

    func testFixedPointConversions() {
        // vcvt.s32.f32 d0, d1, #16
        check(0xF2B0_0F11, [1: 0xC700_0000_3FC0_0000], expect: [0: 0x8000_0000_0001_8000], fpscrAfter: 0x0000_0000)
        // vcvt.s32.f32 q0, q1, #1
        check(0xF2BF_0F52, [2: 0xBFBF_FFFF_4F00_0000, 3: 0x0000_0001_7FC0_0000], expect: [0: 0xFFFF_FFFE_7FFF_FFFF, 1: 0x0000_0000_0000_0000], fpscrAfter: 0x0000_0091)
        // vcvt.u32.f32 d0, d1, #32
        check(0xF3A0_0F11, [1: 0xBF80_0000_3F7F_FFFF], expect: [0: 0x0000_0000_FFFF_FF00], fpscrAfter: 0x0000_0001)
        // vcvt.u32.f32 d0, d1, #1
        check(0xF3BF_0F11, [1: 0x3F40_0000_7F80_0000], fpscr: 0x00C0_0000, expect: [0: 0x0000_0001_FFFF_FFFF], fpscrAfter: 0x00C0_0011)
        // vcvt.f32.s32 d0, d1, #16
        check(0xF2B0_0E11, [1: 0xFFFF_0000_0001_8000], expect: [0: 0xBF80_0000_3FC0_0000], fpscrAfter: 0x0000_0000)
        // vcvt.f32.u32 q0, q1, #32
        check(0xF3A0_0E52, [2: 0x0000_0001_FFFF_FFFF, 3: 0x0000_0000_8000_0001], fpscr: 0x00C0_0000, expect: [0: 0x2F80_0000_3F80_0000, 1: 0x0000_0000_3F00_0000], fpscrAfter: 0x00C0_0010)
        // vcvt.f32.s32 d0, d1, #1
        check(0xF2BF_0E11, [1: 0x8000_0000_7FFF_FFC1], expect: [0: 0xCE80_0000_4E80_0000], fpscrAfter: 0x0000_0010)
    }

    func testUndefinedEncodings() {
        // VSRI with U = 0 (A = 0100)
        undefined(0xF288_0450)
        // VQSHL with U = 0, op = 0
        undefined(0xF288_0650)
        // VSHRN with Vm odd
        undefined(0xF288_0811)
        // VSHRN with L = 1
        undefined(0xF288_0890)
        // VSHLL with Vd odd
        undefined(0xF288_1A10)
        // VSHLL with bit 6 set
        undefined(0xF288_0A50)
        // A = 1011
        undefined(0xF288_0B10)
        // A = 1100
        undefined(0xF288_0C10)
        // A = 1101
        undefined(0xF288_0D10)
        // VCVT with imm6 < 32
        undefined(0xF29F_0F10)
        // VCVT with L = 1
        undefined(0xF2A0_0F90)
        // VSHR Q with Vd odd
        undefined(0xF288_1052)
    }
}
