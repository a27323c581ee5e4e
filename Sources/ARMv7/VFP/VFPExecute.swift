/// Decode and execution of the VFP instructions (coprocessors 10 and 11):
/// ARM ARM DDI 0406C A7.5 (data processing), A7.6/A7.8 (core transfers),
/// A7.6 (extension register loads and stores), with the enable and trap
/// checks of B1.11.x (CPACR, HCPTR, FPEXC).
///
/// `raw` is always the A32 form of the instruction; the T32 decoder hands
/// VFP encodings over with the same low 28 bits.
extension Core {
    /// Executes one coprocessor 10/11 instruction whose condition passed.
    @inline(never)
    func executeVFP(_ raw: UInt32, cond: UInt8) throws(CPUException) {
        // cond = 0b1111 (A32) / 0b1111 prefix (T32) in cp10/11 space is
        // Advanced SIMD or ARMv8 only: UNDEFINED here.
        if raw >> 28 == 0xF { throw .undefined }
        switch (raw >> 24) & 0xF {
        case 0xE:
            if raw & 0x10 == 0 {
                try vfpDataProcessing(raw, cond: cond)
            } else {
                try vfpCoreTransfer(raw, cond: cond)
            }
        case 0xC, 0xD:
            if raw & 0x0FE0_0000 == 0x0C40_0000 {
                try vfpTransfer64(raw, cond: cond)
            } else {
                try vfpLoadStore(raw, cond: cond)
            }
        default:
            throw .undefined
        }
    }

    // MARK: Enable and trap checks

    /// CheckVFPEnabled: CPACR.cp10/cp11 (not in Hyp mode), then HCPTR.TCP10/
    /// TCP11 (a trap to Hyp mode from PL0/PL1, UNDEFINED in Hyp mode), then
    /// FPEXC.EN unless `checkFPEXC` is false (VMRS/VMSR of the system
    /// registers other than the FPSCR).
    @inline(__always)
    func vfpCheckEnabled(_ raw: UInt32, cond: UInt8, checkFPEXC: Bool = true) throws(CPUException) {
        let cp11 = (raw >> 8) & 1
        let trapBit: UInt32 = 1 << (10 + cp11)
        if mode != .hyp {
            let access = (sys.cpacr >> (20 + 2 * cp11)) & 3
            if access != 3 && (access != 1 || mode == .user) { throw .undefined }
            if sys.hcptr & trapBit != 0 {
                // HSR EC 0x07: CV, COND, TA = 0 (not Advanced SIMD), coproc.
                let iss: UInt32 = 1 << 24 | UInt32(cond & 0xF) << 20 | (10 + cp11)
                throw .hypTrap(syndrome: HSRClass.hcptr.syndrome(iss: iss))
            }
        } else if sys.hcptr & trapBit != 0 {
            throw .undefined
        }
        if checkFPEXC && fpexc & FPEXCBit.en == 0 { throw .undefined }
    }

    /// CPACR.D32DIS: D16–D31 are UNDEFINED outside Hyp mode when it is set.
    @inline(__always) func vfpCheckRegister(_ d: Int) throws(CPUException) {
        if d >= 16 && sys.cpacr & (1 << 30) != 0 && mode != .hyp { throw .undefined }
    }

    /// The A15 has no short vectors: a data-processing instruction that
    /// would be a vector operation with FPSCR.Len/Stride nonzero is UNDEFINED.
    @inline(__always) func vfpCheckScalar() throws(CPUException) {
        if fpscr & FPSCRBit.lenStride != 0 {
            fpexc |= FPEXCBit.dex
            throw .undefined
        }
    }

    // MARK: Data processing (CDP space)

    func vfpDataProcessing(_ raw: UInt32, cond: UInt8) throws(CPUException) {
        try vfpCheckEnabled(raw, cond: cond)
        let dp = raw & 0x100 != 0
        let vd = Int((raw >> 12) & 0xF), vn = Int((raw >> 16) & 0xF), vm = Int(raw & 0xF)
        let bD = Int((raw >> 22) & 1), bN = Int((raw >> 7) & 1), bM = Int((raw >> 5) & 1)
        let d = dp ? bD << 4 | vd : vd << 1 | bD
        let m = dp ? bM << 4 | vm : vm << 1 | bM
        let fmt: FPFormat = dp ? .double : .single
        let op6 = raw & 0x40 != 0
        let opc1 = (raw >> 20) & 0xB
        if opc1 != 0xB {
            // Three-register forms.
            let n = dp ? bN << 4 | vn : vn << 1 | bN
            if dp { try vfpCheckRegister(d | n | m) }
            if opc1 == 0x8 && op6 { throw .undefined }
            if opc1 > 0xA || (opc1 > 0x3 && opc1 < 0x8) { throw .undefined }
            try vfpCheckScalar()
            let a = vfpRead(n, dp: dp), b = vfpRead(m, dp: dp)
            let sign = fmt.signBit
            var fp = VFPArith(fpscr: fpscr)
            let result: UInt64
            switch opc1 {
            case 0x0:   // VMLA / VMLS
                var product = fp.mul(a, b, fmt)
                if op6 { product ^= sign }
                result = fp.add(vfpRead(d, dp: dp), product, fmt)
            case 0x1:   // VNMLA (op6) / VNMLS
                var product = fp.mul(a, b, fmt)
                if op6 { product ^= sign }
                result = fp.add(vfpRead(d, dp: dp) ^ sign, product, fmt)
            case 0x2:   // VMUL / VNMUL (op6)
                let product = fp.mul(a, b, fmt)
                result = op6 ? product ^ sign : product
            case 0x3:   // VADD / VSUB (op6)
                result = op6 ? fp.sub(a, b, fmt) : fp.add(a, b, fmt)
            case 0x8:   // VDIV
                result = fp.div(a, b, fmt)
            case 0x9:   // VFNMA (op6) / VFNMS
                result = fp.mulAdd(vfpRead(d, dp: dp) ^ sign, op6 ? a ^ sign : a, b, fmt)
            default:    // 0xA: VFMA / VFMS (op6)
                result = fp.mulAdd(vfpRead(d, dp: dp), op6 ? a ^ sign : a, b, fmt)
            }
            fpscr = fp.fpscr
            vfpWrite(d, dp: dp, result)
            return
        }
        // Other data-processing instructions: opc2 = bits 19:16.
        if !op6 {
            // VMOV (immediate): VFPExpandImm.
            if dp { try vfpCheckRegister(d) }
            try vfpCheckScalar()
            let imm8 = UInt64((raw >> 12) & 0xF0 | raw & 0xF)
            vfpWrite(d, dp: dp, vfpExpandImmediate(imm8, fmt))
            return
        }
        let bit7 = raw & 0x80 != 0
        switch vn {
        case 0x0, 0x1:   // VMOV (register), VABS, VNEG, VSQRT
            if dp { try vfpCheckRegister(d | m) }
            try vfpCheckScalar()
            let a = vfpRead(m, dp: dp)
            let result: UInt64
            switch (vn, bit7) {
            case (0, false): result = a
            case (0, true): result = a & ~fmt.signBit
            case (_, false): result = a ^ fmt.signBit
            default:
                var fp = VFPArith(fpscr: fpscr)
                result = fp.sqrt(a, fmt)
                fpscr = fp.fpscr
            }
            vfpWrite(d, dp: dp, result)
        case 0x2, 0x3:   // VCVTB / VCVTT between half and single
            if dp { throw .undefined }   // half <-> double is ARMv8
            let top = bit7
            var fp = VFPArith(fpscr: fpscr)
            if vn == 0x2 {
                let s = sReg(m)
                let h = top ? s >> 16 : s & 0xFFFF
                let r = fp.halfToSingle(UInt64(h))
                setSReg(d, UInt32(truncatingIfNeeded: r))
            } else {
                let h = UInt32(truncatingIfNeeded: fp.singleToHalf(UInt64(sReg(m))))
                let old = sReg(d)
                setSReg(d, top ? (old & 0xFFFF) | h << 16 : (old & 0xFFFF_0000) | h)
            }
            fpscr = fp.fpscr
        case 0x4, 0x5:   // VCMP / VCMPE (bit 7), with #0.0 when opc2 = 0101
            let withZero = vn == 0x5
            if dp { try vfpCheckRegister(withZero ? d : d | m) }
            var fp = VFPArith(fpscr: fpscr)
            let b: UInt64 = withZero ? 0 : vfpRead(m, dp: dp)
            let nzcv = fp.compare(vfpRead(d, dp: dp), b, fmt, quietNaNsSignal: bit7)
            fpscr = (fp.fpscr & 0x0FFF_FFFF) | nzcv
        case 0x7:        // VCVT between double and single
            if !bit7 { throw .undefined }
            var fp = VFPArith(fpscr: fpscr)
            if dp {
                let src = bM << 4 | vm
                try vfpCheckRegister(src)
                let r = fp.convert(dReg(src), from: .double, to: .single)
                setSReg(vd << 1 | bD, UInt32(truncatingIfNeeded: r))
            } else {
                let dst = bD << 4 | vd
                try vfpCheckRegister(dst)
                setDReg(dst, fp.convert(UInt64(sReg(vm << 1 | bM)), from: .single, to: .double))
            }
            fpscr = fp.fpscr
        case 0x8:        // VCVT integer -> float (bit 7: signed)
            if dp { try vfpCheckRegister(d) }
            var fp = VFPArith(fpscr: fpscr)
            let r = fp.fromFixed(UInt64(sReg(vm << 1 | bM)), bits: 32, fbits: 0, unsigned: !bit7, fmt)
            fpscr = fp.fpscr
            vfpWrite(d, dp: dp, r)
        case 0xC, 0xD:   // VCVT{R} float -> integer (bit 16: signed, bit 7: towards zero)
            if dp { try vfpCheckRegister(m) }
            var fp = VFPArith(fpscr: fpscr)
            let r = fp.toFixed(vfpRead(m, dp: dp), fmt, bits: 32, fbits: 0, unsigned: vn == 0xC,
                               roundTowardsZero: bit7)
            fpscr = fp.fpscr
            setSReg(vd << 1 | bD, UInt32(truncatingIfNeeded: r))
        case 0xA, 0xB, 0xE, 0xF:   // VCVT between float and fixed point (in place)
            if dp { try vfpCheckRegister(d) }
            let size = bit7 ? 32 : 16
            let fbits = size - Int((raw & 0xF) << 1 | (raw >> 5) & 1)
            if fbits < 0 { throw .undefined }
            let unsigned = vn & 1 != 0
            var fp = VFPArith(fpscr: fpscr)
            let r: UInt64
            if vn >= 0xE {
                r = fp.toFixed(vfpRead(d, dp: dp), fmt, bits: size, fbits: fbits, unsigned: unsigned,
                               roundTowardsZero: true)
            } else {
                r = fp.fromFixed(vfpRead(d, dp: dp), bits: size, fbits: fbits, unsigned: unsigned, fmt,
                                 roundToNearest: true)
            }
            fpscr = fp.fpscr
            vfpWrite(d, dp: dp, dp ? r : r & 0xFFFF_FFFF)
        default:
            throw .undefined
        }
    }

    /// VFPExpandImm: imm8 = abcdefgh -> sign a, exponent NOT(b):b..b:cd,
    /// fraction efgh followed by zeros.
    @inline(__always) func vfpExpandImmediate(_ imm8: UInt64, _ fmt: FPFormat) -> UInt64 {
        let sign = (imm8 >> 7) & 1
        let b = (imm8 >> 6) & 1
        let cd = (imm8 >> 4) & 3
        let efgh = imm8 & 0xF
        let e = UInt64(fmt.e)
        let exp = (b ^ 1) << (e - 1) | (b != 0 ? ((1 << (e - 3)) - 1) << 2 : 0) | cd
        return sign << (e + UInt64(fmt.f)) | exp << UInt64(fmt.f) | efgh << UInt64(fmt.f - 4)
    }

    // MARK: 8/16/32-bit transfers between core and extension registers

    func vfpCoreTransfer(_ raw: UInt32, cond: UInt8) throws(CPUException) {
        let toCore = raw & (1 << 20) != 0
        let t = Int((raw >> 12) & 0xF)
        let a = (raw >> 21) & 7
        if raw & 0x100 == 0 {
            if a == 7 { return try vfpSystemRegisterTransfer(raw, cond: cond) }
            if a != 0 || raw & 0x6F != 0 { throw .undefined }
            // VMOV between a core register and a single register.
            try vfpCheckEnabled(raw, cond: cond)
            if t == 15 { throw .undefined }
            let n = Int((raw >> 15) & 0x1E | (raw >> 7) & 1)
            if toCore { r[t] = sReg(n) } else { setSReg(n, r[t]) }
            return
        }
        // VMOV between a core register and a 32-bit scalar; the 8- and 16-bit
        // forms and VDUP are Advanced SIMD.
        if raw & 0x00C0_0060 != 0 || raw & 0xF != 0 { throw .undefined }
        try vfpCheckEnabled(raw, cond: cond)
        if t == 15 { throw .undefined }
        let dn = Int((raw >> 3) & 0x10 | (raw >> 16) & 0xF)
        try vfpCheckRegister(dn)
        let index = Int((raw >> 21) & 1)
        if toCore {
            r[t] = UInt32(truncatingIfNeeded: dReg(dn) >> UInt64(32 * index))
        } else {
            let old = dReg(dn)
            setDReg(dn, index == 0 ? (old & 0xFFFF_FFFF_0000_0000) | UInt64(r[t])
                                    : (old & 0xFFFF_FFFF) | UInt64(r[t]) << 32)
        }
    }

    /// VMRS / VMSR (ARM ARM B6.1.x, "VMRS" and "VMSR" in A8).
    func vfpSystemRegisterTransfer(_ raw: UInt32, cond: UInt8) throws(CPUException) {
        let toCore = raw & (1 << 20) != 0
        let t = Int((raw >> 12) & 0xF)
        let reg = (raw >> 16) & 0xF
        if raw & 0xEF != 0 || raw & 0x100 != 0 { throw .undefined }
        if reg == 1 {
            try vfpCheckEnabled(raw, cond: cond)
            if toCore {
                if t == 15 { setNZCV(fpscr & 0xF000_0000) } else { r[t] = fpscr }
            } else {
                if t == 15 { throw .undefined }
                fpscr = r[t] & FPSCRBit.writable
            }
            return
        }
        if mode == .user || t == 15 { throw .undefined }
        try vfpCheckEnabled(raw, cond: cond, checkFPEXC: false)
        if toCore {
            switch reg {
            case 0:
                if mode != .hyp && sys.hcr & HCR.tid0 != 0 {
                    // HSR EC 0x08, ISS as for an MRC: CV, COND, Opc2, Opc1, CRn, Rt, CRm, read.
                    let iss: UInt32 = 1 << 24 | UInt32(cond & 0xF) << 20 | ((raw >> 5) & 7) << 17
                        | ((raw >> 21) & 7) << 14 | reg << 10 | UInt32(t) << 5 | (raw & 0xF) << 1 | 1
                    throw .hypTrap(syndrome: HSRClass.cp10ID.syndrome(iss: iss))
                }
                r[t] = VFPID.fpsid
            case 6: r[t] = VFPID.mvfr1
            case 7: r[t] = VFPID.mvfr0
            case 8: r[t] = fpexc
            default: throw .undefined
            }
        } else {
            switch reg {
            case 0: break                 // FPSID is read-only: the write is ignored
            case 8: fpexc = r[t] & FPEXCBit.writable
            default: throw .undefined
            }
        }
    }

    // MARK: 64-bit transfers

    /// VMOV between two core registers and two singles or one double.
    func vfpTransfer64(_ raw: UInt32, cond: UInt8) throws(CPUException) {
        if raw & 0xD0 != 0x10 { throw .undefined }
        try vfpCheckEnabled(raw, cond: cond)
        let toCore = raw & (1 << 20) != 0
        let t = Int((raw >> 12) & 0xF), t2 = Int((raw >> 16) & 0xF)
        if t == 15 || t2 == 15 || (toCore && t == t2) { throw .undefined }
        let vm = Int(raw & 0xF), bM = Int((raw >> 5) & 1)
        if raw & 0x100 == 0 {
            let m = vm << 1 | bM
            if m == 31 { throw .undefined }
            if toCore {
                r[t] = sReg(m); r[t2] = sReg(m + 1)
            } else {
                setSReg(m, r[t]); setSReg(m + 1, r[t2])
            }
        } else {
            let m = bM << 4 | vm
            try vfpCheckRegister(m)
            if toCore {
                let v = dReg(m)
                r[t] = UInt32(truncatingIfNeeded: v); r[t2] = UInt32(truncatingIfNeeded: v >> 32)
            } else {
                setDReg(m, UInt64(r[t2]) << 32 | UInt64(r[t]))
            }
        }
    }
}
