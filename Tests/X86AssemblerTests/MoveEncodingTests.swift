import XCTest
import X86Assembler

/// mov/movzx/movsx/movsxd/lea and the addressing modes, checked by objdump.
final class MoveEncodingTests: XCTestCase {
    func testRegisterMoves() throws {
        try checkEncodings([
            EncodingCase("mov eax,ebx") { $0.mov(.dword, .rax, .rbx) },
            EncodingCase("mov rax,r15") { $0.mov(.qword, .rax, .r15) },
            EncodingCase("mov r10w,ax") { $0.mov(.word, .r10, .rax) },
            EncodingCase("mov al,bl") { $0.mov(.byte, .rax, .rbx) },
            EncodingCase("mov spl,sil") { $0.mov(.byte, .rsp, .rsi) },
            EncodingCase("mov dil,bpl") { $0.mov(.byte, .rdi, .rbp) },
            EncodingCase("mov r8b,r9b") { $0.mov(.byte, .r8, .r9) },
            EncodingCase("mov r12d,r13d") { $0.mov(.dword, .r12, .r13) },
            EncodingCase("mov rsp,rbp") { $0.mov(.qword, .rsp, .rbp) },
            EncodingCase("movsxd rax,ecx") { $0.movsxd(.rax, .rcx) },
            EncodingCase("movsxd r9,r14d") { $0.movsxd(.r9, .r14) },
            EncodingCase("movsxd rax,DWORD PTR [rbx+0x110]") { $0.movsxd(.rax, .base(.rbx, 0x110)) },
            EncodingCase("movzx r9d,sil") { $0.movzx(.r9, .rsi, from: .byte) },
            EncodingCase("movzx eax,bl") { $0.movzx(.rax, .rbx, from: .byte) },
            EncodingCase("movzx eax,r15w") { $0.movzx(.rax, .r15, from: .word) },
            EncodingCase("movsx ecx,dil") { $0.movsx(.rcx, .rdi, from: .byte) },
            EncodingCase("movsx r8d,r8b") { $0.movsx(.r8, .r8, from: .byte) },
            EncodingCase("movsx edx,ax") { $0.movsx(.rdx, .rax, from: .word) },
        ])
    }

    func testImmediateMoves() throws {
        try checkEncodings([
            EncodingCase("mov eax,0x12345678") { $0.mov(.rax, imm32: 0x1234_5678) },
            EncodingCase("mov r8d,0xffffffff") { $0.mov(.r8, imm32: 0xFFFF_FFFF) },
            EncodingCase("mov edi,0x0") { $0.mov(.rdi, imm32: 0) },
            EncodingCase("mov eax,0x1234") { $0.mov(.rax, imm64: 0x1234) },
            EncodingCase("mov r15d,0xffffffff") { $0.mov(.r15, imm64: 0xFFFF_FFFF) },
            EncodingCase("mov rax,0xfffffffffffffff0") { $0.mov(.rax, imm64: 0xFFFF_FFFF_FFFF_FFF0) },
            EncodingCase("mov r11,0xffffffff80000000") { $0.mov(.r11, imm64: 0xFFFF_FFFF_8000_0000) },
            EncodingCase("movabs rax,0x100000000") { $0.mov(.rax, imm64: 0x1_0000_0000) },
            EncodingCase("movabs r13,0x1122334455667788") { $0.mov(.r13, imm64: 0x1122_3344_5566_7788) },
            EncodingCase("movabs rcx,0xffffffff7fffffff") { $0.mov(.rcx, imm64: 0xFFFF_FFFF_7FFF_FFFF) },
        ])
    }

    func testLoadsAndAddressing() throws {
        try checkEncodings([
            EncodingCase("mov eax,DWORD PTR [rbx+0x10]") { $0.mov(.dword, .rax, .base(.rbx, 0x10)) },
            EncodingCase("mov eax,DWORD PTR [rbx]") { $0.mov(.dword, .rax, .base(.rbx)) },
            EncodingCase("mov rax,QWORD PTR [rcx-0x8]") { $0.mov(.qword, .rax, .base(.rcx, -8)) },
            EncodingCase("mov rdx,QWORD PTR [rsi+0x7f]") { $0.mov(.qword, .rdx, .base(.rsi, 127)) },
            EncodingCase("mov rdx,QWORD PTR [rsi+0x80]") { $0.mov(.qword, .rdx, .base(.rsi, 128)) },
            EncodingCase("mov rdx,QWORD PTR [rsi-0x80]") { $0.mov(.qword, .rdx, .base(.rsi, -128)) },
            EncodingCase("mov rdx,QWORD PTR [rsi-0x81]") { $0.mov(.qword, .rdx, .base(.rsi, -129)) },
            EncodingCase("mov ecx,DWORD PTR [rdi+0x12345678]") { $0.mov(.dword, .rcx, .base(.rdi, 0x1234_5678)) },
            EncodingCase("mov ecx,DWORD PTR [rdi-0x80000000]") { $0.mov(.dword, .rcx, .base(.rdi, Int32.min)) },
            // rsp/r12 bases need a SIB byte.
            EncodingCase("mov eax,DWORD PTR [rsp]") { $0.mov(.dword, .rax, .base(.rsp)) },
            EncodingCase("mov eax,DWORD PTR [rsp+0x8]") { $0.mov(.dword, .rax, .base(.rsp, 8)) },
            EncodingCase("mov r9,QWORD PTR [r12]") { $0.mov(.qword, .r9, .base(.r12)) },
            EncodingCase("mov r9,QWORD PTR [r12+0x1000]") { $0.mov(.qword, .r9, .base(.r12, 0x1000)) },
            // rbp/r13 bases always carry a displacement.
            EncodingCase("mov eax,DWORD PTR [rbp+0x0]") { $0.mov(.dword, .rax, .base(.rbp)) },
            EncodingCase("mov r12,QWORD PTR [r13+0x0]") { $0.mov(.qword, .r12, .base(.r13)) },
            EncodingCase("mov r12,QWORD PTR [r13-0x10]") { $0.mov(.qword, .r12, .base(.r13, -16)) },
            EncodingCase("mov sil,BYTE PTR [rsp]") { $0.mov(.byte, .rsi, .base(.rsp)) },
            EncodingCase("mov al,BYTE PTR [r8+0x1]") { $0.mov(.byte, .rax, .base(.r8, 1)) },
            EncodingCase("mov r15b,BYTE PTR [rax]") { $0.mov(.byte, .r15, .base(.rax)) },
            EncodingCase("mov bx,WORD PTR [rcx+0x2]") { $0.mov(.word, .rbx, .base(.rcx, 2)) },
            EncodingCase("mov r14w,WORD PTR [r14]") { $0.mov(.word, .r14, .base(.r14)) },
            // Base + index * scale.
            EncodingCase("mov eax,DWORD PTR [rax+rcx*4+0x10]") { $0.mov(.dword, .rax, .baseIndex(.rax, .rcx, scale: 4, 0x10)) },
            EncodingCase("mov eax,DWORD PTR [rax+rcx*1]") { $0.mov(.dword, .rax, .baseIndex(.rax, .rcx, scale: 1)) },
            EncodingCase("mov rax,QWORD PTR [rax+r12*8]") { $0.mov(.qword, .rax, .baseIndex(.rax, .r12, scale: 8)) },
            EncodingCase("mov rax,QWORD PTR [r13+rax*2+0x0]") { $0.mov(.qword, .rax, .baseIndex(.r13, .rax, scale: 2)) },
            EncodingCase("mov rax,QWORD PTR [rbp+r15*1+0x0]") { $0.mov(.qword, .rax, .baseIndex(.rbp, .r15, scale: 1)) },
            EncodingCase("mov r10,QWORD PTR [rsp+r9*2-0x1000]") { $0.mov(.qword, .r10, .baseIndex(.rsp, .r9, scale: 2, -0x1000)) },
            EncodingCase("mov r10,QWORD PTR [r12+rbp*8+0x7f]") { $0.mov(.qword, .r10, .baseIndex(.r12, .rbp, scale: 8, 127)) },
        ])
    }

    func testStores() throws {
        try checkEncodings([
            EncodingCase("mov DWORD PTR [rbx+0x10],eax") { $0.mov(.dword, .base(.rbx, 0x10), .rax) },
            EncodingCase("mov QWORD PTR [r12],r8") { $0.mov(.qword, .base(.r12), .r8) },
            EncodingCase("mov WORD PTR [rbp+0x0],si") { $0.mov(.word, .base(.rbp), .rsi) },
            EncodingCase("mov BYTE PTR [rax],dil") { $0.mov(.byte, .base(.rax), .rdi) },
            EncodingCase("mov BYTE PTR [r13+0x100],cl") { $0.mov(.byte, .base(.r13, 0x100), .rcx) },
            EncodingCase("mov BYTE PTR [rsp+rdx*1],r11b") { $0.mov(.byte, .baseIndex(.rsp, .rdx, scale: 1), .r11) },
            EncodingCase("mov DWORD PTR [rax],0x1") { $0.mov(.dword, .base(.rax), imm: 1) },
            EncodingCase("mov BYTE PTR [rax],0xff") { $0.mov(.byte, .base(.rax), imm: -1) },
            EncodingCase("mov WORD PTR [r9+0x2],0x1234") { $0.mov(.word, .base(.r9, 2), imm: 0x1234) },
            EncodingCase("mov QWORD PTR [rax],0xffffffffffffffff") { $0.mov(.qword, .base(.rax), imm: -1) },
            EncodingCase("mov QWORD PTR [rsp+0x8],0x7fffffff") { $0.mov(.qword, .base(.rsp, 8), imm: Int32.max) },
        ])
    }

    func testLea() throws {
        try checkEncodings([
            EncodingCase("lea rax,[rbx+rcx*8+0x10]") { $0.lea(.qword, .rax, .baseIndex(.rbx, .rcx, scale: 8, 0x10)) },
            EncodingCase("lea r8d,[r12+0x10]") { $0.lea(.dword, .r8, .base(.r12, 0x10)) },
            EncodingCase("lea rsp,[rsp-0x1000]") { $0.lea(.qword, .rsp, .base(.rsp, -0x1000)) },
            EncodingCase("lea ecx,[r13+r14*4+0x0]") { $0.lea(.dword, .rcx, .baseIndex(.r13, .r14, scale: 4)) },
        ])
    }
}
