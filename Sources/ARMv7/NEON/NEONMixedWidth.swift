/// Lanes of Advanced SIMD instructions whose operands and results differ in
/// width (long, wide and narrow forms): a 128-bit value is a pair of D
/// registers (low, high), element `e` of the pair lives in the low register
/// for `e < 64 / esize`, else in the high one.
enum NEONMixedWidth {
    /// Element `e` (width `esize`) of the 128-bit value (lo, hi), zero-extended.
    @inline(__always) static func element(_ lo: UInt64, _ hi: UInt64, _ e: Int, _ esize: Int) -> UInt64 {
        let perReg = 64 / esize
        return e < perReg ? NEONLane.get(lo, e, esize) : NEONLane.get(hi, e - perReg, esize)
    }

    /// The low `bits` bits of `x`, sign-extended.
    @inline(__always) static func signExtend(_ x: UInt64, _ bits: Int) -> Int64 {
        Int64(bitPattern: x << UInt64(64 - bits)) >> Int64(64 - bits)
    }

    /// Element `e` of a D register as an integer: zero- or sign-extended
    /// (`esize` <= 32, so every value fits an Int64).
    @inline(__always) static func integer(_ v: UInt64, _ e: Int, _ esize: Int, unsigned: Bool) -> Int64 {
        unsigned ? Int64(bitPattern: NEONLane.get(v, e, esize)) : NEONLane.getSigned(v, e, esize)
    }

    /// A 128-bit result of elements of width `esize` (16, 32 or 64): element
    /// `e` is the low `esize` bits of `lane(e)`.
    @inline(__always) static func build128(_ esize: Int, _ lane: (Int) -> UInt64) -> (UInt64, UInt64) {
        let perReg = 64 / esize
        var lo: UInt64 = 0, hi: UInt64 = 0
        for e in 0..<perReg {
            lo = NEONLane.set(lo, e, esize, lane(e))
            hi = NEONLane.set(hi, e, esize, lane(e + perReg))
        }
        return (lo, hi)
    }

    /// A 64-bit result of elements of width `esize`: element `e` is the low
    /// `esize` bits of `lane(e)`.
    @inline(__always) static func build64(_ esize: Int, _ lane: (Int) -> UInt64) -> UInt64 {
        var v: UInt64 = 0
        for e in 0..<(64 / esize) { v = NEONLane.set(v, e, esize, lane(e)) }
        return v
    }
}

extension Core {
    /// SignedSatQ(2 × a × b, `wide` bits) of `esize`-bit signed elements
    /// (`wide` = 2 × esize; only the 32-bit product can overflow: -2^31 squared).
    @inline(__always) func neonWideSaturatingDoubledProduct(_ a: Int64, _ b: Int64, wide: Int) -> Int64 {
        let (doubled, overflow) = (a * b).multipliedReportingOverflow(by: 2)
        if overflow { neonSetQC(); return Int64.max }
        return Int64(bitPattern: neonSaturateSigned(doubled, wide))
    }

    /// SignedSatQ(x + y, `bits` bits) of two `bits`-bit signed values (bits 32 or 64).
    @inline(__always) func neonWideSaturatingAdd(_ x: Int64, _ y: Int64, bits: Int) -> Int64 {
        let (sum, overflow) = x.addingReportingOverflow(y)
        if overflow { neonSetQC(); return y < 0 ? Int64.min : Int64.max }
        return Int64(bitPattern: neonSaturateSigned(sum, bits))
    }
}
