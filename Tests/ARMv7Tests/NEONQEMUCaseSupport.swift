import XCTest
@testable import ARMv7

/// One Advanced SIMD instruction with its starting D registers and FPSCR and
/// the state qemu-arm (`-cpu cortex-a15`) left after running it: registers
/// not listed start as 0, and every register the instruction did not change
/// is omitted from `output`. Rows are made by running the instruction under
/// qemu-arm and printing the registers, never from this core's output.
struct NEONQEMUCase {
    let asm: String
    let word: UInt32
    let fpscr: UInt32
    let input: [Int: UInt64]
    let output: [Int: UInt64]
    let fpscrOut: UInt32
    let undefined: Bool

    init(_ asm: String, _ word: UInt32, fpscr: UInt32 = 0, in input: [Int: UInt64],
         out output: [Int: UInt64], fpscrOut: UInt32) {
        self.asm = asm; self.word = word; self.fpscr = fpscr; self.input = input
        self.output = output; self.fpscrOut = fpscrOut; self.undefined = false
    }

    init(_ asm: String, _ word: UInt32, fpscr: UInt32 = 0, in input: [Int: UInt64], undefined: Bool) {
        self.asm = asm; self.word = word; self.fpscr = fpscr; self.input = input
        self.output = [:]; self.fpscrOut = fpscr; self.undefined = undefined
    }
}

/// Runs each case at PL1 with Advanced SIMD enabled and compares all 32 D
/// registers and the FPSCR (or checks the UNDEFINED exception).
func runNEONQEMUCases(_ cases: [NEONQEMUCase], file: StaticString = #filePath, line: UInt = #line) {
    for c in cases {
        let t = TestMachine([c.word], at: 0x100)
        t.core.sys.vbar = TestMachine.ramBase
        t.core.sys.cpacr = 0x00F0_0000
        t.core.fpexc = FPEXCBit.en
        t.core.fpscr = c.fpscr
        for (r, v) in c.input { t.core.setVFPDouble(r, v) }
        t.run(1)
        if c.undefined {
            XCTAssertEqual(t.events.first?.kind, .undefined, "\(c.asm): expected UNDEFINED", file: file, line: line)
            continue
        }
        XCTAssertTrue(t.events.isEmpty, "\(c.asm): unexpected exception \(t.events)", file: file, line: line)
        XCTAssertEqual(hexWord(t.core.fpscr), hexWord(c.fpscrOut), "\(c.asm): FPSCR", file: file, line: line)
        for r in 0..<32 {
            let expected = c.output[r] ?? c.input[r] ?? 0
            XCTAssertEqual(hexDouble(t.core.vfpDouble(r)), hexDouble(expected), "\(c.asm): D\(r)", file: file, line: line)
        }
    }
}

private func hexWord(_ v: UInt32) -> String { String(format: "0x%08X", v) }
private func hexDouble(_ v: UInt64) -> String { String(format: "0x%016llX", v) }
