import XCTest
import X86Assembler

/// SSE/SSE2 moves and scalar arithmetic, checked by objdump.
final class SSEEncodingTests: XCTestCase {
    func testMoves() throws {
        try checkEncodings([
            EncodingCase("movsd xmm0,QWORD PTR [rax]") { $0.movsd(.xmm0, .base(.rax)) },
            EncodingCase("movsd xmm9,QWORD PTR [r12+0x8]") { $0.movsd(.xmm9, .base(.r12, 8)) },
            EncodingCase("movsd QWORD PTR [r12+0x8],xmm9") { $0.movsd(.base(.r12, 8), .xmm9) },
            EncodingCase("movsd QWORD PTR [rax+r8*8],xmm1") { $0.movsd(.baseIndex(.rax, .r8, scale: 8), .xmm1) },
            EncodingCase("movss xmm15,DWORD PTR [rbp+0x0]") { $0.movss(.xmm15, .base(.rbp)) },
            EncodingCase("movss DWORD PTR [rsp+0x200],xmm7") { $0.movss(.base(.rsp, 0x200), .xmm7) },
            EncodingCase("movaps xmm0,xmm8") { $0.movaps(.xmm0, .xmm8) },
            EncodingCase("movq xmm1,rax") { $0.movq(.xmm1, .rax) },
            EncodingCase("movq xmm12,r9") { $0.movq(.xmm12, .r9) },
            EncodingCase("movq r8,xmm10") { $0.movq(.r8, .xmm10) },
            EncodingCase("movq rdx,xmm3") { $0.movq(.rdx, .xmm3) },
            EncodingCase("movd xmm2,ecx") { $0.movd(.xmm2, .rcx) },
            EncodingCase("movd xmm11,r14d") { $0.movd(.xmm11, .r14) },
            EncodingCase("movd eax,xmm12") { $0.movd(.rax, .xmm12) },
            EncodingCase("movdqu xmm3,XMMWORD PTR [rsi]") { $0.movdqu(.xmm3, .base(.rsi)) },
            EncodingCase("movdqu xmm14,XMMWORD PTR [r13+0x10]") { $0.movdqu(.xmm14, .base(.r13, 0x10)) },
            EncodingCase("movdqu XMMWORD PTR [rdi+0x10],xmm8") { $0.movdqu(.base(.rdi, 0x10), .xmm8) },
        ])
    }

    func testArithmetic() throws {
        try checkEncodings([
            EncodingCase("addsd xmm0,xmm1") { $0.addsd(.xmm0, .xmm1) },
            EncodingCase("subsd xmm8,xmm15") { $0.subsd(.xmm8, .xmm15) },
            EncodingCase("mulsd xmm2,xmm9") { $0.mulsd(.xmm2, .xmm9) },
            EncodingCase("divsd xmm10,xmm3") { $0.divsd(.xmm10, .xmm3) },
            EncodingCase("sqrtsd xmm4,xmm4") { $0.sqrtsd(.xmm4, .xmm4) },
            EncodingCase("addss xmm5,xmm6") { $0.addss(.xmm5, .xmm6) },
            EncodingCase("subss xmm13,xmm0") { $0.subss(.xmm13, .xmm0) },
            EncodingCase("mulss xmm7,xmm12") { $0.mulss(.xmm7, .xmm12) },
            EncodingCase("divss xmm1,xmm2") { $0.divss(.xmm1, .xmm2) },
            EncodingCase("sqrtss xmm11,xmm14") { $0.sqrtss(.xmm11, .xmm14) },
            EncodingCase("ucomisd xmm0,xmm9") { $0.ucomisd(.xmm0, .xmm9) },
            EncodingCase("ucomiss xmm15,xmm1") { $0.ucomiss(.xmm15, .xmm1) },
            EncodingCase("cvtss2sd xmm1,xmm2") { $0.cvtss2sd(.xmm1, .xmm2) },
            EncodingCase("cvtsd2ss xmm8,xmm9") { $0.cvtsd2ss(.xmm8, .xmm9) },
        ])
    }

    func testIntegerConversions() throws {
        try checkEncodings([
            EncodingCase("cvtsi2sd xmm0,rax") { $0.cvtsi2sd(.xmm0, .rax) },
            EncodingCase("cvtsi2sd xmm9,r11") { $0.cvtsi2sd(.xmm9, .r11) },
            EncodingCase("cvtsi2ss xmm1,rcx") { $0.cvtsi2ss(.xmm1, .rcx) },
            EncodingCase("cvttsd2si rax,xmm0") { $0.cvttsd2si(.rax, .xmm0) },
            EncodingCase("cvttsd2si r10,xmm12") { $0.cvttsd2si(.r10, .xmm12) },
            EncodingCase("cvttss2si rdx,xmm3") { $0.cvttss2si(.rdx, .xmm3) },
            EncodingCase("cvtsd2si rcx,xmm1") { $0.cvtsd2si(.rcx, .xmm1) },
            EncodingCase("cvtss2si r8,xmm15") { $0.cvtss2si(.r8, .xmm15) },
        ])
    }
}
