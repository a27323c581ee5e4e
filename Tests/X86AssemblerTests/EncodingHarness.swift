import XCTest
@testable import X86Assembler

/// One table entry: code to emit and the instructions objdump should see.
/// In `expected`, `{N}` stands for the address N bytes into this entry
/// (objdump prints jump targets as absolute addresses).
struct EncodingCase {
    let expected: [String]
    let emit: (inout X86Assembler) -> Void
    let line: UInt

    init(_ expected: String..., line: UInt = #line, emit: @escaping (inout X86Assembler) -> Void) {
        self.expected = expected
        self.emit = emit
        self.line = line
    }
}

extension XCTestCase {
    /// Assembles every case separately, concatenates the results, runs
    /// objdump once, and checks that each case starts on an instruction
    /// boundary, decodes to exactly its expected text and ends where the
    /// next case begins.
    func checkEncodings(_ cases: [EncodingCase], file: StaticString = #filePath) throws {
        var blob: [UInt8] = []
        var starts: [Int] = []
        for c in cases {
            var a = X86Assembler()
            c.emit(&a)
            let code: [UInt8]
            do {
                code = try a.finish()
            } catch {
                XCTFail("assembling failed: \(error)", file: file, line: c.line)
                code = []
            }
            starts.append(blob.count)
            blob += code
        }
        let decoded = try Disassembler.disassemble(blob)
        let indexByAddress = Dictionary(decoded.enumerated().map { ($1.address, $0) },
                                        uniquingKeysWith: { first, _ in first })
        for (n, c) in cases.enumerated() {
            let base = starts[n]
            let end = n + 1 < starts.count ? starts[n + 1] : blob.count
            guard let first = indexByAddress[base] else {
                XCTFail("no instruction starts at 0x\(String(base, radix: 16)); expected \(c.expected)",
                        file: file, line: c.line)
                continue
            }
            let got = decoded[first..<min(first + c.expected.count, decoded.count)].map(\.text)
            let want = c.expected.map { substituteTargets($0, base: base) }
            XCTAssertEqual(got, want, file: file, line: c.line)
            let next = first + c.expected.count
            let nextAddress = next < decoded.count ? decoded[next].address : blob.count
            XCTAssertEqual(nextAddress, end, "case ends at the wrong offset (length mismatch): \(want)",
                           file: file, line: c.line)
        }
    }

    private func substituteTargets(_ s: String, base: Int) -> String {
        var out = ""
        var rest = Substring(s)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}"),
              let n = Int(rest[rest.index(after: open)..<close]) {
            out += rest[..<open]
            out += "0x" + String(base + n, radix: 16)
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
