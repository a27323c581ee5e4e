/// Shared pieces of Advanced SIMD execution: register operands, lanes of a
/// 64-bit D register, saturation with FPSCR.QC, and the "standard FPSCR value"
/// that Advanced SIMD floating-point arithmetic uses (ARM ARM A2.7.x).

/// FPSCR.QC: cumulative saturation (bit 27).
let fpscrQC: UInt32 = 1 << 27

/// The register fields most Advanced SIMD data-processing encodings share.
/// A Q register k is the D pair 2k (low half), 2k+1 (high half).
struct NEONOperands {
    /// D:Vd, N:Vn, M:Vm (D register numbers, 0–31).
    let d: Int, n: Int, m: Int
    /// Bit 6: 128-bit (Q) operation.
    let q: Bool
    /// Bits 21:20 (element size 8 << size for most groups).
    let size: Int
    /// Bit 24 (U): unsigned, or the second of two operations.
    let u: Bool

    @inline(__always) init(_ raw: UInt32) {
        d = Int((raw >> 18) & 0x10 | (raw >> 12) & 0xF)
        n = Int((raw >> 3) & 0x10 | (raw >> 16) & 0xF)
        m = Int((raw >> 1) & 0x10 | raw & 0xF)
        q = raw & (1 << 6) != 0
        size = Int((raw >> 20) & 3)
        u = raw & (1 << 24) != 0
    }

    /// D registers per operand: 2 for Q operations, else 1.
    @inline(__always) var regs: Int { q ? 2 : 1 }

    /// Q operations need even register numbers (else UNDEFINED). Fixed
    /// arities, not variadic: a variadic parameter allocates an array per call.
    @inline(__always) func checkQ(_ a: Int, _ b: Int = 0, _ c: Int = 0) throws(CPUException) {
        if q && (a | b | c) & 1 != 0 { throw .undefined }
    }
}

/// Lanes of a 64-bit value (little-endian lane order, as in D registers).
enum NEONLane {
    /// Lane `i` of width `esize` bits, zero-extended.
    @inline(__always) static func get(_ v: UInt64, _ i: Int, _ esize: Int) -> UInt64 {
        esize == 64 ? v : (v >> UInt64(i * esize)) & ((1 << UInt64(esize)) - 1)
    }

    /// Lane `i` of width `esize` bits, sign-extended.
    @inline(__always) static func getSigned(_ v: UInt64, _ i: Int, _ esize: Int) -> Int64 {
        let x = get(v, i, esize)
        let shift = UInt64(64 - esize)
        return Int64(bitPattern: x << shift) >> Int64(shift)
    }

    /// `v` with lane `i` of width `esize` replaced by the low bits of `x`.
    @inline(__always) static func set(_ v: UInt64, _ i: Int, _ esize: Int, _ x: UInt64) -> UInt64 {
        if esize == 64 { return x }
        let mask: UInt64 = ((1 << UInt64(esize)) - 1) << UInt64(i * esize)
        return v & ~mask | (x << UInt64(i * esize)) & mask
    }
}

extension Core {
    /// Sets FPSCR.QC (a saturating operation saturated).
    @inline(__always) func neonSetQC() { fpscr |= fpscrQC }

    /// Signed saturation of `x` to `bits` bits; sets QC when it saturates.
    /// Returns the result's bit pattern (truncated to `bits`).
    @inline(__always) func neonSaturateSigned(_ x: Int64, _ bits: Int) -> UInt64 {
        let max = bits == 64 ? Int64.max : (Int64(1) << Int64(bits - 1)) - 1
        let min = bits == 64 ? Int64.min : -(Int64(1) << Int64(bits - 1))
        if x > max { neonSetQC(); return UInt64(bitPattern: max) }
        if x < min { neonSetQC(); return UInt64(bitPattern: min) }
        return UInt64(bitPattern: x)
    }

    /// Unsigned saturation of signed `x` to `bits` bits; sets QC when it saturates.
    @inline(__always) func neonSaturateUnsigned(_ x: Int64, _ bits: Int) -> UInt64 {
        let max: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        if x < 0 { neonSetQC(); return 0 }
        if UInt64(x) > max { neonSetQC(); return max }
        return UInt64(x)
    }

    /// Runs `body` with the Advanced SIMD standard FPSCR value (flush-to-zero,
    /// default NaN, round to nearest; AHP as in FPSCR) and ORs the cumulative
    /// exception flags it raised into the FPSCR.
    @inline(__always) func neonStandardFP<T>(_ body: (inout VFPArith) -> T) -> T {
        var arith = VFPArith(fpscr: FPSCRBit.fz | FPSCRBit.dn | (fpscr & FPSCRBit.ahp))
        let result = body(&arith)
        fpscr |= arith.fpscr & 0x9F
        return result
    }
}
