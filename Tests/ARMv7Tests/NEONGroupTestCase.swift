import XCTest
@testable import ARMv7

/// Base of the Advanced SIMD group tests: runs one A32 instruction at PL1
/// with the VFP and Advanced SIMD enabled, from given D registers (the
/// others zero) and FPSCR, and compares the registers it should write and
/// the FPSCR afterwards (expected values from qemu-arm, see each test).
class NEONGroupTestCase: XCTestCase {
    /// A machine with the instruction at +0x100 and vectors at the RAM base.
    /// A T32 `word` is given as its first halfword in bits 31:16.
    func neonMachine(_ word: UInt32, _ inputs: [Int: UInt64], fpscr: UInt32, thumb: Bool = false) -> TestMachine {
        let t = TestMachine([thumb ? word >> 16 | word << 16 : word], at: 0x100)
        if thumb { t.core.branch(to: TestMachine.ramBase + 0x100, thumb: true) }
        t.core.sys.vbar = TestMachine.ramBase
        t.core.sys.cpacr = 0x00F0_0000
        t.core.fpexc = FPEXCBit.en
        t.core.fpscr = fpscr
        for (i, v) in inputs { t.core.setDReg(i, v) }
        return t
    }

    /// Runs `word` (A32, or T32 with `thumb`); D registers `expect` and the FPSCR must then hold the given values.
    func check(_ word: UInt32, _ inputs: [Int: UInt64], fpscr: UInt32 = 0, thumb: Bool = false,
               expect: [Int: UInt64], fpscrAfter: UInt32, file: StaticString = #filePath, line: UInt = #line) {
        let t = neonMachine(word, inputs, fpscr: fpscr, thumb: thumb)
        t.run(1)
        XCTAssertTrue(t.events.isEmpty, "exception \(t.events)", file: file, line: line)
        for (i, v) in expect.sorted(by: { $0.key < $1.key }) {
            let got = t.core.dReg(i)
            XCTAssertEqual(got, v, "D\(i): 0x\(String(got, radix: 16)) != 0x\(String(v, radix: 16))", file: file, line: line)
        }
        XCTAssertEqual(t.core.fpscr, fpscrAfter, "FPSCR 0x\(String(t.core.fpscr, radix: 16))", file: file, line: line)
    }

    /// `word` must be UNDEFINED (and change no D register).
    func undefined(_ word: UInt32, file: StaticString = #filePath, line: UInt = #line) {
        let pattern: [Int: UInt64] = Dictionary(uniqueKeysWithValues: (0..<32).map { ($0, UInt64($0) &* 0x0101_0101_0101_0101) })
        let t = neonMachine(word, pattern, fpscr: 0)
        t.run(1)
        XCTAssertEqual(t.events.first?.kind, .undefined, "0x\(String(word, radix: 16))", file: file, line: line)
        for i in 0..<32 { XCTAssertEqual(t.core.dReg(i), pattern[i], "D\(i)", file: file, line: line) }
    }
}
