/// Advanced SIMD element permutations of A7.4.5: VREV16/32/64, VSWP, VTRN,
/// VUZP, VZIP. Results are computed from values read up front, so the
/// registers may overlap. Vd = Vm is UNKNOWN for VTRN/VUZP/VZIP in the ARM
/// ARM; as QEMU, the Vm result is written, then the Vd result (VTRN.32
/// swaps the halves).
extension Core {
    /// VREV64 (op 0), VREV32 (1), VREV16 (2): reverses the `8 << size`-bit
    /// elements in each `64 >> op`-bit container.
    func neonReverse(_ ops: NEONOperands, size: Int, op: Int) throws(CPUException) {
        if op + size >= 3 { throw .undefined }
        try ops.checkQ(ops.d, ops.m)
        let esize = 8 << size
        let flip = (64 >> op) / esize - 1       // element index XOR within a container
        for r in 0..<ops.regs {
            let m = dReg(ops.m + r)
            var result: UInt64 = 0
            for e in 0..<(64 / esize) { result = NEONLane.set(result, e, esize, NEONLane.get(m, e ^ flip, esize)) }
            setDReg(ops.d + r, result)
        }
    }

    /// VSWP: exchanges Dd and Dm (Qd and Qm).
    func neonSwap(_ ops: NEONOperands, size: Int) throws(CPUException) {
        if size != 0 { throw .undefined }
        try ops.checkQ(ops.d, ops.m)
        for r in 0..<ops.regs {
            let d = dReg(ops.d + r), m = dReg(ops.m + r)
            setDReg(ops.d + r, m)
            setDReg(ops.m + r, d)
        }
    }

    /// VTRN: treats the two registers as 2×2 matrices of elements and
    /// transposes them: Dd's odd elements swap with Dm's even ones.
    func neonTranspose(_ ops: NEONOperands, size: Int) throws(CPUException) {
        if size == 3 { throw .undefined }
        try ops.checkQ(ops.d, ops.m)
        let esize = 8 << size
        for r in 0..<ops.regs {
            var d = dReg(ops.d + r), m = dReg(ops.m + r)
            if ops.d == ops.m && esize == 32 {
                // QEMU exchanges Dm[0] and Dd[1] in place: the halves swap.
                setDReg(ops.d + r, d >> 32 | d << 32)
                continue
            }
            let d0 = d, m0 = m
            for e in stride(from: 0, to: 64 / esize, by: 2) {
                d = NEONLane.set(d, e + 1, esize, NEONLane.get(m0, e, esize))
                m = NEONLane.set(m, e, esize, NEONLane.get(d0, e + 1, esize))
            }
            setDReg(ops.m + r, m)
            setDReg(ops.d + r, d)
        }
    }

    /// VUZP: de-interleaves the concatenation Vm:Vd: even elements to Vd,
    /// odd ones to Vm. The D form with 32-bit elements is UNDEFINED (VTRN).
    func neonUnzip(_ ops: NEONOperands, size: Int) throws(CPUException) {
        try neonInterleave(ops, size: size, zip: false)
    }

    /// VZIP: interleaves Vd and Vm; the low half of the result goes to Vd,
    /// the high half to Vm. The D form with 32-bit elements is UNDEFINED (VTRN).
    func neonZip(_ ops: NEONOperands, size: Int) throws(CPUException) {
        try neonInterleave(ops, size: size, zip: true)
    }

    /// VZIP and VUZP over the concatenation Vm:Vd (2 or 4 D registers,
    /// `total` elements): zip moves element e of each half to 2e and 2e + 1,
    /// unzip is its inverse.
    @inline(__always) private func neonInterleave(_ ops: NEONOperands, size: Int, zip: Bool) throws(CPUException) {
        if size == 3 || (!ops.q && size == 2) { throw .undefined }
        try ops.checkQ(ops.d, ops.m)
        let esize = 8 << size, regs = ops.regs
        let source = regs == 1 ? PermuteWords(dReg(ops.d), dReg(ops.m), 0, 0)
                               : PermuteWords(dReg(ops.d), dReg(ops.d + 1), dReg(ops.m), dReg(ops.m + 1))
        var result = PermuteWords(0, 0, 0, 0)
        let half = regs * 64 / esize
        for e in 0..<half {
            if zip {
                result.set(2 * e, esize, source.get(e, esize))
                result.set(2 * e + 1, esize, source.get(half + e, esize))
            } else {
                result.set(e, esize, source.get(2 * e, esize))
                result.set(half + e, esize, source.get(2 * e + 1, esize))
            }
        }
        if regs == 1 {
            setDReg(ops.m, result.w.1)
            setDReg(ops.d, result.w.0)
        } else {
            setDReg(ops.m, result.w.2)
            setDReg(ops.m + 1, result.w.3)
            setDReg(ops.d, result.w.0)
            setDReg(ops.d + 1, result.w.1)
        }
    }
}

/// Up to four D registers as one vector of elements (element i of width
/// esize is in word i / (64 / esize)), without an array.
private struct PermuteWords {
    var w: (UInt64, UInt64, UInt64, UInt64)

    @inline(__always) init(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) { w = (a, b, c, d) }

    @inline(__always) func get(_ i: Int, _ esize: Int) -> UInt64 {
        let perWord = 64 / esize, lane = i % perWord
        switch i / perWord {
        case 0: return NEONLane.get(w.0, lane, esize)
        case 1: return NEONLane.get(w.1, lane, esize)
        case 2: return NEONLane.get(w.2, lane, esize)
        default: return NEONLane.get(w.3, lane, esize)
        }
    }

    @inline(__always) mutating func set(_ i: Int, _ esize: Int, _ x: UInt64) {
        let perWord = 64 / esize, lane = i % perWord
        switch i / perWord {
        case 0: w.0 = NEONLane.set(w.0, lane, esize, x)
        case 1: w.1 = NEONLane.set(w.1, lane, esize, x)
        case 2: w.2 = NEONLane.set(w.2, lane, esize, x)
        default: w.3 = NEONLane.set(w.3, lane, esize, x)
        }
    }
}
