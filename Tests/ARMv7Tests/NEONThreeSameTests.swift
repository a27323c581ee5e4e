import XCTest
@testable import ARMv7

/// Advanced SIMD three registers of the same length (ARM ARM A7.4.1):
/// each family on edge cases (saturation and QC, rounding, signedness,
/// sizes, Q and D forms, overlapping registers, NaNs, signed zeros,
/// flushed denormals, infinity × zero in the step instructions) and the
/// UNDEFINED encodings. Every expected value (registers and FPSCR) was
/// printed by qemu-arm -cpu cortex-a15 running the same instruction on
/// the same registers (FPSCR 0 unless given).
final class NEONThreeSameTests: NEONGroupTestCase {
    func testHalvingAddAndSubtract() {
        // vhadd.s8 d0, d1, d2
        check(0xF201_0002, [1: 0x7F80_FF01_7F80_0102, 2: 0x7F80_FF01_0180_FF03], expect: [0: 0x7F80_FF01_4080_0002], fpscrAfter: 0x0000_0000)
        // vhadd.u16 q0, q1, q2
        check(0xF312_0044, [2: 0xFFFF_8000_0001_1234, 3: 0xFFFF_FFFF_0000_0001, 4: 0xFFFF_8001_0002_4321, 5: 0x0001_FFFF_0000_0001], expect: [0: 0xFFFF_8000_0001_2AAA, 1: 0x8000_FFFF_0000_0001], fpscrAfter: 0x0000_0000)
        // vrhadd.s32 d3, d4, d5
        check(0xF224_3105, [4: 0x7FFF_FFFF_8000_0000, 5: 0x7FFF_FFFE_FFFF_FFFF], expect: [3: 0x7FFF_FFFF_C000_0000], fpscrAfter: 0x0000_0000)
        // vrhadd.u8 d3, d3, d5
        check(0xF303_3105, [3: 0xFF00_FF01_0203_FE7F, 5: 0xFF01_0001_0302_FF80], expect: [3: 0xFF01_8001_0303_FF80], fpscrAfter: 0x0000_0000)
        // vhsub.s16 d0, d1, d2
        check(0xF211_0202, [1: 0x7FFF_8000_0000_0005, 2: 0x8000_7FFF_0001_FFFF], expect: [0: 0x7FFF_8000_FFFF_0003], fpscrAfter: 0x0000_0000)
        // vhsub.u32 d0, d1, d2
        check(0xF321_0202, [1: 0x0000_0000_FFFF_FFFF, 2: 0xFFFF_FFFF_0000_0000], expect: [0: 0x8000_0000_7FFF_FFFF], fpscrAfter: 0x0000_0000)
    }

    func testSaturatingAddAndSubtractEverySize() {
        // vqadd.s8 d0, d1, d2
        check(0xF201_0012, [1: 0x7F80_7F80_0102_0304, 2: 0x0101_80FF_0102_0304], expect: [0: 0x7F81_FF80_0204_0608], fpscrAfter: 0x0800_0000)
        // vqadd.u16 d0, d1, d2
        check(0xF311_0012, [1: 0xFFFF_8000_0001_0000, 2: 0x0001_8000_FFFE_0000], expect: [0: 0xFFFF_FFFF_FFFF_0000], fpscrAfter: 0x0800_0000)
        // vqadd.s32 q0, q1, q2
        check(0xF222_0054, [2: 0x7FFF_FFFF_8000_0000, 3: 0x0000_0001_0000_0002, 4: 0x0000_0000_FFFF_FFFF, 5: 0x0000_0002_FFFF_FFFF], expect: [0: 0x7FFF_FFFF_8000_0000, 1: 0x0000_0003_0000_0001], fpscrAfter: 0x0800_0000)
        // vqadd.s64 q0, q1, q2
        check(0xF232_0054, [2: 0x7FFF_FFFF_FFFF_FFFF, 3: 0x8000_0000_0000_0000, 4: 0x0000_0000_0000_0001, 5: 0xFFFF_FFFF_FFFF_FFFF], fpscr: 0x0800_0000, expect: [0: 0x7FFF_FFFF_FFFF_FFFF, 1: 0x8000_0000_0000_0000], fpscrAfter: 0x0800_0000)
        // vqadd.u64 d7, d8, d9
        check(0xF338_7019, [8: 0xFFFF_FFFF_FFFF_FFF0, 9: 0x0000_0000_0000_0010], expect: [7: 0xFFFF_FFFF_FFFF_FFFF], fpscrAfter: 0x0800_0000)
        // vqadd.u64 d7, d8, d9
        check(0xF338_7019, [8: 0xFFFF_FFFF_FFFF_FFF0, 9: 0x0000_0000_0000_000F], expect: [7: 0xFFFF_FFFF_FFFF_FFFF], fpscrAfter: 0x0000_0000)
        // vqsub.u8 d0, d1, d2
        check(0xF301_0212, [1: 0x0000_FF10_8001_0203, 2: 0x0100_0011_7F02_0102], expect: [0: 0x0000_FF00_0100_0101], fpscrAfter: 0x0800_0000)
        // vqsub.s16 d0, d1, d2
        check(0xF211_0212, [1: 0x8000_7FFF_0000_8001, 2: 0x0001_FFFF_8000_0001], expect: [0: 0x8000_7FFF_7FFF_8000], fpscrAfter: 0x0800_0000)
        // vqsub.s64 d0, d1, d2
        check(0xF231_0212, [1: 0x8000_0000_0000_0000, 2: 0x0000_0000_0000_0001], expect: [0: 0x8000_0000_0000_0000], fpscrAfter: 0x0800_0000)
        // vqsub.u64 q8, q9, q10
        check(0xF372_02F4, [18: 0x0000_0000_0000_0005, 19: 0xFFFF_FFFF_FFFF_FFFF, 20: 0x0000_0000_0000_0006, 21: 0xFFFF_FFFF_FFFF_FFFE], expect: [16: 0x0000_0000_0000_0000, 17: 0x0000_0000_0000_0001], fpscrAfter: 0x0800_0000)
    }

    func testBitwiseOperations() {
        // vand d0, d1, d2
        check(0xF201_0112, [1: 0xFF00_F0F0_1234_5678, 2: 0x0FF0_FF00_FFFF_0000], expect: [0: 0x0F00_F000_1234_0000], fpscrAfter: 0x0000_0000)
        // vbic d0, d1, d2
        check(0xF211_0112, [1: 0xFF00_F0F0_1234_5678, 2: 0x0FF0_FF00_FFFF_0000], expect: [0: 0xF000_00F0_0000_5678], fpscrAfter: 0x0000_0000)
        // vorr q0, q1, q2
        check(0xF222_0154, [2: 0xFF00_F0F0_1234_5678, 3: 0x0000_0000_0000_0001, 4: 0x0FF0_FF00_FFFF_0000, 5: 0x0000_0000_0000_0002], expect: [0: 0xFFF0_FFF0_FFFF_5678, 1: 0x0000_0000_0000_0003], fpscrAfter: 0x0000_0000)
        // vmov q3, q1
        check(0xF222_6152, [2: 0xFF00_F0F0_1234_5678, 3: 0x0123_4567_89AB_CDEF], expect: [6: 0xFF00_F0F0_1234_5678, 7: 0x0123_4567_89AB_CDEF], fpscrAfter: 0x0000_0000)
        // vorn d0, d1, d2
        check(0xF231_0112, [1: 0xFF00_F0F0_1234_5678, 2: 0x0FF0_FF00_FFFF_0000], expect: [0: 0xFF0F_F0FF_1234_FFFF], fpscrAfter: 0x0000_0000)
        // veor d0, d1, d2
        check(0xF301_0112, [1: 0xFF00_F0F0_1234_5678, 2: 0x0FF0_FF00_FFFF_0000], expect: [0: 0xF0F0_0FF0_EDCB_5678], fpscrAfter: 0x0000_0000)
        // vbsl d0, d1, d2
        check(0xF311_0112, [0: 0xFFFF_0000_F0F0_1234, 1: 0x1111_2222_3333_4444, 2: 0xAAAA_BBBB_CCCC_DDDD], expect: [0: 0x1111_BBBB_3C3C_CDCD], fpscrAfter: 0x0000_0000)
        // vbit d0, d1, d2
        check(0xF321_0112, [0: 0xFFFF_0000_F0F0_1234, 1: 0x1111_2222_3333_4444, 2: 0xAAAA_BBBB_CCCC_DDDD], expect: [0: 0x5555_2222_3030_4664], fpscrAfter: 0x0000_0000)
        // vbif q0, q1, q2
        check(0xF332_0154, [0: 0xFFFF_0000_F0F0_1234, 1: 0x0000_0000_0000_5555, 2: 0x1111_2222_3333_4444, 3: 0x0000_0000_0000_FFFF, 4: 0xAAAA_BBBB_CCCC_DDDD, 5: 0x0000_0000_0000_FF00], expect: [0: 0xBBBB_0000_F3F3_1014, 1: 0x0000_0000_0000_55FF], fpscrAfter: 0x0000_0000)
    }

    func testIntegerComparisons() {
        // vcgt.s8 d0, d1, d2
        check(0xF201_0302, [1: 0x7F80_0001_FF00_0505, 2: 0x807F_00FF_0000_0506], expect: [0: 0xFF00_00FF_0000_0000], fpscrAfter: 0x0000_0000)
        // vcgt.u8 d0, d1, d2
        check(0xF301_0302, [1: 0x7F80_0001_FF00_0505, 2: 0x807F_00FF_0000_0506], expect: [0: 0x00FF_0000_FF00_0000], fpscrAfter: 0x0000_0000)
        // vcge.s16 q0, q1, q2
        check(0xF212_0354, [2: 0x8000_7FFF_0001_0001, 3: 0xFFFF_0000_1234_0000, 4: 0x7FFF_8000_0001_0002, 5: 0x0000_FFFF_1234_0000], expect: [0: 0x0000_FFFF_FFFF_0000, 1: 0x0000_FFFF_FFFF_FFFF], fpscrAfter: 0x0000_0000)
        // vcge.u32 d0, d1, d2
        check(0xF321_0312, [1: 0x8000_0000_0000_0001, 2: 0x7FFF_FFFF_0000_0002], expect: [0: 0xFFFF_FFFF_0000_0000], fpscrAfter: 0x0000_0000)
        // vceq.i32 d0, d1, d2
        check(0xF321_0812, [1: 0x8000_0000_0000_0001, 2: 0x8000_0000_0000_0002], expect: [0: 0xFFFF_FFFF_0000_0000], fpscrAfter: 0x0000_0000)
        // vtst.16 d0, d1, d2
        check(0xF211_0812, [1: 0x8000_00F0_0001_FFFF, 2: 0x8000_000F_0003_0000], expect: [0: 0xFFFF_0000_FFFF_0000], fpscrAfter: 0x0000_0000)
    }

    func testShiftByRegister() {
        // vshl.s8 d0, d1, d2
        check(0xF202_0401, [1: 0x80FF_7F01_8080_4001, 2: 0x01F9_F807_FFF8_0809], expect: [0: 0x00FF_0080_C0FF_0000], fpscrAfter: 0x0000_0000)
        // vshl.u16 d0, d1, d2
        check(0xF312_0401, [1: 0x80FF_8000_7FFF_0001, 2: 0x01FF_00F1_FFF0_0310], expect: [0: 0x407F_0001_0000_0000], fpscrAfter: 0x0000_0000)
        // vshl.s64 q0, q1, q2
        check(0xF234_0442, [2: 0x8000_0000_0000_0000, 3: 0x8000_0000_0000_0001, 4: 0x0000_0000_0000_00C1, 5: 0xFFFF_FFFF_FFFF_FF3F], expect: [0: 0xFFFF_FFFF_FFFF_FFFF, 1: 0x8000_0000_0000_0000], fpscrAfter: 0x0000_0000)
        // vshl.u64 q0, q1, q2
        check(0xF334_0442, [2: 0x8000_0000_0000_0000, 3: 0x8000_0000_0000_0001, 4: 0x0000_0000_0000_00C1, 5: 0x0000_0000_0000_0040], expect: [0: 0x0000_0000_0000_0001, 1: 0x0000_0000_0000_0000], fpscrAfter: 0x0000_0000)
        // vrshl.s32 d0, d1, d2
        check(0xF222_0501, [1: 0xFFFF_FFFD_0000_0005, 2: 0x0000_00FF_0000_00FF], expect: [0: 0xFFFF_FFFF_0000_0003], fpscrAfter: 0x0000_0000)
        // vrshl.u64 d0, d1, d2
        check(0xF332_0501, [1: 0x8000_0000_0000_0000, 2: 0x0000_0000_0000_00C0], expect: [0: 0x0000_0000_0000_0001], fpscrAfter: 0x0000_0000)
        // vrshl.s64 d0, d1, d2
        check(0xF232_0501, [1: 0x8000_0000_0000_0000, 2: 0x0000_0000_0000_00C0], expect: [0: 0x0000_0000_0000_0000], fpscrAfter: 0x0000_0000)
        // vrshl.u8 d0, d1, d2
        check(0xF302_0501, [1: 0xFF80_0180_FFFF_0301, 2: 0xF8F8_FFF9_F7F9_FEFF], expect: [0: 0x0101_0101_0002_0101], fpscrAfter: 0x0000_0000)
        // vqshl.s16 d0, d1, d2
        check(0xF212_0411, [1: 0xFFFF_0001_4000_C000, 2: 0x000F_000E_0001_0001], expect: [0: 0x8000_4000_7FFF_8000], fpscrAfter: 0x0800_0000)
        // vqshl.s16 d0, d1, d2
        check(0xF212_0411, [1: 0xFFFF_0001_4000_C000, 2: 0x000F_0010_0000_0002], expect: [0: 0x8000_7FFF_4000_8000], fpscrAfter: 0x0800_0000)
        // vqshl.u8 d0, d1, d2
        check(0xF302_0411, [1: 0x80FF_0102_0300_80FF, 2: 0x0100_0706_0580_FFF8], expect: [0: 0xFFFF_8080_6000_4000], fpscrAfter: 0x0800_0000)
        // vqshl.s64 d0, d1, d2
        check(0xF232_0411, [1: 0xFFFF_FFFF_FFFF_FFFF, 2: 0x0000_0000_0000_003F], expect: [0: 0x8000_0000_0000_0000], fpscrAfter: 0x0000_0000)
        // vqrshl.s32 d0, d1, d2
        check(0xF222_0511, [1: 0x7FFF_FFFF_FFFF_FFFB, 2: 0x0000_0001_0000_00FF], expect: [0: 0x7FFF_FFFF_FFFF_FFFE], fpscrAfter: 0x0800_0000)
        // vqrshl.u64 q1, q2, q3
        check(0xF336_2554, [4: 0x7FFF_FFFF_FFFF_FFFF, 5: 0xFFFF_FFFF_FFFF_FFFF, 6: 0x0000_0000_0000_0001, 7: 0x0000_0000_0000_00FF], expect: [2: 0xFFFF_FFFF_FFFF_FFFE, 3: 0x8000_0000_0000_0000], fpscrAfter: 0x0000_0000)
    }

    func testMaxMinAndAbsoluteDifference() {
        // vmax.s8 d0, d1, d2
        check(0xF201_0602, [1: 0x7F80_0001_FF00_0505, 2: 0x807F_00FF_0000_0506], expect: [0: 0x7F7F_0001_0000_0506], fpscrAfter: 0x0000_0000)
        // vmin.u16 d0, d1, d2
        check(0xF311_0612, [1: 0x7FFF_8000_0001_FFFF, 2: 0x8000_7FFF_FFFF_0000], expect: [0: 0x7FFF_7FFF_0001_0000], fpscrAfter: 0x0000_0000)
        // vmax.u32 q0, q1, q2
        check(0xF322_0644, [2: 0x8000_0000_0000_0001, 3: 0x0000_0000_0000_0005, 4: 0x7FFF_FFFF_0000_0002, 5: 0x0000_0000_0000_0006], expect: [0: 0x8000_0000_0000_0002, 1: 0x0000_0000_0000_0006], fpscrAfter: 0x0000_0000)
        // vmin.s32 d0, d1, d2
        check(0xF221_0612, [1: 0x8000_0000_0000_0001, 2: 0x7FFF_FFFF_0000_0002], expect: [0: 0x8000_0000_0000_0001], fpscrAfter: 0x0000_0000)
        // vabd.s8 d0, d1, d2
        check(0xF201_0702, [1: 0x7F80_0001_FF00_0505, 2: 0x807F_00FF_0000_0506], expect: [0: 0xFFFF_0002_0100_0001], fpscrAfter: 0x0000_0000)
        // vabd.u32 d0, d1, d2
        check(0xF321_0702, [1: 0x0000_0001_FFFF_FFFF, 2: 0xFFFF_FFFF_0000_0000], expect: [0: 0xFFFF_FFFE_FFFF_FFFF], fpscrAfter: 0x0000_0000)
        // vaba.s16 d0, d1, d2
        check(0xF211_0712, [0: 0xFFFF_0001_0010_0000, 1: 0x7FFF_8000_0005_0001, 2: 0x8000_7FFF_FFFB_0002], expect: [0: 0xFFFE_0000_001A_0001], fpscrAfter: 0x0000_0000)
        // vaba.u8 q0, q1, q2
        check(0xF302_0754, [0: 0xFF01_0203_0405_0607, 1: 0x0000_0000_0000_0010, 2: 0x00FF_1020_3040_5060, 3: 0x0000_0000_0000_0020, 4: 0xFF00_2010_4030_6050, 5: 0x0000_0000_0000_0005], expect: [0: 0xFE00_1213_1415_1617, 1: 0x0000_0000_0000_002B], fpscrAfter: 0x0000_0000)
    }

    func testAddSubtractWrapEverySize() {
        // vadd.i8 d0, d1, d2
        check(0xF201_0802, [1: 0xFF80_7F01_0203_0405, 2: 0x0180_0101_FFFE_FDFC], expect: [0: 0x0000_8002_0101_0101], fpscrAfter: 0x0000_0000)
        // vadd.i16 d0, d1, d2
        check(0xF211_0802, [1: 0xFFFF_8000_7FFF_0001, 2: 0x0001_8000_0001_FFFF], expect: [0: 0x0000_0000_8000_0000], fpscrAfter: 0x0000_0000)
        // vadd.i32 q0, q1, q2
        check(0xF222_0844, [2: 0xFFFF_FFFF_8000_0000, 3: 0x0000_0000_0000_0007, 4: 0x0000_0001_8000_0000, 5: 0xFFFF_FFFF_FFFF_FFFF], expect: [0: 0x0000_0000_0000_0000, 1: 0xFFFF_FFFF_0000_0006], fpscrAfter: 0x0000_0000)
        // vadd.i64 d0, d1, d2
        check(0xF231_0802, [1: 0xFFFF_FFFF_FFFF_FFFF, 2: 0x0000_0000_0000_0002], expect: [0: 0x0000_0000_0000_0001], fpscrAfter: 0x0000_0000)
        // vsub.i8 d0, d1, d2
        check(0xF301_0802, [1: 0x0080_7F01_0203_0405, 2: 0x0101_FF02_FFFE_FDFC], expect: [0: 0xFF7F_80FF_0305_0709], fpscrAfter: 0x0000_0000)
        // vsub.i16 d0, d1, d2
        check(0xF311_0802, [1: 0x0000_8000_7FFF_0001, 2: 0x0001_0001_FFFF_0002], expect: [0: 0xFFFF_7FFF_8000_FFFF], fpscrAfter: 0x0000_0000)
        // vsub.i32 d0, d1, d2
        check(0xF321_0802, [1: 0x0000_0000_8000_0000, 2: 0x0000_0001_0000_0001], expect: [0: 0xFFFF_FFFF_7FFF_FFFF], fpscrAfter: 0x0000_0000)
        // vsub.i64 q0, q1, q2
        check(0xF332_0844, [2: 0x0000_0000_0000_0000, 3: 0x8000_0000_0000_0000, 4: 0x0000_0000_0000_0001, 5: 0x0000_0000_0000_0001], expect: [0: 0xFFFF_FFFF_FFFF_FFFF, 1: 0x7FFF_FFFF_FFFF_FFFF], fpscrAfter: 0x0000_0000)
    }

    func testIntegerAndPolynomialMultiply() {
        // vmul.i8 d0, d1, d2
        check(0xF201_0912, [1: 0xFF80_1011_0203_0F10, 2: 0xFF02_1011_0405_1111], expect: [0: 0x0100_0021_080F_FF10], fpscrAfter: 0x0000_0000)
        // vmul.i16 q0, q1, q2
        check(0xF212_0954, [2: 0xFFFF_8000_1234_0100, 3: 0x0000_0000_7FFF_0002, 4: 0xFFFF_0002_0010_0100, 5: 0x0000_0000_7FFF_8000], expect: [0: 0x0001_0000_2340_0000, 1: 0x0000_0000_0001_0000], fpscrAfter: 0x0000_0000)
        // vmul.i32 d0, d1, d2
        check(0xF221_0912, [1: 0x8000_0001_0001_0000, 2: 0x0000_0003_0001_0001], expect: [0: 0x8000_0003_0001_0000], fpscrAfter: 0x0000_0000)
        // vmul.p8 d0, d1, d2
        check(0xF301_0912, [1: 0xFF80_0302_0FFF_5503, 2: 0xFF02_0303_F00F_AA03], expect: [0: 0x5500_0506_5005_2205], fpscrAfter: 0x0000_0000)
        // vmla.i16 d0, d1, d2
        check(0xF211_0902, [0: 0x0001_FFFF_0010_1000, 1: 0x0002_0003_8000_0100, 2: 0xFFFF_0005_0002_0100], expect: [0: 0xFFFF_000E_0010_1000], fpscrAfter: 0x0000_0000)
        // vmls.i32 q0, q1, q2
        check(0xF322_0944, [0: 0x0000_0000_0000_0005, 1: 0x0000_0000_0000_0007, 2: 0x0000_0002_0000_0003, 3: 0x0000_0000_8000_0000, 4: 0x0000_0003_0000_0002, 5: 0x0000_0000_0000_0002], expect: [0: 0xFFFF_FFFA_FFFF_FFFF, 1: 0x0000_0000_0000_0007], fpscrAfter: 0x0000_0000)
        // vmla.i8 d0, d0, d0
        check(0xF200_0900, [0: 0x0102_0310_FF80_7F00], expect: [0: 0x0206_0C10_0080_8000], fpscrAfter: 0x0000_0000)
    }

    func testPairwiseInteger() {
        // vpmax.s8 d0, d1, d2
        check(0xF201_0A02, [1: 0x7F80_0001_FF00_0505, 2: 0x807F_00FF_0000_0506], expect: [0: 0x7F00_0006_7F01_0005], fpscrAfter: 0x0000_0000)
        // vpmin.u16 d0, d1, d2
        check(0xF311_0A12, [1: 0x7FFF_8000_0001_FFFF, 2: 0x8000_7FFF_FFFF_0000], expect: [0: 0x7FFF_0000_7FFF_0001], fpscrAfter: 0x0000_0000)
        // vpmax.u32 d0, d1, d2
        check(0xF321_0A02, [1: 0x8000_0000_0000_0001, 2: 0x7FFF_FFFF_0000_0002], expect: [0: 0x7FFF_FFFF_8000_0000], fpscrAfter: 0x0000_0000)
        // vpadd.i8 d0, d1, d2
        check(0xF201_0B12, [1: 0xFF01_8080_0102_0304, 2: 0x1020_3040_FFFF_7F01], expect: [0: 0x3070_FE80_0000_0307], fpscrAfter: 0x0000_0000)
        // vpadd.i32 d1, d1, d2
        check(0xF221_1B12, [1: 0xFFFF_FFFF_0000_0002, 2: 0x8000_0000_8000_0001], expect: [1: 0x0000_0001_0000_0001], fpscrAfter: 0x0000_0000)
    }

    func testSaturatingDoublingMultiplyHigh() {
        // vqdmulh.s16 d0, d1, d2
        check(0xF211_0B02, [1: 0x8000_8000_4000_7FFF, 2: 0x8000_7FFF_4000_7FFF], expect: [0: 0x7FFF_8001_2000_7FFE], fpscrAfter: 0x0800_0000)
        // vqdmulh.s32 q0, q1, q2
        check(0xF222_0B44, [2: 0x8000_0000_8000_0000, 3: 0x0000_0003_FFFF_FFFF, 4: 0x8000_0000_7FFF_FFFF, 5: 0x4000_0000_0000_0001], expect: [0: 0x7FFF_FFFF_8000_0001, 1: 0x0000_0001_FFFF_FFFF], fpscrAfter: 0x0800_0000)
        // vqrdmulh.s16 d0, d1, d2
        check(0xF311_0B02, [1: 0x8000_0001_4000_FFFF, 2: 0x8000_4000_0001_0001], expect: [0: 0x7FFF_0001_0001_0000], fpscrAfter: 0x0800_0000)
        // vqrdmulh.s32 d0, d1, d2
        check(0xF321_0B02, [1: 0x8000_0000_C000_0000, 2: 0x8000_0000_0000_0001], expect: [0: 0x7FFF_FFFF_0000_0000], fpscrAfter: 0x0800_0000)
    }

    func testFloatArithmetic() {
        // vadd.f32 d0, d1, d2
        check(0xF201_0D02, [1: 0x7F7F_FFFF_3F80_0000, 2: 0x7F7F_FFFF_3380_0000], expect: [0: 0x7F80_0000_3F80_0000], fpscrAfter: 0x0000_0014)
        // vsub.f32 q0, q1, q2
        check(0xF222_0D44, [2: 0x0000_0001_3F80_0000, 3: 0x4000_0000_7F80_0000, 4: 0x0000_0000_3F80_0000, 5: 0x4000_0000_7F80_0000], expect: [0: 0x0000_0000_0000_0000, 1: 0x0000_0000_7FC0_0000], fpscrAfter: 0x0000_0081)
        // vpadd.f32 d0, d1, d2
        check(0xF301_0D02, [1: 0x4000_0000_3F80_0000, 2: 0xFF81_2345_7FC0_0000], expect: [0: 0x7FC0_0000_4040_0000], fpscrAfter: 0x0000_0001)
        // vabd.f32 d0, d1, d2
        check(0xF321_0D02, [1: 0xFF80_0000_3F80_0000, 2: 0x7F80_0000_4040_0000], expect: [0: 0x7F80_0000_4000_0000], fpscrAfter: 0x0000_0000)
        // vmul.f32 d0, d1, d2
        check(0xF301_0D12, [1: 0x0080_0000_7F80_0000, 2: 0x3F00_0000_0000_0000], expect: [0: 0x0000_0000_7FC0_0000], fpscrAfter: 0x0000_0009)
        // vadd.f32 d0, d1, d2
        check(0xF201_0D02, [1: 0x7F80_0001_3F80_0000, 2: 0x3F80_0000_3380_0001], fpscr: 0x00C0_0000, expect: [0: 0x7FC0_0000_3F80_0001], fpscrAfter: 0x00C0_0011)
    }

    func testFloatMultiplyAccumulate() {
        // vmla.f32 d0, d1, d2
        check(0xF201_0D12, [0: 0x3F80_0000_BF80_0000, 1: 0x4000_0000_3F80_0001, 2: 0x4040_0000_3F80_0003], expect: [0: 0x40E0_0000_3500_0000], fpscrAfter: 0x0000_0010)
        // vfma.f32 d0, d1, d2
        check(0xF201_0C12, [0: 0x3F80_0000_BF80_0000, 1: 0x4000_0000_3F80_0001, 2: 0x4040_0000_3F80_0003], expect: [0: 0x40E0_0000_3500_0001], fpscrAfter: 0x0000_0010)
        // vmls.f32 q0, q1, q2
        check(0xF222_0D54, [0: 0x7F80_0000_3F80_0000, 1: 0x8000_0000_0000_0000, 2: 0x7F80_0000_3F80_0001, 3: 0x0000_0000_0000_0001, 4: 0x3F80_0000_3F80_0001, 5: 0x3F80_0000_3F80_0000], expect: [0: 0x7FC0_0000_B480_0000, 1: 0x8000_0000_0000_0000], fpscrAfter: 0x0000_0091)
        // vfms.f32 q0, q1, q2
        check(0xF222_0C54, [0: 0x7F80_0000_3F80_0000, 1: 0x8000_0000_0000_0000, 2: 0x7F80_0000_3F80_0001, 3: 0x0000_0000_0000_0001, 4: 0x3F80_0000_3F80_0001, 5: 0x3F80_0000_3F80_0000], expect: [0: 0x7FC0_0000_B480_0000, 1: 0x8000_0000_0000_0000], fpscrAfter: 0x0000_0091)
        // vfma.f32 d0, d1, d2
        check(0xF201_0C12, [0: 0x7FC0_0000_7F80_0001, 1: 0x7F80_0000_7F80_0000, 2: 0x0000_0000_0000_0000], expect: [0: 0x7FC0_0000_7FC0_0000], fpscrAfter: 0x0000_0001)
    }

    func testFloatComparisons() {
        // vceq.f32 d0, d1, d2
        check(0xF201_0E02, [1: 0x7FC0_0000_0000_0000, 2: 0x7FC0_0000_8000_0001], expect: [0: 0x0000_0000_FFFF_FFFF], fpscrAfter: 0x0000_0080)
        // vceq.f32 d0, d1, d2
        check(0xF201_0E02, [1: 0x7F80_0001_3F80_0000, 2: 0x3F80_0000_3F80_0000], expect: [0: 0x0000_0000_FFFF_FFFF], fpscrAfter: 0x0000_0001)
        // vcge.f32 d0, d1, d2
        check(0xF301_0E02, [1: 0x7FC0_0000_8000_0000, 2: 0x3F80_0000_0000_0000], expect: [0: 0x0000_0000_FFFF_FFFF], fpscrAfter: 0x0000_0001)
        // vcgt.f32 q0, q1, q2
        check(0xF322_0E44, [2: 0xFF80_0000_3F80_0000, 3: 0x0040_0000_4000_0000, 4: 0xFF7F_FFFF_BF80_0000, 5: 0x0000_0000_4000_0000], expect: [0: 0x0000_0000_FFFF_FFFF, 1: 0x0000_0000_0000_0000], fpscrAfter: 0x0000_0080)
        // vacge.f32 d0, d1, d2
        check(0xF301_0E12, [1: 0x3F80_0000_BF80_0000, 2: 0xC000_0000_3F80_0000], expect: [0: 0x0000_0000_FFFF_FFFF], fpscrAfter: 0x0000_0000)
        // vacgt.f32 d0, d1, d2
        check(0xF321_0E12, [1: 0xFF80_0000_C000_0000, 2: 0x7F80_0000_3F80_0000], expect: [0: 0x0000_0000_FFFF_FFFF], fpscrAfter: 0x0000_0000)
    }

    func testFloatMaxMin() {
        // vmax.f32 d0, d1, d2
        check(0xF201_0F02, [1: 0x0000_0000_8000_0000, 2: 0x8000_0000_0000_0000], expect: [0: 0x0000_0000_0000_0000], fpscrAfter: 0x0000_0000)
        // vmin.f32 d0, d1, d2
        check(0xF221_0F02, [1: 0x0000_0000_8000_0000, 2: 0x8000_0000_0000_0000], expect: [0: 0x8000_0000_8000_0000], fpscrAfter: 0x0000_0000)
        // vmax.f32 q0, q1, q2
        check(0xF202_0F44, [2: 0x3F80_0000_7FC0_0000, 3: 0xFF80_0000_8000_0001, 4: 0x7F80_0001_3F80_0000, 5: 0xFF7F_FFFF_BF80_0000], expect: [0: 0x7FC0_0000_7FC0_0000, 1: 0xFF7F_FFFF_8000_0000], fpscrAfter: 0x0000_0081)
        // vmin.f32 d0, d1, d2
        check(0xF221_0F02, [1: 0xFF80_0000_8000_0001, 2: 0xBF80_0000_0000_0000], expect: [0: 0xFF80_0000_8000_0000], fpscrAfter: 0x0000_0080)
        // vpmax.f32 d0, d1, d2
        check(0xF301_0F02, [1: 0x4000_0000_3F80_0000, 2: 0x8000_0000_0000_0000], expect: [0: 0x0000_0000_4000_0000], fpscrAfter: 0x0000_0000)
        // vpmin.f32 d0, d1, d2
        check(0xF321_0F02, [1: 0x4000_0000_3F80_0000, 2: 0x8000_0000_0000_0000], expect: [0: 0x8000_0000_3F80_0000], fpscrAfter: 0x0000_0000)
    }

    func testReciprocalAndSquareRootSteps() {
        // vrecps.f32 d0, d1, d2
        check(0xF201_0F12, [1: 0x0000_0001_7F80_0000, 2: 0xFF80_0000_8000_0000], expect: [0: 0x4000_0000_4000_0000], fpscrAfter: 0x0000_0080)
        // vrecps.f32 d0, d1, d2
        check(0xF201_0F12, [1: 0x7F80_0000_3F80_0000, 2: 0x3F80_0000_3FC0_0000], expect: [0: 0xFF80_0000_3F00_0000], fpscrAfter: 0x0000_0000)
        // vrsqrts.f32 d0, d1, d2
        check(0xF221_0F12, [1: 0x0000_0001_7F80_0000, 2: 0xFF80_0000_0000_0000], expect: [0: 0x3FC0_0000_3FC0_0000], fpscrAfter: 0x0000_0080)
        // vrsqrts.f32 q0, q1, q2
        check(0xF222_0F54, [2: 0x4000_0000_3F80_0000, 3: 0xFF80_0000_7FC0_0000, 4: 0x4000_0000_3FC0_0000, 5: 0x3F80_0000_3F80_0000], expect: [0: 0xBF00_0000_3F40_0000, 1: 0x7F80_0000_7FC0_0000], fpscrAfter: 0x0000_0000)
    }

    func testUndefinedEncodings() {
        // vhadd size 11
        undefined(0xF230_0002)
        // Q with Vn = d3 (odd)
        undefined(0xF203_0044)
        // vmul.p16
        undefined(0xF311_0912)
        // vmul size 11
        undefined(0xF230_0912)
        // vadd.f32 with sz = 1
        undefined(0xF211_0D02)
        // vpadd.i8 with Q = 1
        undefined(0xF200_0B50)
        // U=1 A=1011 B=1
        undefined(0xF310_0B10)
        // vqdmulh size 00
        undefined(0xF201_0B02)
        // A=1100 B=0
        undefined(0xF200_0C02)
        // vmul.f32 op=1
        undefined(0xF320_0D12)
        // vceq.f32 op=1
        undefined(0xF220_0E02)
        // A=1110 B=1 U=0
        undefined(0xF200_0E12)
        // A=1111 B=1 U=1
        undefined(0xF300_0F12)
        // vpadd.f32 with Q = 1
        undefined(0xF300_0D40)
    }

    /// The T32 forms (111U1111... and 11111111 1000... for the shift and
    /// immediate groups) reach the same groups: encodings from
    /// arm-linux-gnueabihf-as -mthumb, expected values those qemu-arm gave for
    /// the A32 forms above.
    func testThumbEncodings() {
        // vqadd.u16 d0, d1, d2
        check(0xFF11_0012, [1: 0xFFFF_8000_0001_0000, 2: 0x0001_8000_FFFE_0000], thumb: true,
              expect: [0: 0xFFFF_FFFF_FFFF_0000], fpscrAfter: 0x0800_0000)
        // vmax.f32 q0, q1, q2
        check(0xEF02_0F44, [2: 0x3F80_0000_7FC0_0000, 3: 0xFF80_0000_8000_0001, 4: 0x7F80_0001_3F80_0000, 5: 0xFF7F_FFFF_BF80_0000],
              thumb: true, expect: [0: 0x7FC0_0000_7FC0_0000, 1: 0xFF7F_FFFF_8000_0000], fpscrAfter: 0x0000_0081)
        // vshr.u8 d0, d1, #3
        check(0xFF8D_0011, [1: 0x80FF_7F01_8040_2010], thumb: true, expect: [0: 0x101F_0F00_1008_0402], fpscrAfter: 0x0000_0000)
        // vmov.i32 q0, #0xab000000
        check(0xFF82_065B, [:], thumb: true, expect: [0: 0xAB00_0000_AB00_0000, 1: 0xAB00_0000_AB00_0000], fpscrAfter: 0x0000_0000)
    }
}
