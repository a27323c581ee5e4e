import X86Assembler

/// Bit-field, extend, byte-reverse, count-leading-zeros and long-multiply
/// instructions as host code (compilers emit them in hot loops: SBFX/UBFX
/// for bit fields, UXTB/UXTH for narrow types, UMULL for 64-bit arithmetic).
extension BlockTranslator {
    /// Whether `emitMedia` translates `d` (operands the interpreter treats
    /// as UNPREDICTABLE stay with it).
    static func mediaIsNative(_ op: A32Op, _ raw: UInt32) -> Bool {
        let rd = (raw >> 12) & 0xF, rn = raw & 0xF
        switch op {
        case .sbfx, .ubfx:
            let lsb = (raw >> 7) & 0x1F, width = ((raw >> 16) & 0x1F) + 1
            return rd != 15 && rn != 15 && lsb + width <= 32
        case .bfi:
            return rd != 15 && (raw >> 16) & 0x1F >= (raw >> 7) & 0x1F
        case .sxtab, .sxtah, .uxtab, .uxtah, .rev, .rev16, .revsh, .clz:
            return rd != 15 && rn != 15
        case .umull, .smull, .umlal, .smlal:
            let hi = (raw >> 16) & 0xF, lo = (raw >> 12) & 0xF
            return hi != 15 && lo != 15 && hi != lo && (raw >> 8) & 0xF != 15 && rn != 15
        case .mls:
            return (raw >> 16) & 0xF != 15
        default:
            return false
        }
    }

    mutating func emitMedia(_ op: A32Op, _ raw: UInt32, pc: UInt32) {
        let rd = Int((raw >> 12) & 0xF)
        switch op {
        case .sbfx, .ubfx:
            let lsb = UInt8((raw >> 7) & 0x1F), width = UInt8(((raw >> 16) & 0x1F) + 1)
            loadReg(.rax, Int(raw & 0xF), pc: pc)
            let left = 32 - lsb - width
            if left > 0 { a.shift(.shl, .dword, .rax, imm: left) }
            if width < 32 { a.shift(op == .sbfx ? .sar : .shr, .dword, .rax, imm: 32 - width) }
            storeReg(rd, from: .rax)
        case .bfi:
            let lsb = (raw >> 7) & 0x1F, msb = (raw >> 16) & 0x1F
            let width = msb - lsb + 1
            let mask: UInt32 = (width >= 32 ? ~0 : (1 << width) - 1) << lsb
            let rn = Int(raw & 0xF)
            if rn == 15 {   // BFC
                a.alu(.and, .dword, ABI.reg(rd), imm: Int32(bitPattern: ~mask))
                registers.forget(rd)
                return
            }
            loadReg(.rax, rn, pc: pc)
            if lsb > 0 { a.shift(.shl, .dword, .rax, imm: UInt8(lsb)) }
            a.alu(.and, .dword, .rax, imm: Int32(bitPattern: mask))
            a.mov(.dword, .rcx, ABI.reg(rd))
            a.alu(.and, .dword, .rcx, imm: Int32(bitPattern: ~mask))
            a.alu(.or, .dword, .rax, .rcx)
            storeReg(rd, from: .rax)
        case .sxtab, .sxtah, .uxtab, .uxtah:
            let rn = Int((raw >> 16) & 0xF), rotate = UInt8(((raw >> 10) & 3) * 8)
            loadReg(.rax, Int(raw & 0xF), pc: pc)
            if rotate != 0 { a.shift(.ror, .dword, .rax, imm: rotate) }
            switch op {
            case .sxtab: a.movsx(.rax, .rax, from: .byte)
            case .sxtah: a.movsx(.rax, .rax, from: .word)
            case .uxtab: a.movzx(.rax, .rax, from: .byte)
            default: a.movzx(.rax, .rax, from: .word)
            }
            if rn != 15 { a.alu(.add, .dword, .rax, ABI.reg(rn)) }
            storeReg(rd, from: .rax)
        case .rev, .rev16, .revsh:
            loadReg(.rax, Int(raw & 0xF), pc: pc)
            a.bswap(.dword, .rax)
            if op == .rev16 { a.shift(.ror, .dword, .rax, imm: 16) }
            if op == .revsh { a.shift(.sar, .dword, .rax, imm: 16) }
            storeReg(rd, from: .rax)
        case .clz:
            let zero = a.newLabel()
            loadReg(.rcx, Int(raw & 0xF), pc: pc)
            a.mov(.rax, imm32: 32)
            a.test(.dword, .rcx, .rcx)
            a.jcc(.e, zero)
            a.bsr(.dword, .rcx, .rcx)
            a.mov(.rax, imm32: 31)
            a.alu(.sub, .dword, .rax, .rcx)
            a.bind(zero)
            storeReg(rd, from: .rax)
        case .mls:
            let rdm = Int((raw >> 16) & 0xF)
            loadReg(.rax, Int(raw & 0xF), pc: pc)
            loadReg(.rcx, Int((raw >> 8) & 0xF), pc: pc)
            a.imul(.dword, .rax, .rcx)
            loadReg(.rcx, rd, pc: pc)
            a.alu(.sub, .dword, .rcx, .rax)
            storeReg(rdm, from: .rcx)
        default: // UMULL, SMULL, UMLAL, SMLAL
            let hi = Int((raw >> 16) & 0xF), lo = rd
            loadReg(.rax, Int(raw & 0xF), pc: pc)
            loadReg(.rcx, Int((raw >> 8) & 0xF), pc: pc)
            if op == .umull || op == .umlal { a.mul(.dword, .rcx) } else { a.imulWide(.dword, .rcx) }
            if op == .umlal || op == .smlal {
                a.alu(.add, .dword, .rax, ABI.reg(lo))
                a.alu(.adc, .dword, .rdx, ABI.reg(hi))
            }
            storeReg(lo, from: .rax)
            storeReg(hi, from: .rdx)
            if raw & (1 << 20) != 0 {
                a.mov(.dword, ABI.nf, .rdx)
                a.alu(.or, .dword, .rax, .rdx)
                a.mov(.dword, ABI.zf, .rax)
            }
        }
    }
}
