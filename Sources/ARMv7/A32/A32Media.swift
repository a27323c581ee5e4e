/// A32 saturating, parallel add/subtract, packing, extension, bit-field and
/// byte-reversal instructions.
extension Core {
    /// QADD, QSUB, QDADD, QDSUB.
    @inline(never) func executeSaturatingAddSub(_ raw: UInt32) {
        let m = Int64(Int32(bitPattern: r[Int(raw & 0xF)]))
        var n = Int64(Int32(bitPattern: r[Int((raw >> 16) & 0xF)]))
        let opc = (raw >> 21) & 3
        var sat = false
        if opc & 2 != 0 {
            let (d, s) = signedSat(2 * n, 32)
            n = Int64(Int32(bitPattern: d)); sat = s
        }
        let (res, s2) = signedSat(opc & 1 == 0 ? m + n : m - n, 32)
        if sat || s2 { qf = 1 }
        r[Int((raw >> 12) & 0xF)] = res
    }

    /// The 36 parallel add/subtract instructions.
    @inline(never) func executeParallelAddSub(_ raw: UInt32) throws(CPUException) {
        let prefix = (raw >> 20) & 7
        let op2 = (raw >> 5) & 7
        if prefix == 0 || prefix == 4 || op2 == 5 || op2 == 6 { throw .undefined }
        let n = r[Int((raw >> 16) & 0xF)], m = r[Int(raw & 0xF)]
        let signed = prefix < 4
        let variant = prefix & 3   // 1: plain (GE), 2: saturating, 3: halving
        let bytes = op2 >= 4
        let width: UInt32 = bytes ? 8 : 16
        let lanes = bytes ? 4 : 2
        let laneMask: UInt32 = bytes ? 0xFF : 0xFFFF
        func lane(_ v: UInt32, _ i: Int) -> Int32 {
            let raw = (v >> (UInt32(i) * width)) & laneMask
            if signed { return bytes ? Int32(Int8(truncatingIfNeeded: raw)) : Int32(Int16(truncatingIfNeeded: raw)) }
            return Int32(raw)
        }
        var result: UInt32 = 0
        var geBits: UInt32 = 0
        for i in 0..<lanes {
            // Which operand lane pairs with lane i, and whether it is an addition.
            var mi = i
            var add: Bool
            switch op2 {
            case 0, 4: add = true
            case 3, 7: add = false
            case 1: mi = 1 - i; add = i == 1      // ASX: lo = n0 - m1, hi = n1 + m0
            default: mi = 1 - i; add = i == 0     // SAX: lo = n0 + m1, hi = n1 - m0
            }
            let a = lane(n, i), b = lane(m, mi)
            let v = add ? a + b : a - b
            var out: UInt32
            switch variant {
            case 1:
                out = UInt32(bitPattern: v) & laneMask
                let ok = signed ? v >= 0 : (add ? v >= Int32(1 << width) : v >= 0)
                if ok { geBits |= (bytes ? 1 : 3) << (UInt32(i) * (bytes ? 1 : 2)) }
            case 2:
                out = (signed ? signedSat(Int64(v), width).0 : unsignedSat(Int64(v), width).0) & laneMask
            default:
                out = UInt32(bitPattern: v >> 1) & laneMask
            }
            result |= out << (UInt32(i) * width)
        }
        if variant == 1 { ge = geBits }
        r[Int((raw >> 12) & 0xF)] = result
    }

    /// PKHBT / PKHTB.
    @inline(never) func executePKH(_ raw: UInt32) {
        let n = r[Int((raw >> 16) & 0xF)], m = r[Int(raw & 0xF)]
        let imm = (raw >> 7) & 0x1F
        let res: UInt32
        if raw & (1 << 6) != 0 {
            let sh = UInt32(bitPattern: Int32(bitPattern: m) >> Int32(imm == 0 ? 31 : imm))
            res = (n & 0xFFFF_0000) | (sh & 0xFFFF)
        } else {
            res = (n & 0xFFFF) | ((m << imm) & 0xFFFF_0000)
        }
        r[Int((raw >> 12) & 0xF)] = res
    }

    /// SSAT, USAT, SSAT16, USAT16.
    @inline(never) func executeSaturate(_ op: A32Op, _ raw: UInt32) {
        let n = r[Int(raw & 0xF)]
        let rd = Int((raw >> 12) & 0xF)
        switch op {
        case .ssat, .usat:
            let imm = (raw >> 7) & 0x1F
            let operand: Int64
            if raw & (1 << 6) != 0 {
                operand = Int64(Int32(bitPattern: n) >> Int32(imm == 0 ? 31 : imm))
            } else {
                operand = Int64(Int32(bitPattern: n << imm))
            }
            let satImm = (raw >> 16) & 0x1F
            let (v, s) = op == .ssat ? signedSat(operand, satImm + 1) : unsignedSat(operand, satImm)
            r[rd] = v
            if s { qf = 1 }
        default:
            let satImm = (raw >> 16) & 0xF
            var res: UInt32 = 0
            var any = false
            for i: UInt32 in [0, 16] {
                let h = Int64(Int16(truncatingIfNeeded: n >> i))
                let (v, s) = op == .ssat16 ? signedSat(h, satImm + 1) : unsignedSat(h, satImm)
                res |= (v & 0xFFFF) << i
                any = any || s
            }
            r[rd] = res
            if any { qf = 1 }
        }
    }

    /// SEL.
    @inline(never) func executeSel(_ raw: UInt32) {
        let n = r[Int((raw >> 16) & 0xF)], m = r[Int(raw & 0xF)]
        var mask: UInt32 = 0
        for i in 0..<4 where ge & (1 << UInt32(i)) != 0 { mask |= 0xFF << (UInt32(i) * 8) }
        r[Int((raw >> 12) & 0xF)] = (n & mask) | (m & ~mask)
    }

    /// SXTAB16 … UXTAH (and SXTB … UXTH when Rn = 15).
    @inline(never) func executeExtend(_ op: A32Op, _ raw: UInt32) {
        let rn = Int((raw >> 16) & 0xF)
        let m = r[Int(raw & 0xF)].rotateRight(((raw >> 10) & 3) * 8)
        let acc: UInt32 = rn == 15 ? 0 : r[rn]
        let res: UInt32
        switch op {
        case .sxtab: res = acc &+ UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: m)))
        case .sxtah: res = acc &+ UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: m)))
        case .uxtab: res = acc &+ (m & 0xFF)
        case .uxtah: res = acc &+ (m & 0xFFFF)
        case .sxtab16:
            let lo = acc &+ UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: m)))
            let hi = (acc >> 16) &+ UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: m >> 16)))
            res = (lo & 0xFFFF) | (hi << 16)
        default: // UXTAB16
            let lo = acc &+ (m & 0xFF)
            let hi = (acc >> 16) &+ ((m >> 16) & 0xFF)
            res = (lo & 0xFFFF) | (hi << 16)
        }
        r[Int((raw >> 12) & 0xF)] = res
    }

    /// REV, REV16, RBIT, REVSH, CLZ.
    @inline(never) func executeBitOp(_ op: A32Op, _ raw: UInt32) {
        let m = r[Int(raw & 0xF)]
        let res: UInt32
        switch op {
        case .rev: res = m.byteSwapped
        case .rev16: res = ((m & 0x00FF_00FF) << 8) | ((m >> 8) & 0x00FF_00FF)
        case .revsh: res = UInt32(bitPattern: Int32(Int16(bitPattern: UInt16(truncatingIfNeeded: m).byteSwapped)))
        case .clz: res = UInt32(m.leadingZeroBitCount)
        default: res = m.bitReversed
        }
        r[Int((raw >> 12) & 0xF)] = res
    }

    /// SBFX, UBFX, BFI, BFC.
    @inline(never) func executeBitField(_ op: A32Op, _ raw: UInt32) {
        let rd = Int((raw >> 12) & 0xF)
        let lsb = (raw >> 7) & 0x1F
        let hiField = (raw >> 16) & 0x1F
        let rn = Int(raw & 0xF)
        switch op {
        case .sbfx, .ubfx:
            let width = hiField + 1
            // lsb + width > 32 is UNPREDICTABLE: the field is clipped at bit 31.
            let w = min(width, 32 - lsb)
            let v = r[rn] >> lsb
            if op == .ubfx {
                r[rd] = w >= 32 ? v : v & ((1 << w) - 1)
            } else {
                let sh = 32 - w
                r[rd] = UInt32(bitPattern: Int32(bitPattern: v << sh) >> Int32(sh))
            }
        default:
            let msb = hiField
            if msb < lsb { return }   // UNPREDICTABLE: no change
            let width = msb - lsb + 1
            let mask: UInt32 = (width >= 32 ? ~0 : (1 << width) - 1) << lsb
            let src: UInt32 = rn == 15 ? 0 : r[rn] << lsb
            r[rd] = (r[rd] & ~mask) | (src & mask)
        }
    }
}

extension UInt32 {
    /// The value with its bit order reversed (RBIT).
    var bitReversed: UInt32 {
        var v = self
        v = ((v >> 1) & 0x5555_5555) | ((v & 0x5555_5555) << 1)
        v = ((v >> 2) & 0x3333_3333) | ((v & 0x3333_3333) << 2)
        v = ((v >> 4) & 0x0F0F_0F0F) | ((v & 0x0F0F_0F0F) << 4)
        return v.byteSwapped
    }
}
