/// Dispatch of one decoded A32 instruction to its semantics.
extension Core {
    /// Every case calls an outlined handler so this switch stays small enough
    /// to be inlined into the run loop (the SIL inliner stops inlining into a
    /// caller that has grown too large, even for @inline(__always)).
    @_transparent func executeA32(_ d: DecodedInstruction) throws(CPUException) {
        let raw = d.raw
        let op = A32Op.fromDecoded(d.op)
        switch op {
        case .dpImm: try executeDPImmediate(d)
        case .dpReg: try executeDPRegister(raw)
        case .dpRegShiftReg: try executeDPRegisterShiftedRegister(raw)
        case .ldrImm, .strImm, .ldrbImm, .strbImm, .ldrReg, .strReg, .ldrbReg, .strbReg:
            try executeLoadStoreWordByte(op, d)
        case .b: nextPC = r[15] &+ d.imm
        case .bl, .blxImm, .bx, .bxj, .blxReg: executeBranch(op, d)
        case .ldm, .stm, .ldmUser, .stmUser, .ldmReturn: try executeBlockTransfer(op, raw)
        case .movw: r[Int((raw >> 12) & 0xF)] = d.imm
        case .movt: executeMovt(d)
        case .strh, .ldrh, .ldrsb, .ldrsh, .ldrd, .strd: try executeExtraLoadStore(op, d)
        case .mul, .mla, .umaal, .mls, .umull, .umlal, .smull, .smlal: executeMultiply(op, raw)
        case .smlaxy, .smlawy, .smulwy, .smlalxy, .smulxy: executeHalfwordMultiply(op, raw)
        case .smlad, .smlsd, .smlald, .smlsld, .smmla, .smmls, .sdiv, .udiv, .usad8:
            executeMediaMultiply(op, raw)
        case .qaddsub: executeSaturatingAddSub(raw)
        case .parallelAddSub: try executeParallelAddSub(raw)
        case .pkh: executePKH(raw)
        case .ssat, .usat, .ssat16, .usat16: executeSaturate(op, raw)
        case .sel: executeSel(raw)
        case .sxtab16, .sxtab, .sxtah, .uxtab16, .uxtab, .uxtah: executeExtend(op, raw)
        case .rev, .rev16, .rbit, .revsh, .clz: executeBitOp(op, raw)
        case .sbfx, .ubfx, .bfi: executeBitField(op, raw)
        case .ldrex, .strex, .ldrexb, .strexb, .ldrexh, .strexh, .ldrexd, .strexd: try executeExclusive(op, raw)
        case .swp: try executeSwap(raw)
        case .mrs: try executeMRS(raw)
        case .msrReg: try executeMSR(raw, value: r[Int(raw & 0xF)])
        case .msrImm: try executeMSR(raw, value: d.imm)
        case .mrsBanked: try executeMRSBanked(raw)
        case .msrBanked: try executeMSRBanked(raw)
        case .cps: try executeCPS(raw)
        case .setend: bigEndian = raw & (1 << 9) != 0
        case .srs: try executeSRS(raw)
        case .rfe: try executeRFE(raw)
        case .eret: try executeERET()
        case .svc: throw .supervisorCall
        case .bkpt: throw .breakpoint
        case .hvc:
            if mode == .user { throw .undefined }
            throw .hypervisorCall(UInt16(((raw >> 4) & 0xFFF0) | (raw & 0xF)))
        case .smc:
            if mode == .user { throw .undefined }
            throw .secureMonitorCall
        case .udf, .undefined, .undecoded: throw .undefined
        case .nop, .yield, .dbg, .pld, .pli: break
        case .wfi: try executeWait(raw, isWFE: false, cond: d.cond)
        case .wfe: try executeWait(raw, isWFE: true, cond: d.cond)
        case .sev: sendEvent()
        case .clrex: exclusive.clear()
        case .dsb, .dmb: memoryBarrier()
        case .isb: break
        case .mcr, .mrc, .mcrr, .mrrc, .cdp, .ldcStc: try executeCoprocessor(op, raw, cond: d.cond)
        case .neonDataProcessing: try executeNEONDataProcessing(raw)
        case .neonLoadStore: try executeNEONLoadStore(raw)
        case .neonTransfer: try executeNEONTransfer(raw, cond: d.cond)
        case .vfpUndefined, .vmla, .vmls, .vnmla, .vnmls, .vmul, .vnmul, .vadd, .vsub, .vdiv, .vfma, .vfms,
             .vfnma, .vfnms, .vmovImm, .vmovReg, .vabs, .vneg, .vsqrt, .vcvtbF32F16, .vcvttF32F16,
             .vcvtbF16F32, .vcvttF16F32, .vcvtF64F32, .vcvtF32F64, .vcmp, .vcmpe, .vcmpZero, .vcmpeZero,
             .vcvtFromInt, .vcvtToInt, .vcvtFromFixed, .vcvtToFixed, .vmovCoreToSingle, .vmovSingleToCore,
             .vmovCoreToScalar, .vmovScalarToCore, .vmovCoreToSinglePair, .vmovSinglePairToCore,
             .vmovCoreToDouble, .vmovDoubleToCore, .vmrsFPSCR, .vmsrFPSCR, .vmrs, .vmsr,
             .vldr, .vstr, .vldm, .vstm:
            try executeVFP(op, d)
        }
    }

    /// SEV: signal an event to every core.
    func sendEvent() {
        eventRegister = true
        memory.broadcastEvent()
    }
}
