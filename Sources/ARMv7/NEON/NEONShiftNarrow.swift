/// The shifts of A7.4.4 that change the element size (narrowing right
/// shifts from a Q register to a D register, lengthening left shifts from D
/// to Q) and VCVT between single precision and 32-bit fixed point.
extension Core {
    /// VSHRN, VRSHRN (A = 1000, U = 0), VQSHRUN, VQRSHRUN (A = 1000, U = 1),
    /// VQSHRN, VQRSHRN (A = 1001); bit 6 selects rounding. imm6 gives the
    /// result's esize as for other shifts; the shift is 1 to esize and the
    /// source lanes are 2 × esize bits of Qm.
    func twoRegShiftRightNarrow(_ raw: UInt32) throws(CPUException) {
        let o = NEONOperands(raw)
        if o.m & 1 != 0 { throw .undefined }
        let esize = twoRegShiftElementSize(raw)
        let shift = 2 * esize - Int((raw >> 16) & 0x3F)
        let rounding = raw & (1 << 6) != 0
        let saturating = raw & (1 << 8) != 0 || o.u
        // Source signedness and result range: VSHRN truncates; VQSHRN U = 0
        // is signed to signed, U = 1 unsigned to unsigned; VQSHRUN signed to unsigned.
        let signedSource = raw & (1 << 8) == 0 || !o.u
        let unsignedResult = o.u
        let source = (dReg(o.m), dReg(o.m + 1))
        let wide = 2 * esize
        let perRegister = 64 / wide
        var result: UInt64 = 0
        for i in 0..<(64 / esize) {
            let word = i < perRegister ? source.0 : source.1
            let lane = NEONLane.get(word, i % perRegister, wide)
            let shifted = threeSameShiftLane(lane, by: -shift, esize: wide, signed: signedSource, rounding: rounding)
            let narrowed: UInt64
            if !saturating {
                narrowed = shifted
            } else if signedSource {
                let value = Int64(bitPattern: shifted)
                narrowed = unsignedResult ? neonSaturateUnsigned(value, esize) : neonSaturateSigned(value, esize)
            } else {
                let max: UInt64 = (1 << UInt64(esize)) - 1
                if shifted > max { neonSetQC(); narrowed = max } else { narrowed = shifted }
            }
            result = NEONLane.set(result, i, esize, narrowed)
        }
        setDReg(o.d, result)
    }

    /// VSHLL (A = 1010, shift 0 to esize - 1) and VMOVL (shift 0): each lane
    /// of Dm sign- (U = 0) or zero-extended to 2 × esize bits, then shifted.
    func twoRegShiftLeftLong(_ raw: UInt32) throws(CPUException) {
        let o = NEONOperands(raw)
        if o.d & 1 != 0 { throw .undefined }
        let esize = twoRegShiftElementSize(raw)
        let shift = UInt64(Int((raw >> 16) & 0x3F) - esize)
        let source = dReg(o.m)
        let wide = 2 * esize
        let perRegister = 64 / wide
        for r in 0..<2 {
            var result: UInt64 = 0
            for i in 0..<perRegister {
                let j = r * perRegister + i
                let lane = o.u ? NEONLane.get(source, j, esize)
                               : UInt64(bitPattern: NEONLane.getSigned(source, j, esize))
                result = NEONLane.set(result, i, wide, lane << shift)
            }
            setDReg(o.d + r, result)
        }
    }

    /// VCVT between single precision and 32-bit fixed point with 64 - imm6
    /// fraction bits (imm6 >= 32, else UNDEFINED): bit 8 set converts to
    /// fixed point, rounding towards zero; clear, from fixed point, rounding
    /// to nearest. U: unsigned fixed point. Standard FPSCR value.
    func twoRegShiftFixedPointConvert(_ raw: UInt32) throws(CPUException) {
        let imm6 = Int((raw >> 16) & 0x3F)
        if imm6 < 32 { throw .undefined }
        let o = NEONOperands(raw)
        try o.checkQ(o.d, o.m)
        let fbits = 64 - imm6
        let toFixed = raw & (1 << 8) != 0
        let unsigned = o.u
        neonStandardFP { fp in
            for r in 0..<o.regs {
                let m = dReg(o.m + r)
                var result: UInt64 = 0
                for i in 0..<2 {
                    let lane = NEONLane.get(m, i, 32)
                    let converted = toFixed
                        ? fp.toFixed(lane, .single, bits: 32, fbits: fbits, unsigned: unsigned, roundTowardsZero: true)
                        : fp.fromFixed(lane, bits: 32, fbits: fbits, unsigned: unsigned, .single, roundToNearest: true)
                    result = NEONLane.set(result, i, 32, converted)
                }
                setDReg(o.d + r, result)
            }
        }
    }
}
