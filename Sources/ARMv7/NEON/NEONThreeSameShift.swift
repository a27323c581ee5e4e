/// VSHL, VRSHL, VQSHL, VQRSHL (register) of A7.4.1: each lane of Vm is
/// shifted by the signed bottom byte of the same lane of Vn (negative:
/// right). The lane helpers are shared with the shifts by an immediate.
extension Core {
    /// VSHL, VRSHL (register): all sizes; left shifts drop bits, right shifts
    /// are arithmetic for signed lanes, and rounded for VRSHL.
    func threeSameShift(_ o: NEONOperands, rounding: Bool) {
        let esize = 8 << o.size
        let signed = !o.u
        threeSameLanes(o, esize: esize) { shiftLane, value, _ in
            let shift = Int(Int8(truncatingIfNeeded: shiftLane))
            return threeSameShiftLane(value, by: shift, esize: esize, signed: signed, rounding: rounding)
        }
    }

    /// VQSHL, VQRSHL (register): left shifts saturate (QC), right shifts do not.
    func threeSameSaturatingShift(_ o: NEONOperands, rounding: Bool) {
        let esize = 8 << o.size
        let signed = !o.u
        threeSameLanes(o, esize: esize) { shiftLane, value, _ in
            let shift = Int(Int8(truncatingIfNeeded: shiftLane))
            if shift >= 0 {
                return threeSameSaturatingShiftLane(value, by: shift, esize: esize,
                                               signedSource: signed, unsignedResult: !signed)
            }
            return threeSameShiftLane(value, by: shift, esize: esize, signed: signed, rounding: rounding)
        }
    }

    /// A lane (zero-extended, `esize` bits) shifted left (`shift` >= 0) or
    /// right by -`shift` (any amount: whole-lane and larger shifts give 0 or,
    /// right-shifting a negative signed lane, -1). A rounding right shift adds
    /// 2^(n-1) first, in unbounded precision. The result's low `esize` bits count.
    @inline(__always)
    func threeSameShiftLane(_ value: UInt64, by shift: Int, esize: Int, signed: Bool, rounding: Bool) -> UInt64 {
        if shift >= 0 {
            return shift >= 64 ? 0 : value << UInt64(shift)
        }
        let n = -shift
        if signed {
            let x = threeSameSignExtend(value, esize)
            // floor((x + 2^(n-1)) / 2^n) = (x >> n) + bit n-1 of x; Swift's
            // smart shifts give 0 or -1 for amounts of 64 and more.
            let shifted = x >> Int64(n)
            return UInt64(bitPattern: rounding ? shifted &+ ((x >> Int64(n - 1)) & 1) : shifted)
        }
        let shifted = value >> UInt64(n)
        return rounding ? shifted &+ ((value >> UInt64(n - 1)) & 1) : shifted
    }

    /// A lane shifted left by `shift` (>= 0), saturated to the `esize`-bit
    /// signed or unsigned range of the result (QC when it saturates).
    /// `signedSource` with `unsignedResult` is VQSHLU: negative lanes give 0.
    @inline(__always)
    func threeSameSaturatingShiftLane(_ value: UInt64, by shift: Int, esize: Int,
                                 signedSource: Bool, unsignedResult: Bool) -> UInt64 {
        let laneMax: UInt64 = esize == 64 ? .max : (1 << UInt64(esize)) - 1
        var value = value
        if signedSource {
            let x = threeSameSignExtend(value, esize)
            if x == 0 { return 0 }
            if unsignedResult {
                if x < 0 { neonSetQC(); return 0 }
                value = UInt64(x)                  // the unsigned case below
            } else {
                // x << shift fits while the bits shifted out and the new sign
                // bit all equal the old sign.
                if shift < esize {
                    let shifted = x << Int64(shift)
                    if threeSameSignExtend(UInt64(bitPattern: shifted), esize) == shifted
                        && shifted >> Int64(shift) == x {
                        return UInt64(bitPattern: shifted)
                    }
                }
                neonSetQC()
                return x < 0 ? UInt64(bitPattern: Int64.min >> Int64(64 - esize)) : laneMax >> 1
            }
        }
        if value == 0 { return 0 }
        if shift < esize {
            let shifted = value << UInt64(shift)
            if shifted >> UInt64(shift) == value && shifted <= laneMax { return shifted }
        }
        neonSetQC()
        return laneMax
    }
}
