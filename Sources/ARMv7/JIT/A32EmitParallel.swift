import X86Assembler

/// UADD8, USUB8 and SEL as host code. glibc's string functions (strlen,
/// memchr, strcmp) find a zero or a match four bytes at a time with them;
/// in a Debian boot they were the most interpreted instructions. Plain
/// 32-bit arithmetic on lanes (no carries between bytes) and a multiply
/// that gathers or spreads the four GE bits.
extension BlockTranslator {
    /// Multiplying bits at 0, 8, 16, 24 by this puts them at 21–24, and
    /// bits at 0–3 at 0, 8, 16, 24 (no partial products overlap).
    private static let laneBitShuffle: Int32 = 0x0020_4081
    private static let laneHighBits: Int32 = Int32(bitPattern: 0x8080_8080)
    private static let laneLowBits: Int32 = 0x7F7F_7F7F

    /// Whether `emitParallel` translates `d`: UADD8, USUB8, SEL without R15.
    static func parallelIsNative(_ op: A32Op, _ raw: UInt32) -> Bool {
        let registers = [(raw >> 16) & 0xF, (raw >> 12) & 0xF, raw & 0xF]
        guard !registers.contains(15) else { return false }
        switch op {
        case .parallelAddSub:
            let prefix = (raw >> 20) & 7, op2 = (raw >> 5) & 7
            return prefix == 5 && (op2 == 4 || op2 == 7)   // UADD8, USUB8
        case .sel:
            return true
        default:
            return false
        }
    }

    mutating func emitParallel(_ op: A32Op, _ raw: UInt32, pc: UInt32) {
        let rd = Int((raw >> 12) & 0xF), rn = Int((raw >> 16) & 0xF), rm = Int(raw & 0xF)
        if op == .sel {
            // The GE bits spread to byte masks: 0xFF where GE[i] is set.
            a.mov(.dword, .rax, ABI.ge)
            a.mov(.rcx, imm32: UInt32(bitPattern: Self.laneBitShuffle))
            a.imul(.dword, .rax, .rcx)
            a.alu(.and, .dword, .rax, imm: 0x0101_0101)
            a.mov(.rcx, imm32: 0xFF)
            a.imul(.dword, .rax, .rcx)
            loadReg(.rcx, rn, pc: pc)
            a.alu(.and, .dword, .rcx, .rax)
            a.not(.dword, .rax)
            loadReg(.rdx, rm, pc: pc)
            a.alu(.and, .dword, .rdx, .rax)
            a.alu(.or, .dword, .rcx, .rdx)
            storeReg(rd, from: .rcx)
            return
        }
        loadReg(.rax, rn, pc: pc)
        loadReg(.rcx, rm, pc: pc)
        if (raw >> 5) & 7 == 4 {
            // UADD8: low seven bits of each lane added, the top bits by XOR;
            // the carry out of lane bit 7 is majority(n7, m7, carry in).
            a.mov(.dword, .rdx, .rax)
            a.alu(.and, .dword, .rdx, imm: Self.laneLowBits)
            a.mov(.dword, .r8, .rcx)
            a.alu(.and, .dword, .r8, imm: Self.laneLowBits)
            a.alu(.add, .dword, .rdx, .r8)
            a.mov(.dword, .r8, .rax)
            a.alu(.xor, .dword, .r8, .rcx)
            a.alu(.and, .dword, .r8, imm: Self.laneHighBits)
            a.alu(.xor, .dword, .rdx, .r8)                  // the sum
            a.mov(.dword, .r8, .rax)
            a.alu(.and, .dword, .r8, .rcx)                  // n & m
            a.alu(.or, .dword, .rax, .rcx)                  // n | m
            a.mov(.dword, .rcx, .rdx)
            a.not(.dword, .rcx)
            a.alu(.and, .dword, .rax, .rcx)                 // (n | m) & ~sum
            a.alu(.or, .dword, .rax, .r8)                   // carries at lane bit 7
        } else {
            // USUB8: each lane's top bit set in n and clear in m, so no
            // borrow crosses lanes; the top bits fixed by XOR. GE is "no
            // borrow out of lane bit 7".
            a.mov(.dword, .rdx, .rax)
            a.alu(.or, .dword, .rdx, imm: Self.laneHighBits)
            a.mov(.dword, .r8, .rcx)
            a.alu(.and, .dword, .r8, imm: Self.laneLowBits)
            a.alu(.sub, .dword, .rdx, .r8)
            a.mov(.dword, .r8, .rcx)
            a.not(.dword, .r8)
            a.alu(.xor, .dword, .r8, .rax)
            a.alu(.and, .dword, .r8, imm: Self.laneHighBits)
            a.alu(.xor, .dword, .rdx, .r8)                  // the difference
            a.not(.dword, .rax)                             // ~n
            a.mov(.dword, .r8, .rax)
            a.alu(.and, .dword, .r8, .rcx)                  // ~n & m
            a.alu(.or, .dword, .rax, .rcx)                  // ~n | m
            a.alu(.and, .dword, .rax, .rdx)
            a.alu(.or, .dword, .rax, .r8)                   // borrows at lane bit 7
            a.not(.dword, .rax)
        }
        a.alu(.and, .dword, .rax, imm: Self.laneHighBits)
        storeReg(rd, from: .rdx)
        // Gather the lanes' bit 7 into GE[3:0].
        a.shift(.shr, .dword, .rax, imm: 7)
        a.mov(.rcx, imm32: UInt32(bitPattern: Self.laneBitShuffle))
        a.imul(.dword, .rax, .rcx)
        a.shift(.shr, .dword, .rax, imm: 21)
        a.alu(.and, .dword, .rax, imm: 0xF)
        a.mov(.dword, ABI.ge, .rax)
    }
}
