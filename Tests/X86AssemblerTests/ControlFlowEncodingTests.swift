import XCTest
import X86Assembler

/// Jumps, labels, calls, stack, traps and padding, checked by objdump.
final class ControlFlowEncodingTests: XCTestCase {
    func testLabels() throws {
        let names = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"]
        var cases: [EncodingCase] = [
            EncodingCase("jmp {6}", "int3") {
                let l = $0.newLabel()
                $0.jmp(l)
                $0.int3()
                $0.bind(l)
            },
            EncodingCase("nop", "jne {0}") {
                let l = $0.newLabel()
                $0.bind(l)
                $0.nop(1)
                $0.jcc(.ne, l)
            },
            EncodingCase("jmp {0}") {
                let l = $0.newLabel()
                $0.bind(l)
                $0.jmp(l)
            },
            EncodingCase("je {11}", "jmp {0}", "ret") {
                let top = $0.newLabel(), out = $0.newLabel()
                $0.bind(top)
                $0.jcc(.e, out)
                $0.jmp(top)
                $0.bind(out)
                $0.ret()
            },
        ]
        for c in Condition.allCases {
            cases.append(EncodingCase("j\(names[Int(c.rawValue)]) {6}") {
                let l = $0.newLabel()
                $0.jcc(c, l)
                $0.bind(l)
            })
        }
        try checkEncodings(cases)
    }

    func testIndirectStackAndTraps() throws {
        try checkEncodings([
            EncodingCase("jmp rax") { $0.jmp(.rax) },
            EncodingCase("jmp r11") { $0.jmp(.r11) },
            EncodingCase("jmp QWORD PTR [rax+0x8]") { $0.jmp(.base(.rax, 8)) },
            EncodingCase("jmp QWORD PTR [r12+rcx*8+0x100]") { $0.jmp(.baseIndex(.r12, .rcx, scale: 8, 0x100)) },
            EncodingCase("call r12") { $0.call(.r12) },
            EncodingCase("call rbx") { $0.call(.rbx) },
            EncodingCase("call QWORD PTR [r13+0x0]") { $0.call(.base(.r13)) },
            EncodingCase("call QWORD PTR [rsp]") { $0.call(.base(.rsp)) },
            EncodingCase("movabs r11,0x1122334455667788", "call r11") { $0.callAbsolute(0x1122_3344_5566_7788, scratch: .r11) },
            EncodingCase("mov eax,0x401000", "call rax") { $0.callAbsolute(0x40_1000) },
            EncodingCase("push rbx") { $0.push(.rbx) },
            EncodingCase("push r12") { $0.push(.r12) },
            EncodingCase("pop r15") { $0.pop(.r15) },
            EncodingCase("pop rbp") { $0.pop(.rbp) },
            EncodingCase("ret") { $0.ret() },
            EncodingCase("ud2") { $0.ud2() },
            EncodingCase("int3") { $0.int3() },
        ])
    }

    func testNopsAndAlignment() throws {
        try checkEncodings([
            EncodingCase("nop") { $0.nop(1) },
            EncodingCase("xchg ax,ax") { $0.nop(2) },
            EncodingCase("nop DWORD PTR [rax]") { $0.nop(3) },
            EncodingCase("nop DWORD PTR [rax+0x0]") { $0.nop(4) },
            EncodingCase("nop DWORD PTR [rax+rax*1+0x0]") { $0.nop(5) },
            EncodingCase("nop WORD PTR [rax+rax*1+0x0]") { $0.nop(6) },
            EncodingCase("nop DWORD PTR [rax+0x0]") { $0.nop(7) },
            EncodingCase("nop DWORD PTR [rax+rax*1+0x0]") { $0.nop(8) },
            EncodingCase("nop WORD PTR [rax+rax*1+0x0]") { $0.nop(9) },
            EncodingCase("nop WORD PTR [rax+rax*1+0x0]", "nop DWORD PTR [rax]") { $0.nop(12) },
            EncodingCase("int3", "nop WORD PTR [rax+rax*1+0x0]", "nop WORD PTR [rax+rax*1+0x0]") {
                $0.int3()
                $0.align(16)
            },
            EncodingCase("ret") {
                $0.ret()
                $0.align(1)
            },
            // E9 at offset 3 puts the rel32 field at offset 4.
            EncodingCase("int3", "xchg ax,ax", "jmp {8}") {
                $0.int3()
                $0.jmpRel32Patchable()
            },
            EncodingCase("nop DWORD PTR [rax]", "jmp {8}") {
                $0.nop(3)
                $0.jmpRel32Patchable()
            },
        ])
    }

    func testPatchableJumpFieldIsAligned() throws {
        for prefix in 0..<8 {
            var a = X86Assembler()
            a.nop(prefix)
            let field = a.jmpRel32Patchable()
            XCTAssertEqual(field % 4, 0)
            XCTAssertEqual(a.offset, field + 4)
            let code = try a.finish()
            XCTAssertEqual(code[field - 1], 0xE9)
            XCTAssertEqual(Array(code[field...]), [0, 0, 0, 0])
        }
    }

    func testExternalCallShortJumpAndData() throws {
        try checkEncodings([
            // A zero displacement reaches the next instruction until placed.
            EncodingCase("call {5}") { $0.callRel32External() },
            EncodingCase("jmp {6}", "int3", "int3", "int3", "int3") {
                $0.jmpShort(over: 4)
                $0.data32(0xCCCC_CCCC)
            },
            EncodingCase("jmp {2}") { $0.jmpShort(over: 0) },
        ])
        var a = X86Assembler()
        a.nop(2)
        XCTAssertEqual(a.callRel32External(), 3)
        a.data32(0x1122_3344)
        XCTAssertEqual(try a.finish().suffix(4), [0x44, 0x33, 0x22, 0x11])
        var b = X86Assembler()
        b.jmpShort(over: 200)
        XCTAssertThrowsError(try b.finish())
    }

    func testRel32Helper() {
        XCTAssertEqual(X86Assembler.rel32(from: 4, to: 0), -8)
        XCTAssertEqual(X86Assembler.rel32(from: 0, to: 4), 0)
        XCTAssertEqual(X86Assembler.rel32(from: 0, to: 4 + Int(Int32.max)), Int32.max)
        XCTAssertNil(X86Assembler.rel32(from: 0, to: 5 + Int(Int32.max)))
        XCTAssertEqual(X86Assembler.rel32(from: Int(Int32.max) - 3, to: 0), Int32.min)
        XCTAssertNil(X86Assembler.rel32(from: Int(Int32.max) - 2, to: 0))
        XCTAssertNil(X86Assembler.rel32(from: Int.max - 2, to: 0))
    }
}
