import XCTest
@testable import ARMv7

/// Advanced SIMD one register and a modified immediate (ARM ARM A7.4.6):
/// each cmode of AdvSIMDExpandImm for VMOV and VMVN (including the byte
/// mask of cmode 1110 op 1 and the single-precision constant of cmode
/// 1111), VORR and VBIC, and the UNDEFINED encodings. Every expected value
/// was printed by qemu-arm -cpu cortex-a15 running the same instruction.
final class NEONModifiedImmediateTests: NEONGroupTestCase {
    func testMoveAndInvertImmediates() {
        // vmov.i32 q0, #0xab000000
        check(0xF382_065B, [:], expect: [0: 0xAB00_0000_AB00_0000, 1: 0xAB00_0000_AB00_0000], fpscrAfter: 0x0000_0000)
        // vmov.i32 d0, #0x00ab0000
        check(0xF382_041B, [:], expect: [0: 0x00AB_0000_00AB_0000], fpscrAfter: 0x0000_0000)
        // vmov.i32 d0, #0x0000ab00
        check(0xF382_021B, [:], expect: [0: 0x0000_AB00_0000_AB00], fpscrAfter: 0x0000_0000)
        // vmov.i32 d0, #0x000000ab
        check(0xF382_001B, [:], expect: [0: 0x0000_00AB_0000_00AB], fpscrAfter: 0x0000_0000)
        // vmov.i16 d0, #0xab00
        check(0xF382_0A1B, [:], expect: [0: 0xAB00_AB00_AB00_AB00], fpscrAfter: 0x0000_0000)
        // vmov.i16 d0, #0x00ab
        check(0xF382_081B, [:], expect: [0: 0x00AB_00AB_00AB_00AB], fpscrAfter: 0x0000_0000)
        // vmov.i32 d0, #0x0000abff
        check(0xF382_0C1B, [:], expect: [0: 0x0000_ABFF_0000_ABFF], fpscrAfter: 0x0000_0000)
        // vmov.i32 d0, #0x00abffff
        check(0xF382_0D1B, [:], expect: [0: 0x00AB_FFFF_00AB_FFFF], fpscrAfter: 0x0000_0000)
        // vmov.i8 d0, #0xab
        check(0xF382_0E1B, [:], expect: [0: 0xABAB_ABAB_ABAB_ABAB], fpscrAfter: 0x0000_0000)
        // vmov.i64 q1, #0xff00ff00ff0000ff
        check(0xF382_2E79, [:], expect: [2: 0xFF00_FF00_FF00_00FF, 3: 0xFF00_FF00_FF00_00FF], fpscrAfter: 0x0000_0000)
        // vmov.f32 d0, #-1.5
        check(0xF387_0F18, [:], expect: [0: 0xBFC0_0000_BFC0_0000], fpscrAfter: 0x0000_0000)
        // vmov.f32 d0, #31.0
        check(0xF283_0F1F, [:], expect: [0: 0x41F8_0000_41F8_0000], fpscrAfter: 0x0000_0000)
        // vmov.f32 q15, #0.125
        check(0xF2C4_EF50, [:], expect: [30: 0x3E00_0000_3E00_0000, 31: 0x3E00_0000_3E00_0000], fpscrAfter: 0x0000_0000)
        // vmvn.i32 d0, #0xab000000
        check(0xF382_063B, [:], expect: [0: 0x54FF_FFFF_54FF_FFFF], fpscrAfter: 0x0000_0000)
        // vmvn.i16 d0, #0x00ab
        check(0xF382_083B, [:], expect: [0: 0xFF54_FF54_FF54_FF54], fpscrAfter: 0x0000_0000)
        // vmvn.i32 d0, #0x0000abff
        check(0xF382_0C3B, [:], expect: [0: 0xFFFF_5400_FFFF_5400], fpscrAfter: 0x0000_0000)
        // vmvn.i32 d0, #0x00abffff
        check(0xF382_0D3B, [:], expect: [0: 0xFF54_0000_FF54_0000], fpscrAfter: 0x0000_0000)
    }

    func testOrAndBitClearImmediates() {
        // vorr.i32 d0, #0x00ab0000
        check(0xF382_051B, [0: 0x0102_0304_0506_0708], expect: [0: 0x01AB_0304_05AF_0708], fpscrAfter: 0x0000_0000)
        // vorr.i16 q0, #0xab00
        check(0xF382_0B5B, [0: 0x0102_0304_0506_0708, 1: 0x1111_2222_3333_4444], expect: [0: 0xAB02_AB04_AF06_AF08, 1: 0xBB11_AB22_BB33_EF44], fpscrAfter: 0x0000_0000)
        // vbic.i32 d0, #0x000000ff
        check(0xF387_013F, [0: 0x0102_0304_0506_0708], expect: [0: 0x0102_0300_0506_0700], fpscrAfter: 0x0000_0000)
        // vbic.i16 d17, #0xff00
        check(0xF3C7_1B3F, [17: 0xFFFF_FFFF_FFFF_FFFF], expect: [17: 0x00FF_00FF_00FF_00FF], fpscrAfter: 0x0000_0000)
    }

    func testUndefinedEncodings() {
        // cmode 1111 with op 1
        undefined(0xF280_0F30)
        // Q with Vd odd
        undefined(0xF280_1050)
    }
}
