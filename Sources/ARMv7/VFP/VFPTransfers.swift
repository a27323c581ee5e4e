/// Transfers between core and extension registers (ARM ARM A7.8): VMOV of
/// singles, scalars, single pairs and doubles, and VMRS / VMSR.
extension Core {
    /// VMOV between a core register and a single register or a 32-bit scalar.
    func vfpCoreTransfer(_ op: A32Op, _ o: VFPOperands, _ raw: UInt32, cond: UInt8) throws(CPUException) {
        try vfpCheckEnabled(raw, cond: cond)
        let t = o.n
        switch op {
        case .vmovCoreToSingle: setSReg(o.d, r[t])
        case .vmovSingleToCore: r[t] = sReg(o.d)
        case .vmovScalarToCore:
            try vfpCheckRegister(o.d)
            r[t] = UInt32(truncatingIfNeeded: dReg(o.d) >> UInt64(32 * o.a))
        default:   // .vmovCoreToScalar
            try vfpCheckRegister(o.d)
            let old = dReg(o.d)
            setDReg(o.d, o.a == 0 ? (old & 0xFFFF_FFFF_0000_0000) | UInt64(r[t])
                                  : (old & 0xFFFF_FFFF) | UInt64(r[t]) << 32)
        }
    }

    /// VMRS / VMSR (ARM ARM B6.1.x, "VMRS" and "VMSR" in A8).
    func vfpSystemRegisterTransfer(_ op: A32Op, _ o: VFPOperands, _ raw: UInt32,
                                   cond: UInt8) throws(CPUException) {
        let t = o.n
        switch op {
        case .vmrsFPSCR:
            try vfpCheckEnabled(raw, cond: cond)
            if t == 15 { setNZCV(fpscr & 0xF000_0000) } else { r[t] = fpscr }
            return
        case .vmsrFPSCR:
            try vfpCheckEnabled(raw, cond: cond)
            fpscr = r[t] & FPSCRBit.writable
            return
        default:
            break
        }
        // The other system registers (Rt = PC was decoded as UNDEFINED).
        if mode == .user { throw .undefined }
        try vfpCheckEnabled(raw, cond: cond, checkFPEXC: false)
        let reg = UInt32(o.a)
        if op == .vmrs {
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

    /// VMOV between two core registers and two singles or one double.
    func vfpTransfer64(_ op: A32Op, _ o: VFPOperands, _ raw: UInt32, cond: UInt8) throws(CPUException) {
        try vfpCheckEnabled(raw, cond: cond)
        let t = o.n, t2 = o.m
        switch op {
        case .vmovSinglePairToCore:
            r[t] = sReg(o.d); r[t2] = sReg(o.d + 1)
        case .vmovCoreToSinglePair:
            setSReg(o.d, r[t]); setSReg(o.d + 1, r[t2])
        case .vmovDoubleToCore:
            try vfpCheckRegister(o.d)
            let v = dReg(o.d)
            r[t] = UInt32(truncatingIfNeeded: v); r[t2] = UInt32(truncatingIfNeeded: v >> 32)
        default:   // .vmovCoreToDouble
            try vfpCheckRegister(o.d)
            setDReg(o.d, UInt64(r[t2]) << 32 | UInt64(r[t]))
        }
    }
}
