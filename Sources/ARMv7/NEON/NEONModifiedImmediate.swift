/// Advanced SIMD one register and a modified immediate (ARM ARM DDI 0406C
/// A7.4.6, table A7-16): VMOV, VMVN, VORR, VBIC (immediate).
extension Core {
    /// `raw` is 1111001i 1D000bcd dddd cmode 0Qop1 efgh (imm8 = i:bcd:efgh).
    func neonOneRegisterModifiedImmediate(_ raw: UInt32) throws(CPUException) {
        let cmode = (raw >> 8) & 0xF
        let op = raw & (1 << 5) != 0
        let imm8 = UInt64((raw >> 17) & 0x80 | (raw >> 12) & 0x70 | raw & 0xF)
        let o = NEONOperands(raw)
        try o.checkQ(o.d)
        guard let imm = modifiedImmediateExpand(op: op, cmode: cmode, imm8: imm8) else { throw .undefined }
        // cmode 0xx1 and 10x1 are VORR (op 0) and VBIC (op 1); the rest VMOV and VMVN.
        let logical = cmode & 1 == 1 && cmode < 0xC
        for r in 0..<o.regs {
            let d = o.d + r
            if logical {
                setDReg(d, op ? dReg(d) & ~imm : dReg(d) | imm)
            } else {
                // op 1 inverts (VMVN) except for cmode 1110, the byte mask VMOV.
                setDReg(d, op && cmode != 0xE ? ~imm : imm)
            }
        }
    }

    /// AdvSIMDExpandImm: the 64-bit constant `imm8` stands for; nil for
    /// cmode 1111 with op 1 (UNDEFINED).
    @inline(__always)
    func modifiedImmediateExpand(op: Bool, cmode: UInt32, imm8: UInt64) -> UInt64? {
        let words: UInt64 = 0x0000_0001_0000_0001, halves: UInt64 = 0x0001_0001_0001_0001
        switch cmode >> 1 {
        case 0: return imm8 &* words
        case 1: return (imm8 << 8) &* words
        case 2: return (imm8 << 16) &* words
        case 3: return (imm8 << 24) &* words
        case 4: return imm8 &* halves
        case 5: return (imm8 << 8) &* halves
        case 6:
            // Ones shifted in below the byte.
            return (cmode & 1 == 0 ? imm8 << 8 | 0xFF : imm8 << 16 | 0xFFFF) &* words
        default:
            switch (cmode & 1, op) {
            case (0, false):
                return imm8 &* 0x0101_0101_0101_0101
            case (0, true):
                // Each bit of imm8 becomes a byte of ones or zeros.
                var mask: UInt64 = 0
                for i in 0..<8 where (imm8 >> UInt64(i)) & 1 != 0 { mask |= 0xFF << UInt64(8 * i) }
                return mask
            case (_, false):
                // Single precision a:NOT(b):bbbbb:cdefgh, 19 zeros.
                let a = imm8 >> 7, b = (imm8 >> 6) & 1
                let single = a << 31 | (b ^ 1) << 30 | (b &* 0x1F) << 25 | (imm8 & 0x3F) << 19
                return single &* words
            default:
                return nil
            }
        }
    }
}
