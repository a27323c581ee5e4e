/// Advanced SIMD two registers and a shift amount (ARM ARM DDI 0406C
/// A7.4.4, table A7-15): shifts of same-size lanes here; the narrowing and
/// lengthening shifts and the fixed-point conversions in NEONShiftNarrow.swift.
///
/// L:imm6 gives the element size (the position of its leading 1: 0001xxx
/// is 8 bits, 001xxxx 16, 01xxxxx 32, 1xxxxxx 64) and the shift: imm6 - esize
/// to the left, 2 × esize - imm6 to the right (imm6 for 64-bit lanes).
extension Core {
    /// `raw` is 1111001U 1Diiiiii dddd AAAA LQM1 mmmm (L:imm6 not 000xxxx).
    func neonTwoRegistersShift(_ raw: UInt32) throws(CPUException) {
        let u = raw & (1 << 24) != 0
        let l = raw & (1 << 7) != 0
        switch (raw >> 8) & 0xF {
        case 0x0: try twoRegShiftRight(raw, accumulate: false, rounding: false)    // VSHR
        case 0x1: try twoRegShiftRight(raw, accumulate: true, rounding: false)     // VSRA
        case 0x2: try twoRegShiftRight(raw, accumulate: false, rounding: true)     // VRSHR
        case 0x3: try twoRegShiftRight(raw, accumulate: true, rounding: true)      // VRSRA
        case 0x4:
            guard u else { throw .undefined }
            try twoRegShiftInsert(raw, left: false)                                 // VSRI
        case 0x5: try u ? twoRegShiftInsert(raw, left: true) : twoRegShiftLeft(raw) // VSLI, VSHL
        case 0x6, 0x7: try twoRegShiftSaturatingLeft(raw)                          // VQSHL, VQSHLU
        case 0x8, 0x9:
            guard !l else { throw .undefined }
            try twoRegShiftRightNarrow(raw)          // VSHRN, VRSHRN, VQ(R)SHRN, VQ(R)SHRUN
        case 0xA:
            guard !l, raw & (1 << 6) == 0 else { throw .undefined }
            try twoRegShiftLeftLong(raw)                                            // VSHLL, VMOVL
        case 0xE, 0xF:
            guard !l else { throw .undefined }
            try twoRegShiftFixedPointConvert(raw)                                   // VCVT
        default:
            throw .undefined
        }
    }

    /// Element size from L:imm6 (8, 16, 32 or 64 bits).
    @inline(__always)
    func twoRegShiftElementSize(_ raw: UInt32) -> Int {
        if raw & (1 << 7) != 0 { return 64 }
        let imm6 = (raw >> 16) & 0x3F
        return imm6 >= 0x20 ? 32 : imm6 >= 0x10 ? 16 : 8
    }

    /// The operands of a same-size shift, its element size and imm6, after
    /// the Q register check.
    @inline(__always)
    func twoRegShiftOperands(_ raw: UInt32) throws(CPUException) -> (o: NEONOperands, esize: Int, imm6: Int) {
        let o = NEONOperands(raw)
        try o.checkQ(o.d, o.m)
        return (o, twoRegShiftElementSize(raw), Int((raw >> 16) & 0x3F))
    }

    /// Writes Vd with `op(m, d)` of each lane (zero-extended values, low
    /// `esize` bits of the result kept).
    @inline(__always)
    func twoRegShiftLanes(_ o: NEONOperands, esize: Int, _ op: (UInt64, UInt64) -> UInt64) {
        let lanes = 64 / esize
        for r in 0..<o.regs {
            let m = dReg(o.m + r), old = dReg(o.d + r)
            var result: UInt64 = 0
            for i in 0..<lanes {
                result = NEONLane.set(result, i, esize, op(NEONLane.get(m, i, esize), NEONLane.get(old, i, esize)))
            }
            setDReg(o.d + r, result)
        }
    }

    /// VSHR, VSRA, VRSHR, VRSRA: shift by 1 to esize, signed (U = 0) or
    /// unsigned; the accumulating forms add to Vd (wrapping).
    func twoRegShiftRight(_ raw: UInt32, accumulate: Bool, rounding: Bool) throws(CPUException) {
        let (o, esize, imm6) = try twoRegShiftOperands(raw)
        let shift = (esize == 64 ? 64 : 2 * esize) - imm6
        let signed = !o.u
        twoRegShiftLanes(o, esize: esize) { m, d in
            let shifted = threeSameShiftLane(m, by: -shift, esize: esize, signed: signed, rounding: rounding)
            return accumulate ? d &+ shifted : shifted
        }
    }

    /// VSHL (immediate): shift left by 0 to esize - 1.
    func twoRegShiftLeft(_ raw: UInt32) throws(CPUException) {
        let (o, esize, imm6) = try twoRegShiftOperands(raw)
        let shift = UInt64(esize == 64 ? imm6 : imm6 - esize)
        twoRegShiftLanes(o, esize: esize) { m, _ in m << shift }
    }

    /// VSRI (shift right by 1 to esize) and VSLI (left by 0 to esize - 1):
    /// the shifted lane replaces only the bits it covers in Vd.
    func twoRegShiftInsert(_ raw: UInt32, left: Bool) throws(CPUException) {
        let (o, esize, imm6) = try twoRegShiftOperands(raw)
        let ones: UInt64 = esize == 64 ? .max : (1 << UInt64(esize)) - 1
        let shift = left ? (esize == 64 ? imm6 : imm6 - esize) : (esize == 64 ? 64 : 2 * esize) - imm6
        // Smart shifts: a right shift by 64 leaves nothing.
        let mask = left ? ones << UInt64(shift) & ones : ones >> UInt64(shift)
        twoRegShiftLanes(o, esize: esize) { m, d in
            let shifted = left ? m << UInt64(shift) : m >> UInt64(shift)
            return d & ~mask | shifted & mask
        }
    }

    /// VQSHL, VQSHLU (immediate), A = 011op: left by 0 to esize - 1 with
    /// saturation. U:op = 01 signed, 11 unsigned, 10 signed to unsigned
    /// (VQSHLU); 00 UNDEFINED.
    func twoRegShiftSaturatingLeft(_ raw: UInt32) throws(CPUException) {
        let (o, esize, imm6) = try twoRegShiftOperands(raw)
        let op = raw & (1 << 8) != 0
        if !o.u && !op { throw .undefined }
        let shift = esize == 64 ? imm6 : imm6 - esize
        let signedSource = !(o.u && op)
        let unsignedResult = o.u
        twoRegShiftLanes(o, esize: esize) { m, _ in
            threeSameSaturatingShiftLane(m, by: shift, esize: esize,
                                    signedSource: signedSource, unsignedResult: unsignedResult)
        }
    }
}
