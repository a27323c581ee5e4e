// Not built: copy into Tests/ARMv7Tests/ to compare a random.txt from
// random-loadstore.py or random-transfer.py with this model (interpreter,
// with and without the buffer's page in the software TLB). Prints each
// mismatch; the two known kinds are listed in README.md.
import XCTest
@testable import ARMv7

final class NEONRandomOracleComparison: XCTestCase {
    func testCompareRandomCases() throws {
        let base = TestMachine.ramBase
        let buffer = base + 0x800
        let text = try String(contentsOfFile: "random.txt", encoding: .utf8)
        var mismatches = 0
        func hex(_ v: UInt64, _ w: Int) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        func initialD(_ k: Int) -> UInt64 {
            (0..<8).reduce(UInt64(0)) { $0 | UInt64((0x80 + 8 * k + $1) & 0xFF) << UInt64(8 * $1) }
        }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
            let word = UInt32(parts[0], radix: 16)!, offset = Int(parts[1])!, be = parts[2] == "1"
            for warm in [false, true] {
                let words: [UInt32] = (be ? [0xF101_0200] : []) + (warm ? [0xE590_3000] : []) + [word]
                let t = TestMachine(words, at: 0x100, stopOn: { _ in true })
                t.core.sys.vbar = base
                t.core.sys.cpacr = 0x00F0_0000
                t.core.fpexc = FPEXCBit.en
                for j in stride(from: 0, to: 256, by: 4) {
                    t.write([UInt32(j) &* 0x0101_0101 &+ 0x0302_0100], at: buffer + UInt32(j))
                }
                for k in 0..<32 { t.core.setVFPDouble(k, initialD(k)) }
                t.core.setRegister(0, buffer + 64 + UInt32(offset))
                t.core.setRegister(1, 0x40)
                t.core.setRegister(2, 0x18)
                t.run(words.count)
                var changes: [String] = []
                for k in 0..<32 where t.core.vfpDouble(k) != initialD(k) {
                    changes.append("d\(k)=\(hex(t.core.vfpDouble(k), 16))")
                }
                changes.append("r0=+\(Int(Int32(bitPattern: t.core.register(0) &- (buffer + 64))))")
                if t.core.register(1) != 0x40 { changes.append("r1=\(hex(UInt64(t.core.register(1)), 8))") }
                if t.core.register(2) != 0x18 { changes.append("r2=\(hex(UInt64(t.core.register(2)), 8))") }
                for j in stride(from: 0, to: 256, by: 4) {
                    let w = t.word(buffer + UInt32(j)), initial = UInt32(j) &* 0x0101_0101 &+ 0x0302_0100
                    if w != initial { changes.append("m\(j - 64)=\(hex(UInt64(w), 8))") }
                }
                var got = changes.joined(separator: " ")
                if let e = t.events.first {
                    let tag = e.kind == .undefined ? "UNDEF"
                        : e.kind == .dataAbort && t.core.sys.dfsr & 0x40F == 1 ? "BUS" : "\(e.kind)"
                    got = got == "r0=+\(offset)" ? tag : tag + " " + got
                }
                if got != parts[3] {
                    mismatches += 1
                    print("MISMATCH \(hex(UInt64(word), 8)) off \(offset) be \(be) warm \(warm)\n  qemu: \(parts[3])\n  ours: \(got)")
                }
            }
        }
        print("MISMATCHES \(mismatches)")
    }
}
