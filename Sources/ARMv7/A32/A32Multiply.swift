/// A32 multiplies, multiply-accumulates and divides.
extension Core {
    @inline(__always) func half(_ v: UInt32, top: Bool) -> Int64 {
        Int64(Int16(truncatingIfNeeded: top ? v >> 16 : v))
    }

    /// MUL, MLA, MLS, UMAAL and the long multiplies (bits 7:4 = 1001).
    @inline(never) func executeMultiply(_ op: A32Op, _ raw: UInt32) {
        let rdHi = Int((raw >> 16) & 0xF), rdLo = Int((raw >> 12) & 0xF)
        let m = r[Int((raw >> 8) & 0xF)], n = r[Int(raw & 0xF)]
        let s = raw & (1 << 20) != 0
        switch op {
        case .mul, .mla, .mls:
            var res = n &* m
            if op == .mla { res = res &+ r[rdLo] } else if op == .mls { res = r[rdLo] &- res }
            r[rdHi] = res
            if s && op != .mls { setNZ(res) }
        default:
            var res: UInt64
            switch op {
            case .umull: res = UInt64(n) &* UInt64(m)
            case .umlal: res = (UInt64(n) &* UInt64(m)) &+ (UInt64(r[rdHi]) << 32 | UInt64(r[rdLo]))
            case .smull: res = UInt64(bitPattern: Int64(Int32(bitPattern: n)) &* Int64(Int32(bitPattern: m)))
            case .smlal:
                res = UInt64(bitPattern: Int64(Int32(bitPattern: n)) &* Int64(Int32(bitPattern: m)))
                    &+ (UInt64(r[rdHi]) << 32 | UInt64(r[rdLo]))
            default: // UMAAL
                res = UInt64(n) &* UInt64(m) &+ UInt64(r[rdHi]) &+ UInt64(r[rdLo])
            }
            r[rdLo] = UInt32(truncatingIfNeeded: res)
            r[rdHi] = UInt32(truncatingIfNeeded: res >> 32)
            if s && op != .umaal {
                nf = UInt32(truncatingIfNeeded: res >> 32)
                zf = res == 0 ? 0 : 1
            }
        }
    }

    /// Signed halfword multiplies (SMLAxy, SMLAWy, SMULWy, SMLALxy, SMULxy).
    @inline(never) func executeHalfwordMultiply(_ op: A32Op, _ raw: UInt32) {
        let rd = Int((raw >> 16) & 0xF), ra = Int((raw >> 12) & 0xF)
        let m = r[Int((raw >> 8) & 0xF)], n = r[Int(raw & 0xF)]
        let xTop = raw & (1 << 5) != 0, yTop = raw & (1 << 6) != 0
        switch op {
        case .smlaxy:
            let p = half(n, top: xTop) * half(m, top: yTop)
            let res = p + Int64(Int32(bitPattern: r[ra]))
            r[rd] = UInt32(truncatingIfNeeded: res)
            if res != Int64(Int32(truncatingIfNeeded: res)) { qf = 1 }
        case .smulxy:
            r[rd] = UInt32(truncatingIfNeeded: half(n, top: xTop) * half(m, top: yTop))
        case .smlawy, .smulwy:
            let p = (Int64(Int32(bitPattern: n)) * half(m, top: yTop)) >> 16
            if op == .smulwy {
                r[rd] = UInt32(truncatingIfNeeded: p)
            } else {
                let res = p + Int64(Int32(bitPattern: r[ra]))
                r[rd] = UInt32(truncatingIfNeeded: res)
                if res != Int64(Int32(truncatingIfNeeded: res)) { qf = 1 }
            }
        default: // SMLALxy
            let acc = Int64(bitPattern: UInt64(r[rd]) << 32 | UInt64(r[ra]))
            let res = acc &+ half(n, top: xTop) * half(m, top: yTop)
            r[ra] = UInt32(truncatingIfNeeded: res)
            r[rd] = UInt32(truncatingIfNeeded: res >> 32)
        }
    }

    /// Dual 16-bit multiplies, most-significant-word multiplies, divides, USAD8.
    @inline(never) func executeMediaMultiply(_ op: A32Op, _ raw: UInt32) {
        let rd = Int((raw >> 16) & 0xF), ra = Int((raw >> 12) & 0xF)
        var m = r[Int((raw >> 8) & 0xF)]
        let n = r[Int(raw & 0xF)]
        let flag5 = raw & (1 << 5) != 0
        switch op {
        case .smlad, .smlsd:
            if flag5 { m = m.rotateRight(16) }
            let p1 = half(n, top: false) * half(m, top: false)
            let p2 = half(n, top: true) * half(m, top: true)
            var res = op == .smlad ? p1 + p2 : p1 - p2
            if ra != 15 { res += Int64(Int32(bitPattern: r[ra])) }
            r[rd] = UInt32(truncatingIfNeeded: res)
            if res != Int64(Int32(truncatingIfNeeded: res)) { qf = 1 }
        case .smlald, .smlsld:
            if flag5 { m = m.rotateRight(16) }
            let p1 = half(n, top: false) * half(m, top: false)
            let p2 = half(n, top: true) * half(m, top: true)
            let acc = Int64(bitPattern: UInt64(r[rd]) << 32 | UInt64(r[ra]))
            let res = acc &+ (op == .smlald ? p1 + p2 : p1 - p2)
            r[ra] = UInt32(truncatingIfNeeded: res)
            r[rd] = UInt32(truncatingIfNeeded: res >> 32)
        case .smmla, .smmls:
            let prod = Int64(Int32(bitPattern: n)) &* Int64(Int32(bitPattern: m))
            var acc: Int64 = ra == 15 && op == .smmla ? 0 : Int64(bitPattern: UInt64(r[ra]) << 32)
            acc = op == .smmla ? acc &+ prod : acc &- prod
            if flag5 { acc = acc &+ 0x8000_0000 }
            r[rd] = UInt32(truncatingIfNeeded: acc >> 32)
        case .sdiv:
            let a = Int32(bitPattern: n), b = Int32(bitPattern: m)
            if b == 0 { r[rd] = 0 }
            else if a == Int32.min && b == -1 { r[rd] = 0x8000_0000 }
            else { r[rd] = UInt32(bitPattern: a / b) }
        case .udiv:
            r[rd] = m == 0 ? 0 : n / m
        default: // USAD8 / USADA8
            var sum: UInt32 = 0
            for i in stride(from: UInt32(0), to: 32, by: 8) {
                let a = Int32((n >> i) & 0xFF), b = Int32((m >> i) & 0xFF)
                sum &+= UInt32(abs(a - b))
            }
            r[rd] = ra == 15 ? sum : sum &+ r[ra]
        }
    }
}
