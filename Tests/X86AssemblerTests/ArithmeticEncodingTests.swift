import XCTest
import X86Assembler

/// ALU, test, shifts, multiply, bit operations, flags, setcc and cmov, checked by objdump.
final class ArithmeticEncodingTests: XCTestCase {
    func testALURegisterForms() throws {
        try checkEncodings([
            EncodingCase("add eax,ebx") { $0.alu(.add, .dword, .rax, .rbx) },
            EncodingCase("or rcx,rdx") { $0.alu(.or, .qword, .rcx, .rdx) },
            EncodingCase("adc r8,r9") { $0.alu(.adc, .qword, .r8, .r9) },
            EncodingCase("sbb esp,r15d") { $0.alu(.sbb, .dword, .rsp, .r15) },
            EncodingCase("and ax,r10w") { $0.alu(.and, .word, .rax, .r10) },
            EncodingCase("sub r13,rbp") { $0.alu(.sub, .qword, .r13, .rbp) },
            EncodingCase("xor al,sil") { $0.alu(.xor, .byte, .rax, .rsi) },
            EncodingCase("cmp r12b,bl") { $0.alu(.cmp, .byte, .r12, .rbx) },
            EncodingCase("add eax,DWORD PTR [rbx+0x8]") { $0.alu(.add, .dword, .rax, .base(.rbx, 8)) },
            EncodingCase("sub r9,QWORD PTR [rsp+0x100]") { $0.alu(.sub, .qword, .r9, .base(.rsp, 0x100)) },
            EncodingCase("or dl,BYTE PTR [r13+0x0]") { $0.alu(.or, .byte, .rdx, .base(.r13)) },
            EncodingCase("cmp QWORD PTR [r12],rax") { $0.alu(.cmp, .qword, .base(.r12), .rax) },
            EncodingCase("and WORD PTR [rax+rbx*2],r11w") { $0.alu(.and, .word, .baseIndex(.rax, .rbx, scale: 2), .r11) },
            EncodingCase("xor BYTE PTR [rdi],bpl") { $0.alu(.xor, .byte, .base(.rdi), .rbp) },
        ])
    }

    func testALUImmediateForms() throws {
        try checkEncodings([
            EncodingCase("add eax,0x10") { $0.alu(.add, .dword, .rax, imm: 16) },
            EncodingCase("add eax,0x1000") { $0.alu(.add, .dword, .rax, imm: 0x1000) },
            EncodingCase("cmp rax,0xffffffffffffff80") { $0.alu(.cmp, .qword, .rax, imm: -128) },
            EncodingCase("cmp rax,0xffffffffffffff7f") { $0.alu(.cmp, .qword, .rax, imm: -129) },
            EncodingCase("sub r15,0x7f") { $0.alu(.sub, .qword, .r15, imm: 127) },
            EncodingCase("sub r15,0x80") { $0.alu(.sub, .qword, .r15, imm: 128) },
            EncodingCase("or ecx,0x80000000") { $0.alu(.or, .dword, .rcx, imm: Int32.min) },
            EncodingCase("and dil,0xf") { $0.alu(.and, .byte, .rdi, imm: 0xF) },
            EncodingCase("xor r9b,0x80") { $0.alu(.xor, .byte, .r9, imm: -128) },
            EncodingCase("adc dx,0x1234") { $0.alu(.adc, .word, .rdx, imm: 0x1234) },
            EncodingCase("sbb dx,0xfffe") { $0.alu(.sbb, .word, .rdx, imm: -2) },
            EncodingCase("sub rsp,0x8") { $0.alu(.sub, .qword, .rsp, imm: 8) },
            EncodingCase("sub DWORD PTR [rbp+0x0],0x1") { $0.alu(.sub, .dword, .base(.rbp), imm: 1) },
            EncodingCase("add QWORD PTR [r12+0x8],0x12345") { $0.alu(.add, .qword, .base(.r12, 8), imm: 0x12345) },
            EncodingCase("xor BYTE PTR [rax],0x80") { $0.alu(.xor, .byte, .base(.rax), imm: 0x80) },
            EncodingCase("cmp WORD PTR [r8+rcx*4-0x4],0xffff") { $0.alu(.cmp, .word, .baseIndex(.r8, .rcx, scale: 4, -4), imm: -1) },
        ])
    }

    func testTestAndShifts() throws {
        try checkEncodings([
            EncodingCase("test eax,ebx") { $0.test(.dword, .rax, .rbx) },
            EncodingCase("test r8b,r9b") { $0.test(.byte, .r8, .r9) },
            EncodingCase("test sil,sil") { $0.test(.byte, .rsi, .rsi) },
            EncodingCase("test rdx,r14") { $0.test(.qword, .rdx, .r14) },
            EncodingCase("test eax,0x100") { $0.test(.dword, .rax, imm: 0x100) },
            EncodingCase("test r10,0xffffffffffffffff") { $0.test(.qword, .r10, imm: -1) },
            EncodingCase("test bpl,0x1") { $0.test(.byte, .rbp, imm: 1) },
            EncodingCase("test cx,0x8000") { $0.test(.word, .rcx, imm: 0x8000) },
            EncodingCase("test BYTE PTR [rax+0x1],0x1") { $0.test(.byte, .base(.rax, 1), imm: 1) },
            EncodingCase("test DWORD PTR [r13+0x0],0x80000000") { $0.test(.dword, .base(.r13), imm: Int32.min) },
            EncodingCase("shl eax,1") { $0.shift(.shl, .dword, .rax, imm: 1) },
            EncodingCase("sar r10,0x3") { $0.shift(.sar, .qword, .r10, imm: 3) },
            EncodingCase("ror cl,0x4") { $0.shift(.ror, .byte, .rcx, imm: 4) },
            EncodingCase("rol sil,1") { $0.shift(.rol, .byte, .rsi, imm: 1) },
            EncodingCase("rcl r9w,0x2") { $0.shift(.rcl, .word, .r9, imm: 2) },
            EncodingCase("rcr ebx,1") { $0.shift(.rcr, .dword, .rbx, imm: 1) },
            EncodingCase("shr r15d,0x1f") { $0.shift(.shr, .dword, .r15, imm: 31) },
            EncodingCase("shr rdx,cl") { $0.shiftCL(.shr, .qword, .rdx) },
            EncodingCase("sar r11d,cl") { $0.shiftCL(.sar, .dword, .r11) },
            EncodingCase("shl dil,cl") { $0.shiftCL(.shl, .byte, .rdi) },
            EncodingCase("rol ax,cl") { $0.shiftCL(.rol, .word, .rax) },
        ])
    }

    func testUnaryMultiplyAndBits() throws {
        try checkEncodings([
            EncodingCase("not r9") { $0.not(.qword, .r9) },
            EncodingCase("not spl") { $0.not(.byte, .rsp) },
            EncodingCase("neg eax") { $0.neg(.dword, .rax) },
            EncodingCase("neg r8w") { $0.neg(.word, .r8) },
            EncodingCase("mul rcx") { $0.mul(.qword, .rcx) },
            EncodingCase("mul r12d") { $0.mul(.dword, .r12) },
            EncodingCase("imul r11d") { $0.imulWide(.dword, .r11) },
            EncodingCase("div ecx") { $0.div(.dword, .rcx) },
            EncodingCase("idiv r9d") { $0.idiv(.dword, .r9) },
            EncodingCase("div rbx") { $0.div(.qword, .rbx) },
            EncodingCase("cdq") { $0.cdq() },
            EncodingCase("mfence") { $0.mfence() },
            EncodingCase("imul rbx") { $0.imulWide(.qword, .rbx) },
            EncodingCase("imul rax,rbx") { $0.imul(.qword, .rax, .rbx) },
            EncodingCase("imul r8w,r9w") { $0.imul(.word, .r8, .r9) },
            EncodingCase("imul ecx,r13d") { $0.imul(.dword, .rcx, .r13) },
            EncodingCase("bswap eax") { $0.bswap(.dword, .rax) },
            EncodingCase("bswap r13") { $0.bswap(.qword, .r13) },
            EncodingCase("bswap r8d") { $0.bswap(.dword, .r8) },
            EncodingCase("bt eax,0x1f") { $0.bt(.dword, .rax, bit: 31) },
            EncodingCase("bt r14,0x3f") { $0.bt(.qword, .r14, bit: 63) },
            EncodingCase("bt QWORD PTR [rbx+0x8],0x3f") { $0.bt(.qword, .base(.rbx, 8), bit: 63) },
            EncodingCase("bt DWORD PTR [r12],0x0") { $0.bt(.dword, .base(.r12), bit: 0) },
            EncodingCase("bsr eax,ecx") { $0.bsr(.dword, .rax, .rcx) },
            EncodingCase("bsr r10,r11") { $0.bsr(.qword, .r10, .r11) },
            EncodingCase("cmc") { $0.cmc() },
            EncodingCase("stc") { $0.stc() },
            EncodingCase("clc") { $0.clc() },
        ])
    }

    func testSetccAndCmov() throws {
        let names = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"]
        var cases: [EncodingCase] = []
        for c in Condition.allCases {
            let name = names[Int(c.rawValue)]
            cases.append(EncodingCase("set\(name) al") { $0.setcc(c, .rax) })
            cases.append(EncodingCase("cmov\(name) r8,r9") { $0.cmov(c, .qword, .r8, .r9) })
        }
        cases += [
            EncodingCase("setne spl") { $0.setcc(.ne, .rsp) },
            EncodingCase("setb r8b") { $0.setcc(.b, .r8) },
            EncodingCase("setg dil") { $0.setcc(.g, .rdi) },
            EncodingCase("setl bl") { $0.setcc(.l, .rbx) },
            EncodingCase("setae BYTE PTR [rbx+0x50]") { $0.setcc(.ae, .base(.rbx, 0x50)) },
            EncodingCase("setb BYTE PTR [r13+0x0]") { $0.setcc(.b, .base(.r13)) },
            EncodingCase("cmove eax,ebx") { $0.cmov(.e, .dword, .rax, .rbx) },
            EncodingCase("cmovl r12w,ax") { $0.cmov(.l, .word, .r12, .rax) },
        ]
        try checkEncodings(cases)
    }
}
