import XCTest
@testable import ARMv7

/// VEXT, VTBL/VTBX (1–4 register lists, out-of-range indexes, a list past
/// D31, which QEMU makes UNDEFINED) and VDUP (scalar) (ARM ARM A8.8.x).
/// Expected states come from qemu-arm -cpu cortex-a15.
final class NEONExtractTableTests: XCTestCase {
    typealias C = NEONQEMUCase

    func testExtractTableLookupAndDuplicateMatchQEMU() {
        runNEONQEMUCases(Self.rows)
    }

    static let rows: [C] = [
        C("vext.8 d0, d1, d2, #0", 0xF2B10002, in: [1: 0x0706050403020100, 2: 0x1716151413121110],
          out: [0: 0x0706050403020100], fpscrOut: 0x00000000),
        C("vext.8 d0, d1, d2, #3", 0xF2B10302, in: [1: 0x0706050403020100, 2: 0x1716151413121110],
          out: [0: 0x1211100706050403], fpscrOut: 0x00000000),
        C("vext.8 d0, d1, d2, #7", 0xF2B10702, in: [1: 0x0706050403020100, 2: 0x1716151413121110],
          out: [0: 0x1615141312111007], fpscrOut: 0x00000000),
        C("vext.8 d1, d1, d1, #5", 0xF2B11501, in: [1: 0x0706050403020100],
          out: [1: 0x0403020100070605], fpscrOut: 0x00000000),
        C("vext.8 q0, q1, q2, #0", 0xF2B20044, in: [2: 0x0706050403020100, 3: 0x0F0E0D0C0B0A0908, 4: 0x1716151413121110, 5: 0x1F1E1D1C1B1A1918],
          out: [0: 0x0706050403020100, 1: 0x0F0E0D0C0B0A0908], fpscrOut: 0x00000000),
        C("vext.8 q0, q1, q2, #8", 0xF2B20844, in: [2: 0x0706050403020100, 3: 0x0F0E0D0C0B0A0908, 4: 0x1716151413121110, 5: 0x1F1E1D1C1B1A1918],
          out: [0: 0x0F0E0D0C0B0A0908, 1: 0x1716151413121110], fpscrOut: 0x00000000),
        C("vext.8 q0, q1, q2, #13", 0xF2B20D44, in: [2: 0x0706050403020100, 3: 0x0F0E0D0C0B0A0908, 4: 0x1716151413121110, 5: 0x1F1E1D1C1B1A1918],
          out: [0: 0x14131211100F0E0D, 1: 0x1C1B1A1918171615], fpscrOut: 0x00000000),
        C("vext.8 q1, q2, q1, #3", 0xF2B42342, in: [2: 0x0706050403020100, 3: 0x0F0E0D0C0B0A0908, 4: 0x1716151413121110, 5: 0x1F1E1D1C1B1A1918],
          out: [2: 0x1A19181716151413, 3: 0x0201001F1E1D1C1B], fpscrOut: 0x00000000),
        C("vext.16 q15, q15, q14, #7", 0xF2FEEEEC, in: [28: 0x1716151413121110, 29: 0x1F1E1D1C1B1A1918, 30: 0x0706050403020100, 31: 0x0F0E0D0C0B0A0908],
          out: [30: 0x1514131211100F0E, 31: 0x1D1C1B1A19181716], fpscrOut: 0x00000000),
        C("vext d form with imm4 = 8 (UNDEFINED)", 0xF2B10802, in: [:], undefined: true),
        C("vext q with odd Vm (UNDEFINED)", 0xF2B20343, in: [:], undefined: true),
        C("vext q with odd Vn (UNDEFINED)", 0xF2B10344, in: [:], undefined: true),
        C("vtbl.8 d0, {d1}, d2", 0xF3B10802, in: [1: 0x0706050403020100, 2: 0x0008FF0701020304],
          out: [0: 0x0000000701020304], fpscrOut: 0x00000000),
        C("vtbl.8 d0, {d1, d2}, d3", 0xF3B10903, in: [0: 0xAAAAAAAAAAAAAAAA, 1: 0x0706050403020100, 2: 0x1716151413121110, 3: 0x100F10087F000908],
          out: [0: 0x0017001000001110], fpscrOut: 0x00000000),
        C("vtbl.8 d0, {d1, d2, d3}, d4", 0xF3B10A04, in: [1: 0x0706050403020100, 2: 0x1716151413121110, 3: 0x2726252423222120, 4: 0x1718191A0F10FF17],
          out: [0: 0x2700000017200027], fpscrOut: 0x00000000),
        C("vtbl.8 d0, {d1, d2, d3, d4}, d0", 0xF3B10B00, in: [0: 0x1F20FF3F401F0800, 1: 0x0706050403020100, 2: 0x1716151413121110, 3: 0x2726252423222120, 4: 0x3736353433323130],
          out: [0: 0x3700000000371000], fpscrOut: 0x00000000),
        C("vtbx.8 d0, {d1}, d2", 0xF3B10842, in: [0: 0xAAAAAAAAAAAAAAAA, 1: 0x0706050403020100, 2: 0x0008FF0701020304],
          out: [0: 0x00AAAA0701020304], fpscrOut: 0x00000000),
        C("vtbx.8 d0, {d1, d2}, d3", 0xF3B10943, in: [0: 0xAAAAAAAAAAAAAAAA, 1: 0x0706050403020100, 2: 0x1716151413121110, 3: 0x100F10087F000908],
          out: [0: 0xAA17AA10AA001110], fpscrOut: 0x00000000),
        C("vtbx.8 d5, {d4, d5, d6, d7}, d5", 0xF3B45B45, in: [4: 0x0706050403020100, 5: 0x1F20FF3F401F0800, 6: 0x2726252423222120, 7: 0x3736353433323130],
          out: [5: 0x3720FF3F40370000], fpscrOut: 0x00000000),
        C("vtbl.8 d0, {d29, d30, d31}, d1", 0xF3BD0A81, in: [1: 0x1718191A0F10FF17, 29: 0x0706050403020100, 30: 0x1716151413121110, 31: 0x2726252423222120],
          out: [0: 0x2700000017200027], fpscrOut: 0x00000000),
        C("vtbl.8 d16, {d31, d0, d1}, d1: list past D31 (UNPREDICTABLE, QEMU: UNDEFINED)", 0xF3FF0A81, in: [:], undefined: true),
        C("vtbl.8 d16, {d30-d33}, d1: list past D31 (UNPREDICTABLE, QEMU: UNDEFINED)", 0xF3FE0B81, in: [:], undefined: true),
        C("vtbx.8 d16, {d31}, d1", 0xF3FF08C1, in: [1: 0x0008FF0701020304, 16: 0xAAAAAAAAAAAAAAAA, 31: 0x0706050403020100],
          out: [16: 0x00AAAA0701020304], fpscrOut: 0x00000000),
        C("vdup.8 d0, d1[0]", 0xF3B10C01, in: [1: 0x0706050403020180],
          out: [0: 0x8080808080808080], fpscrOut: 0x00000000),
        C("vdup.8 q0, d1[7]", 0xF3BF0C41, in: [1: 0x8706050403020180],
          out: [0: 0x8787878787878787, 1: 0x8787878787878787], fpscrOut: 0x00000000),
        C("vdup.16 d0, d1[3]", 0xF3BE0C01, in: [1: 0x8706050403020180],
          out: [0: 0x8706870687068706], fpscrOut: 0x00000000),
        C("vdup.16 q8, d31[1]", 0xF3F60C6F, in: [31: 0x8706050403020180],
          out: [16: 0x0302030203020302, 17: 0x0302030203020302], fpscrOut: 0x00000000),
        C("vdup.32 d0, d0[1]", 0xF3BC0C00, in: [0: 0x8706050403020180],
          out: [0: 0x8706050487060504], fpscrOut: 0x00000000),
        C("vdup.32 q1, d2[0]", 0xF3B42C42, in: [2: 0x8706050403020180],
          out: [2: 0x0302018003020180, 3: 0x0302018003020180], fpscrOut: 0x00000000),
        C("vdup scalar with imm4 = 0000 (UNDEFINED)", 0xF3B00C00, in: [:], undefined: true),
        C("vdup scalar with imm4 = 1000 (UNDEFINED)", 0xF3B80C00, in: [:], undefined: true),
        C("vdup.8 q, with odd Vd (UNDEFINED)", 0xF3B11C40, in: [:], undefined: true),
    ]
}
