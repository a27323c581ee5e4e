/// IEEE 754 arithmetic with the exact ARMv7 VFP semantics (ARM ARM DDI 0406C,
/// A2.7 and the pseudo-code functions FPUnpack, FPRound, FPProcessNaN(s),
/// FPAdd, FPMul, FPMulAdd, FPDiv, FPSqrt, FPCompare, FPToFixed, FixedToFP,
/// FPSingleToHalf, FPHalfToSingle): NaN propagation, default NaN, flush to
/// zero of inputs and outputs, tininess detected before rounding, and the
/// cumulative exception flags of the FPSCR.
///
/// Everything is integer arithmetic on bit patterns: the host FPU is never
/// used for results, so no input can trap the host and the host rounding
/// mode is never touched. Values are carried as `UInt64` bit patterns of the
/// format in use (single and half in the low bits).

/// One of the three binary formats VFP knows.
struct FPFormat: Equatable {
    /// Exponent field width E and fraction width F.
    let e: Int
    let f: Int

    static let half = FPFormat(e: 5, f: 10)
    static let single = FPFormat(e: 8, f: 23)
    static let double = FPFormat(e: 11, f: 52)

    @inline(__always) var bias: Int { (1 << (e - 1)) - 1 }
    /// Exponent of the smallest normal number (2 - 2^(E-1)).
    @inline(__always) var minExp: Int { 1 - bias }
    @inline(__always) var expField: UInt64 { (1 << UInt64(e)) - 1 }
    @inline(__always) var fracMask: UInt64 { (1 << UInt64(f)) - 1 }
    @inline(__always) var signBit: UInt64 { 1 << UInt64(e + f) }
    @inline(__always) var quietBit: UInt64 { 1 << UInt64(f - 1) }
    @inline(__always) var infinityBits: UInt64 { expField << UInt64(f) }
    @inline(__always) var defaultNaN: UInt64 { infinityBits | quietBit }
    @inline(__always) var maxNormal: UInt64 { ((expField - 1) << UInt64(f)) | fracMask }
    @inline(__always) func zero(_ sign: Bool) -> UInt64 { sign ? signBit : 0 }
    @inline(__always) func infinity(_ sign: Bool) -> UInt64 { infinityBits | zero(sign) }
}

/// FPSCR bits used by the arithmetic.
enum FPSCRBit {
    static let ioc: UInt32 = 1 << 0
    static let dzc: UInt32 = 1 << 1
    static let ofc: UInt32 = 1 << 2
    static let ufc: UInt32 = 1 << 3
    static let ixc: UInt32 = 1 << 4
    static let idc: UInt32 = 1 << 7
    static let fz: UInt32 = 1 << 24
    static let dn: UInt32 = 1 << 25
    static let ahp: UInt32 = 1 << 26
    static let rmodeShift: UInt32 = 22
    /// Bits software can write on a Cortex-A15 (the trap enables are RAZ/WI):
    /// N Z C V QC AHP DN FZ RMode Stride Len IDC IXC UFC OFC DZC IOC.
    static let writable: UInt32 = 0xFFF7_009F
    /// Len (18:16) and Stride (21:20): short vectors, unsupported on the A15.
    static let lenStride: UInt32 = 0x0037_0000
}

/// What FPUnpack distinguishes.
enum FPKind: UInt8 {
    case zero, finite, infinity, quietNaN, signallingNaN
    @inline(__always) var isNaN: Bool { self == .quietNaN || self == .signallingNaN }
}

/// An unpacked operand. For `.finite`, value = sig × 2^exp with bit 63 of
/// `sig` set.
struct FPUnpacked {
    var kind: FPKind
    var sign: Bool
    var exp: Int
    var sig: UInt64
}

/// The FPSCR in effect for one instruction: control bits are read from it and
/// cumulative exception flags are ORed into it.
struct VFPArith {
    var fpscr: UInt32

    init(fpscr: UInt32) { self.fpscr = fpscr }

    @inline(__always) var flushToZero: Bool { fpscr & FPSCRBit.fz != 0 }
    @inline(__always) var defaultNaNMode: Bool { fpscr & FPSCRBit.dn != 0 }
    @inline(__always) var alternativeHalf: Bool { fpscr & FPSCRBit.ahp != 0 }
    /// 0 = to nearest, 1 = towards +inf, 2 = towards -inf, 3 = towards zero.
    @inline(__always) var roundingMode: UInt32 { (fpscr >> FPSCRBit.rmodeShift) & 3 }

    @inline(__always) mutating func raise(_ flag: UInt32) { fpscr |= flag }

    // MARK: FPUnpack

    /// FPUnpack: classifies `bits`; with FPSCR.FZ a denormal input of single
    /// or double precision is flushed to a zero of the same sign (IDC).
    /// Half precision is never flushed; with `ahpFormat` its all-ones
    /// exponent is an ordinary exponent.
    @inline(__always)
    mutating func unpack(_ bits: UInt64, _ fmt: FPFormat, ahpFormat: Bool = false) -> FPUnpacked {
        let sign = bits & fmt.signBit != 0
        let e = (bits >> UInt64(fmt.f)) & fmt.expField
        let frac = bits & fmt.fracMask
        if e == 0 {
            if frac == 0 { return FPUnpacked(kind: .zero, sign: sign, exp: 0, sig: 0) }
            if flushToZero && fmt != .half {
                raise(FPSCRBit.idc)
                return FPUnpacked(kind: .zero, sign: sign, exp: 0, sig: 0)
            }
            let lz = frac.leadingZeroBitCount
            // value = frac × 2^(minExp - F), frac shifted up by lz
            return FPUnpacked(kind: .finite, sign: sign, exp: fmt.minExp - fmt.f - lz, sig: frac << UInt64(lz))
        }
        if e == fmt.expField && !ahpFormat {
            if frac == 0 { return FPUnpacked(kind: .infinity, sign: sign, exp: 0, sig: 0) }
            return FPUnpacked(kind: frac & fmt.quietBit != 0 ? .quietNaN : .signallingNaN, sign: sign, exp: 0, sig: 0)
        }
        let sig = (frac | (1 << UInt64(fmt.f))) << UInt64(63 - fmt.f)
        return FPUnpacked(kind: .finite, sign: sign, exp: Int(e) - fmt.bias - 63, sig: sig)
    }

    // MARK: NaNs

    /// FPProcessNaN: quiets a signalling NaN (IOC); default NaN when FPSCR.DN.
    @inline(__always)
    mutating func processNaN(_ bits: UInt64, _ kind: FPKind, _ fmt: FPFormat) -> UInt64 {
        var r = bits
        if kind == .signallingNaN {
            raise(FPSCRBit.ioc)
            r |= fmt.quietBit
        }
        return defaultNaNMode ? fmt.defaultNaN : r
    }

    /// FPProcessNaNs: signalling NaNs before quiet ones, first operand first.
    @inline(__always)
    mutating func processNaNs(_ a: UInt64, _ ua: FPUnpacked, _ b: UInt64, _ ub: FPUnpacked,
                              _ fmt: FPFormat) -> UInt64? {
        if ua.kind == .signallingNaN { return processNaN(a, ua.kind, fmt) }
        if ub.kind == .signallingNaN { return processNaN(b, ub.kind, fmt) }
        if ua.kind == .quietNaN { return processNaN(a, ua.kind, fmt) }
        if ub.kind == .quietNaN { return processNaN(b, ub.kind, fmt) }
        return nil
    }

    /// FPProcessNaNs3.
    @inline(__always)
    mutating func processNaNs3(_ a: UInt64, _ ua: FPUnpacked, _ b: UInt64, _ ub: FPUnpacked,
                               _ c: UInt64, _ uc: FPUnpacked, _ fmt: FPFormat) -> UInt64? {
        if ua.kind == .signallingNaN { return processNaN(a, ua.kind, fmt) }
        if ub.kind == .signallingNaN { return processNaN(b, ub.kind, fmt) }
        if uc.kind == .signallingNaN { return processNaN(c, uc.kind, fmt) }
        if ua.kind == .quietNaN { return processNaN(a, ua.kind, fmt) }
        if ub.kind == .quietNaN { return processNaN(b, ub.kind, fmt) }
        if uc.kind == .quietNaN { return processNaN(c, uc.kind, fmt) }
        return nil
    }

    @inline(__always) mutating func invalid(_ fmt: FPFormat) -> UInt64 {
        raise(FPSCRBit.ioc)
        return fmt.defaultNaN
    }

    // MARK: FPRound

    /// FPRound of the exact value sig × 2^exp (sig != 0; a nonzero bit below
    /// the precision kept stands for any nonzero remainder).
    mutating func round(_ sign: Bool, _ exp: Int, _ sigIn: UInt64, _ fmt: FPFormat) -> UInt64 {
        let lz = sigIn.leadingZeroBitCount
        let sig = sigIn << UInt64(lz)
        let exponent = exp - lz + 63          // value = 1.xxx × 2^exponent
        let minExp = fmt.minExp
        let f = fmt.f
        if flushToZero && fmt != .half && exponent < minExp {
            raise(FPSCRBit.ufc)
            return fmt.zero(sign)
        }
        var biased: Int
        let shift: Int                        // int_mant = sig >> shift
        if exponent < minExp {
            biased = 0
            shift = 63 - f + (minExp - exponent)
        } else {
            biased = exponent - minExp + 1
            shift = 63 - f
        }
        var mant: UInt64
        let exact: Bool, aboveHalf: Bool, isHalf: Bool
        if shift > 64 {
            mant = 0; exact = false; aboveHalf = false; isHalf = false
        } else if shift == 64 {
            mant = 0
            exact = false
            isHalf = sig == 1 << 63
            aboveHalf = sig > 1 << 63
        } else {
            mant = sig >> UInt64(shift)
            let rem = sig & ((1 << UInt64(shift)) &- 1)
            let halfway: UInt64 = 1 << UInt64(shift - 1)
            exact = rem == 0
            isHalf = rem == halfway
            aboveHalf = rem > halfway
        }
        if biased == 0 && !exact { raise(FPSCRBit.ufc) }
        let roundUp: Bool, overflowToInfinity: Bool
        switch roundingMode {
        case 0: roundUp = aboveHalf || (isHalf && mant & 1 != 0); overflowToInfinity = true
        case 1: roundUp = !exact && !sign; overflowToInfinity = !sign
        case 2: roundUp = !exact && sign; overflowToInfinity = sign
        default: roundUp = false; overflowToInfinity = false
        }
        if roundUp {
            mant &+= 1
            if biased == 0 && mant == 1 << UInt64(f) { biased = 1 }
            if mant == 1 << UInt64(f + 1) { biased += 1; mant >>= 1 }
        }
        var inexact = !exact
        let result: UInt64
        if fmt != .half || !alternativeHalf {
            if biased >= Int(fmt.expField) {
                result = overflowToInfinity ? fmt.infinity(sign) : fmt.maxNormal | fmt.zero(sign)
                raise(FPSCRBit.ofc)
                inexact = true
            } else {
                result = fmt.zero(sign) | UInt64(biased) << UInt64(f) | (mant & fmt.fracMask)
            }
        } else {
            if biased >= 1 << fmt.e {
                result = fmt.zero(sign) | (fmt.signBit &- 1)
                raise(FPSCRBit.ioc)
                inexact = false
            } else {
                result = fmt.zero(sign) | UInt64(biased) << UInt64(f) | (mant & fmt.fracMask)
            }
        }
        if inexact { raise(FPSCRBit.ixc) }
        return result
    }

    /// The zero an exact cancellation produces: -0 only when rounding towards -inf.
    @inline(__always) func cancellationZero(_ fmt: FPFormat) -> UInt64 { fmt.zero(roundingMode == 2) }

    // MARK: Arithmetic

    /// FPAdd (subtraction is addition of the negated second operand).
    mutating func add(_ a: UInt64, _ b: UInt64, _ fmt: FPFormat) -> UInt64 {
        if let r = fastAddSub(a, b, fmt, subtract: false) { return r }
        let x = unpack(a, fmt), y = unpack(b, fmt)
        if let n = processNaNs(a, x, b, y, fmt) { return n }
        if x.kind == .infinity && y.kind == .infinity && x.sign != y.sign { return invalid(fmt) }
        if x.kind == .infinity { return fmt.infinity(x.sign) }
        if y.kind == .infinity { return fmt.infinity(y.sign) }
        if x.kind == .zero && y.kind == .zero {
            return x.sign == y.sign ? fmt.zero(x.sign) : cancellationZero(fmt)
        }
        if x.kind == .zero { return b }   // exact, and not denormal-flushed
        if y.kind == .zero { return a }
        return addFinite(x, y, fmt)
    }

    /// FPSub: NaNs propagate unchanged (the second operand is negated only
    /// as a number).
    mutating func sub(_ a: UInt64, _ b: UInt64, _ fmt: FPFormat) -> UInt64 {
        if let r = fastAddSub(a, b, fmt, subtract: true) { return r }
        let x = unpack(a, fmt)
        var y = unpack(b, fmt)
        if let n = processNaNs(a, x, b, y, fmt) { return n }
        y.sign.toggle()
        if x.kind == .infinity && y.kind == .infinity && x.sign != y.sign { return invalid(fmt) }
        if x.kind == .infinity { return fmt.infinity(x.sign) }
        if y.kind == .infinity { return fmt.infinity(y.sign) }
        if x.kind == .zero && y.kind == .zero {
            return x.sign == y.sign ? fmt.zero(x.sign) : cancellationZero(fmt)
        }
        if x.kind == .zero { return b ^ fmt.signBit }
        if y.kind == .zero { return a }
        return addFinite(x, y, fmt)
    }

    /// Exact sum of two finite nonzero values, rounded.
    mutating func addFinite(_ x: FPUnpacked, _ y: FPUnpacked, _ fmt: FPFormat) -> UInt64 {
        // Bit 63 is kept free for the carry; the significands have at most 53
        // bits, so the shift loses nothing.
        var s1 = x.sig >> 1, e1 = x.exp + 1
        var s2 = y.sig >> 1, e2 = y.exp + 1
        var resultSign = x.sign
        if e1 < e2 || (e1 == e2 && s1 < s2) {
            swap(&s1, &s2); swap(&e1, &e2)
            resultSign = y.sign
        }
        s2 = shiftRightJam(s2, e1 - e2)
        let sum: UInt64
        if x.sign == y.sign {
            sum = s1 &+ s2
        } else {
            sum = s1 &- s2
            if sum == 0 { return cancellationZero(fmt) }
        }
        return round(resultSign, e1, sum, fmt)
    }

    /// FPMul.
    mutating func mul(_ a: UInt64, _ b: UInt64, _ fmt: FPFormat) -> UInt64 {
        if let r = fastMulDiv(a, b, fmt, divide: false) { return r }
        let x = unpack(a, fmt), y = unpack(b, fmt)
        if let n = processNaNs(a, x, b, y, fmt) { return n }
        let sign = x.sign != y.sign
        if (x.kind == .infinity && y.kind == .zero) || (x.kind == .zero && y.kind == .infinity) {
            return invalid(fmt)
        }
        if x.kind == .infinity || y.kind == .infinity { return fmt.infinity(sign) }
        if x.kind == .zero || y.kind == .zero { return fmt.zero(sign) }
        let p = x.sig.multipliedFullWidth(by: y.sig)
        return round(sign, x.exp + y.exp + 64, p.high | (p.low != 0 ? 1 : 0), fmt)
    }

    /// FPDiv.
    mutating func div(_ a: UInt64, _ b: UInt64, _ fmt: FPFormat) -> UInt64 {
        if let r = fastMulDiv(a, b, fmt, divide: true) { return r }
        let x = unpack(a, fmt), y = unpack(b, fmt)
        if let n = processNaNs(a, x, b, y, fmt) { return n }
        let sign = x.sign != y.sign
        if (x.kind == .infinity && y.kind == .infinity) || (x.kind == .zero && y.kind == .zero) {
            return invalid(fmt)
        }
        if x.kind == .infinity || y.kind == .zero {
            if x.kind != .infinity { raise(FPSCRBit.dzc) }
            return fmt.infinity(sign)
        }
        if x.kind == .zero || y.kind == .infinity { return fmt.zero(sign) }
        var n = x.sig, e = x.exp
        if n >= y.sig { n >>= 1; e += 1 }    // low bits of a significand are zero
        let (q, r) = y.sig.dividingFullWidth((high: n, low: 0))
        return round(sign, e - y.exp - 64, q | (r != 0 ? 1 : 0), fmt)
    }

    /// FPSqrt.
    mutating func sqrt(_ a: UInt64, _ fmt: FPFormat) -> UInt64 {
        if let r = fastSqrt(a, fmt) { return r }
        let x = unpack(a, fmt)
        if x.kind.isNaN { return processNaN(a, x.kind, fmt) }
        if x.kind == .zero { return fmt.zero(x.sign) }
        if x.sign { return invalid(fmt) }
        if x.kind == .infinity { return fmt.infinity(false) }
        // value = sig × 2^exp; take N = sig × 2^k with exp - k even.
        let k = (x.exp - 64) & 1 == 0 ? 64 : 63
        let n = UInt128(x.sig) << UInt128(k)
        let (root, remainder) = isqrt(n)
        return round(false, (x.exp - k) / 2, root | (remainder ? 1 : 0), fmt)
    }

    /// FPMulAdd: addend + op1 × op2 with a single rounding.
    mutating func mulAdd(_ addend: UInt64, _ a: UInt64, _ b: UInt64, _ fmt: FPFormat) -> UInt64 {
        let c = unpack(addend, fmt), x = unpack(a, fmt), y = unpack(b, fmt)
        let infZero = (x.kind == .infinity && y.kind == .zero) || (x.kind == .zero && y.kind == .infinity)
        let nan = processNaNs3(addend, c, a, x, b, y, fmt)
        if c.kind == .quietNaN && infZero { return invalid(fmt) }
        if let n = nan { return n }
        let signP = x.sign != y.sign
        let infP = x.kind == .infinity || y.kind == .infinity
        let zeroP = x.kind == .zero || y.kind == .zero
        if infZero || (c.kind == .infinity && infP && c.sign != signP) { return invalid(fmt) }
        if (c.kind == .infinity && !c.sign) || (infP && !signP) { return fmt.infinity(false) }
        if (c.kind == .infinity && c.sign) || (infP && signP) { return fmt.infinity(true) }
        if c.kind == .zero && zeroP && c.sign == signP { return fmt.zero(c.sign) }
        if zeroP {
            return c.kind == .zero ? cancellationZero(fmt) : addend
        }
        // Exact product (at most 106 bits) in 128 bits, MSB at bit 126.
        let ph = x.sig.multipliedFullWidth(by: y.sig)
        var p = UInt128(ph.high) << 64 | UInt128(ph.low)
        var ep = x.exp + y.exp
        // p is in [2^126, 2^128) and has at least 22 trailing zero bits.
        p >>= 1; ep += 1
        if p >> 126 == 0 { p <<= 1; ep -= 1 }
        if c.kind == .zero {
            return round(signP, ep + 64, UInt64(truncatingIfNeeded: p >> 64) | (UInt64(truncatingIfNeeded: p) != 0 ? 1 : 0), fmt)
        }
        var q = UInt128(c.sig) << 63        // MSB at bit 126
        var eq = c.exp - 63
        var big = p, eBig = ep, signBig = signP
        if eq > ep || (eq == ep && q > p) {
            big = q; eBig = eq; signBig = c.sign
            q = p; eq = ep
        }
        let small = shiftRightJam128(q, eBig - eq)
        var s: UInt128
        if c.sign == signP {
            s = big &+ small
        } else {
            s = big &- small
            if s == 0 { return cancellationZero(fmt) }
        }
        let lz = s.leadingZeroBitCount
        s <<= UInt128(lz)
        let sig = UInt64(truncatingIfNeeded: s >> 64) | (UInt64(truncatingIfNeeded: s) != 0 ? 1 : 0)
        return round(signBig, eBig - lz + 64, sig, fmt)
    }

    /// FPCompare: the NZCV nibble (in bits 31:28). `quietNaNsSignal` is VCMPE.
    mutating func compare(_ a: UInt64, _ b: UInt64, _ fmt: FPFormat, quietNaNsSignal: Bool) -> UInt32 {
        let x = unpack(a, fmt), y = unpack(b, fmt)
        if x.kind.isNaN || y.kind.isNaN {
            if x.kind == .signallingNaN || y.kind == .signallingNaN || quietNaNsSignal { raise(FPSCRBit.ioc) }
            return 0x3 << 28
        }
        let kx = orderKey(a, x, fmt), ky = orderKey(b, y, fmt)
        if kx == ky { return 0x6 << 28 }
        return kx < ky ? 0x8 << 28 : 0x2 << 28
    }

    /// A signed integer that orders non-NaN values like their real values
    /// (zeros of both signs, including flushed denormals, are equal).
    @inline(__always) func orderKey(_ bits: UInt64, _ u: FPUnpacked, _ fmt: FPFormat) -> Int64 {
        if u.kind == .zero { return 0 }
        let magnitude = Int64(bitPattern: bits & (fmt.signBit &- 1))
        return u.sign ? -magnitude : magnitude
    }

    // MARK: Conversions

    /// FPToFixed: float to an M-bit (16 or 32) integer with `fbits` fraction
    /// bits, saturating (IOC) like the ARM pseudo-code; NaN gives 0 and IOC.
    /// The result is sign- or zero-extended to 64 bits.
    mutating func toFixed(_ a: UInt64, _ fmt: FPFormat, bits m: Int, fbits: Int, unsigned: Bool,
                          roundTowardsZero: Bool) -> UInt64 {
        let x = unpack(a, fmt)
        let maxPositive: UInt64 = unsigned ? (1 << UInt64(m)) - 1 : (1 << UInt64(m - 1)) - 1
        let maxNegative: UInt64 = unsigned ? 0 : 1 << UInt64(m - 1)     // magnitude
        func make(_ sign: Bool, _ magnitude: UInt64) -> UInt64 {
            sign ? 0 &- magnitude : magnitude
        }
        switch x.kind {
        case .quietNaN, .signallingNaN:
            raise(FPSCRBit.ioc)
            return 0
        case .zero:
            return 0
        case .infinity:
            raise(FPSCRBit.ioc)
            return x.sign ? make(true, maxNegative) : maxPositive
        case .finite:
            break
        }
        let e = x.exp + fbits                 // value = sig × 2^e
        var magnitude: UInt64
        var exact: Bool, isHalf: Bool, aboveHalf: Bool
        var overflow = false
        if e >= 0 {
            magnitude = 0; exact = true; isHalf = false; aboveHalf = false
            overflow = true
        } else {
            let shift = -e
            if shift > 64 {
                magnitude = 0; exact = false; isHalf = false; aboveHalf = false
            } else if shift == 64 {
                magnitude = 0; exact = false
                isHalf = x.sig == 1 << 63; aboveHalf = x.sig > 1 << 63
            } else {
                magnitude = x.sig >> UInt64(shift)
                let rem = x.sig & ((1 << UInt64(shift)) &- 1)
                let halfway: UInt64 = 1 << UInt64(shift - 1)
                exact = rem == 0; isHalf = rem == halfway; aboveHalf = rem > halfway
            }
            let mode = roundTowardsZero ? 3 : roundingMode
            let up: Bool
            switch mode {
            case 0: up = aboveHalf || (isHalf && magnitude & 1 != 0)
            case 1: up = !exact && !x.sign
            case 2: up = !exact && x.sign
            default: up = false
            }
            if up { magnitude &+= 1 }   // magnitude < 2^63 here, cannot wrap
            if x.sign {
                if magnitude > maxNegative { overflow = true }
            } else if magnitude > maxPositive {
                overflow = true
            }
        }
        if overflow {
            raise(FPSCRBit.ioc)
            return x.sign ? make(true, maxNegative) : maxPositive
        }
        if !exact { raise(FPSCRBit.ixc) }
        return make(x.sign, magnitude)
    }

    /// FixedToFP: an M-bit integer (in the low bits of `value`) with `fbits`
    /// fraction bits to floating point, rounded per the FPSCR or, for VCVT
    /// from fixed point (`roundToNearest`), always to nearest.
    mutating func fromFixed(_ value: UInt64, bits m: Int, fbits: Int, unsigned: Bool, _ fmt: FPFormat,
                            roundToNearest: Bool = false) -> UInt64 {
        let raw = value & (m == 64 ? ~0 : (1 << UInt64(m)) - 1)
        var sign = false
        var magnitude = raw
        if !unsigned && raw >> UInt64(m - 1) & 1 != 0 {
            sign = true
            magnitude = (0 &- raw) & ((1 << UInt64(m)) - 1)
        }
        if magnitude == 0 { return 0 }
        if roundToNearest {
            let saved = fpscr
            fpscr &= ~(3 << FPSCRBit.rmodeShift)
            let r = round(sign, -fbits, magnitude, fmt)
            fpscr = (fpscr & ~(3 << FPSCRBit.rmodeShift)) | (saved & 3 << FPSCRBit.rmodeShift)
            return r
        }
        return round(sign, -fbits, magnitude, fmt)
    }

    /// FPSingleToDouble / FPDoubleToSingle.
    mutating func convert(_ a: UInt64, from src: FPFormat, to dst: FPFormat) -> UInt64 {
        let x = unpack(a, src)
        switch x.kind {
        case .quietNaN, .signallingNaN:
            if x.kind == .signallingNaN { raise(FPSCRBit.ioc) }
            if defaultNaNMode { return dst.defaultNaN }
            let frac = a & src.fracMask
            let shifted = dst.f >= src.f ? frac << UInt64(dst.f - src.f) : frac >> UInt64(src.f - dst.f)
            return dst.zero(x.sign) | dst.infinityBits | dst.quietBit | (shifted & dst.fracMask)
        case .infinity: return dst.infinity(x.sign)
        case .zero: return dst.zero(x.sign)
        case .finite: return round(x.sign, x.exp, x.sig, dst)
        }
    }

    /// FPSingleToHalf (IEEE or, with FPSCR.AHP, the alternative format).
    mutating func singleToHalf(_ a: UInt64) -> UInt64 {
        let x = unpack(a, .single)
        let h = FPFormat.half
        switch x.kind {
        case .quietNaN, .signallingNaN:
            if alternativeHalf {
                raise(FPSCRBit.ioc)
                return h.zero(x.sign)
            }
            if x.kind == .signallingNaN { raise(FPSCRBit.ioc) }
            if defaultNaNMode { return h.defaultNaN }
            return h.zero(x.sign) | h.infinityBits | h.quietBit | ((a >> 13) & h.fracMask)
        case .infinity:
            if alternativeHalf {
                raise(FPSCRBit.ioc)
                return h.zero(x.sign) | 0x7FFF
            }
            return h.infinity(x.sign)
        case .zero: return h.zero(x.sign)
        case .finite: return round(x.sign, x.exp, x.sig, h)
        }
    }

    /// FPHalfToSingle.
    mutating func halfToSingle(_ a: UInt64) -> UInt64 {
        let x = unpack(a & 0xFFFF, .half, ahpFormat: alternativeHalf)
        let s = FPFormat.single
        switch x.kind {
        case .quietNaN, .signallingNaN:
            if x.kind == .signallingNaN { raise(FPSCRBit.ioc) }
            if defaultNaNMode { return s.defaultNaN }
            return s.zero(x.sign) | s.infinityBits | s.quietBit | ((a & 0x3FF) << 13)
        case .infinity: return s.infinity(x.sign)
        case .zero: return s.zero(x.sign)
        case .finite: return round(x.sign, x.exp, x.sig, s)
        }
    }
    // MARK: Host fast path

    // With round to nearest (the host's mode, never changed), normal
    // operands and a result that is normal and larger than the smallest
    // normal number, the host's IEEE result is the ARM result: no NaN, no
    // infinity, no denormal input (so FZ/DN/IDC do not matter), no overflow
    // and no tininess. The only flag is IXC, found exactly:
    //  - single: the operation in double is exact (+, -, x with exponents
    //    close enough) or double rounding is innocuous (/, sqrt: 53 >= 2x24+2),
    //    and inexactness is a product check in double;
    //  - double: an error-free transformation (TwoSum, or the FMA residual,
    //    exact when the values are far from the underflow range).
    // Anything else returns nil and takes the exact integer path.

    @inline(__always) static func isNormalSingle(_ a: UInt64) -> Bool {
        let e = (a >> 23) & 0xFF
        return e != 0 && e != 0xFF
    }

    @inline(__always) static func isNormalDouble(_ a: UInt64) -> Bool {
        let e = (a >> 52) & 0x7FF
        return e != 0 && e != 0x7FF
    }

    /// Single result from an exact (or innocuously rounded) double, or nil.
    @inline(__always) static func singleResult(_ r: Double) -> (Float, UInt64)? {
        let f = Float(r)
        guard f.isFinite, f.magnitude > Float.leastNormalMagnitude else { return nil }
        return (f, UInt64(f.bitPattern))
    }

    @inline(__always)
    mutating func fastAddSub(_ a: UInt64, _ b: UInt64, _ fmt: FPFormat, subtract: Bool) -> UInt64? {
        guard roundingMode == 0 else { return nil }
        if fmt == .single {
            guard Self.isNormalSingle(a), Self.isNormalSingle(b) else { return nil }
            let ea = Int((a >> 23) & 0xFF), eb = Int((b >> 23) & 0xFF)
            guard abs(ea - eb) <= 28 else { return nil }          // exact in double
            let x = Double(Float(bitPattern: UInt32(truncatingIfNeeded: a)))
            let y = Double(Float(bitPattern: UInt32(truncatingIfNeeded: b)))
            let r = subtract ? x - y : x + y
            guard let (f, bits) = Self.singleResult(r) else { return nil }
            if Double(f) != r { raise(FPSCRBit.ixc) }
            return bits
        }
        guard fmt == .double, Self.isNormalDouble(a), Self.isNormalDouble(b) else { return nil }
        let x = Double(bitPattern: a)
        let y = subtract ? -Double(bitPattern: b) : Double(bitPattern: b)
        let s = x + y
        guard s.isFinite, s.magnitude > Double.leastNormalMagnitude else { return nil }
        let bb = s - x
        let err = (x - (s - bb)) + (y - bb)
        if err != 0 { raise(FPSCRBit.ixc) }
        return s.bitPattern
    }

    @inline(__always)
    mutating func fastMulDiv(_ a: UInt64, _ b: UInt64, _ fmt: FPFormat, divide: Bool) -> UInt64? {
        guard roundingMode == 0 else { return nil }
        if fmt == .single {
            guard Self.isNormalSingle(a), Self.isNormalSingle(b) else { return nil }
            let x = Double(Float(bitPattern: UInt32(truncatingIfNeeded: a)))
            let y = Double(Float(bitPattern: UInt32(truncatingIfNeeded: b)))
            let r = divide ? x / y : x * y
            guard let (f, bits) = Self.singleResult(r) else { return nil }
            // x * y is exact in double; for x / y, f * y is.
            if divide ? Double(f) * y != x : Double(f) != r { raise(FPSCRBit.ixc) }
            return bits
        }
        guard fmt == .double, Self.isNormalDouble(a), Self.isNormalDouble(b) else { return nil }
        let x = Double(bitPattern: a), y = Double(bitPattern: b)
        // Far from the underflow range the FMA residual is exact.
        let safe = 0x1.0p-900
        guard x.magnitude >= safe, y.magnitude >= safe else { return nil }
        let r = divide ? x / y : x * y
        guard r.isFinite, r.magnitude >= safe else { return nil }
        let residual = divide ? x.addingProduct(-r, y) : (-r).addingProduct(x, y)
        if residual != 0 { raise(FPSCRBit.ixc) }
        return r.bitPattern
    }

    @inline(__always)
    mutating func fastSqrt(_ a: UInt64, _ fmt: FPFormat) -> UInt64? {
        guard roundingMode == 0 else { return nil }
        if fmt == .single {
            guard Self.isNormalSingle(a), a & (1 << 31) == 0 else { return nil }
            let x = Double(Float(bitPattern: UInt32(truncatingIfNeeded: a)))
            let f = Float(x.squareRoot())
            let d = Double(f)
            if d * d != x { raise(FPSCRBit.ixc) }
            return UInt64(f.bitPattern)
        }
        guard fmt == .double, Self.isNormalDouble(a), a >> 63 == 0 else { return nil }
        let x = Double(bitPattern: a)
        guard x >= 0x1.0p-900 else { return nil }
        let r = x.squareRoot()
        if x.addingProduct(-r, r) != 0 { raise(FPSCRBit.ixc) }
        return r.bitPattern
    }
}

/// `x >> n` with every shifted-out 1 ORed into bit 0.
@inline(__always) func shiftRightJam(_ x: UInt64, _ n: Int) -> UInt64 {
    if n == 0 { return x }
    if n >= 64 { return x != 0 ? 1 : 0 }
    return x >> UInt64(n) | (x << UInt64(64 - n) != 0 ? 1 : 0)
}

@inline(__always) func shiftRightJam128(_ x: UInt128, _ n: Int) -> UInt128 {
    if n == 0 { return x }
    if n >= 128 { return x != 0 ? 1 : 0 }
    return x >> UInt128(n) | (x << UInt128(128 - n) != 0 ? 1 : 0)
}

/// Floor of the square root of `n` (n in [2^126, 2^128)) and whether the
/// root is inexact. A Newton step from a host estimate, then exact fix-up.
func isqrt(_ n: UInt128) -> (UInt64, Bool) {
    let estimate = Double(n).squareRoot()
    var r = UInt128(min(estimate, 18_446_744_073_709_549_568.0))   // < 2^64
    if r == 0 { r = 1 }
    r = (r + n / r) >> 1
    if r > UInt128(UInt64.max) { r = UInt128(UInt64.max) }
    while r * r > n { r -= 1 }
    while (r + 1) * (r + 1) <= n { r += 1 }
    return (UInt64(r), r * r != n)
}
