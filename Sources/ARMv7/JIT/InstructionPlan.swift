extension BlockTranslator {
    /// Decides how instruction `d` is translated. Whatever is not native
    /// runs in the interpreter from inside the block; instructions that may
    /// change what a translation depends on (mode, CPSR.E/T, the translation
    /// regime, CP15 state) or that raise exceptions end the block.
    ///
    /// VFP instructions are native in blocks where the VFP is usable
    /// (`vfpUsable`, from the state key) and data is little-endian. VMSR of
    /// FPEXC ends the block: it changes whether the VFP is usable.
    static func plan(_ d: DecodedInstruction, bigEndian: Bool, vfpUsable: Bool) -> InstructionPlan {
        let op = A32Op.fromDecoded(d.op)
        let rd = Int((d.raw >> 12) & 0xF)
        switch op {
        case .dpImm, .dpReg, .movw, .movt:
            return rd == 15 ? .interpretAndEnd : .native
        case .dpRegShiftReg:
            if rd == 15 { return .interpretAndEnd }
            return registerShiftIsNative(d.raw) ? .native : .interpretAndContinue
        case .ldm, .stm:
            if blockTransferIsNative(op, d.raw, bigEndian: bigEndian) {
                return loadsPC(op, d.raw) ? .branch : .native
            }
            return .interpretAndContinue
        case .mul, .mla:
            return (d.raw >> 16) & 0xF == 15 ? .interpretAndEnd : .native
        case .nop, .yield, .pld, .pli, .isb, .dmb, .dsb:
            return .native
        case .ldrd, .strd:
            return doublewordIsNative(d.raw, bigEndian: bigEndian) ? .native : .interpretAndContinue
        case .sdiv, .udiv:
            return (d.raw >> 16) & 0xF == 15 ? .interpretAndEnd : .native
        case .sbfx, .ubfx, .bfi, .sxtab, .sxtah, .uxtab, .uxtah, .rev, .rev16, .revsh, .clz,
             .umull, .smull, .umlal, .smlal, .mls:
            if mediaIsNative(op, d.raw) { return .native }
            return rd == 15 ? .interpretAndEnd : .interpretAndContinue
        case .b, .bl, .blxImm, .bx, .bxj, .blxReg:
            return .branch
        case .ldrImm, .strImm, .ldrbImm, .strbImm, .ldrReg, .strReg, .ldrbReg, .strbReg,
             .strh, .ldrh, .ldrsb, .ldrsh:
            if !bigEndian, let m = MemoryAccessPlan(op, d) { return m.isLoad && m.rt == 15 ? .branch : .native }
            return .interpretAndContinue
        case .parallelAddSub, .sel:
            return parallelIsNative(op, d.raw) ? .native : .interpretAndContinue
        case .umaal, .mls, .umull, .umlal, .smull, .smlal,
             .smlaxy, .smlawy, .smulwy, .smlalxy, .smulxy,
             .smlad, .smlsd, .smlald, .smlsld, .smmla, .smmls, .usad8,
             .qaddsub, .pkh, .ssat, .usat, .ssat16, .usat16,
             .sxtab16, .sxtab, .sxtah, .uxtab16, .uxtab, .uxtah,
             .rev, .rev16, .rbit, .revsh, .clz, .sbfx, .ubfx, .bfi,
             .ldrex, .strex, .ldrexb, .strexb, .ldrexh, .strexh, .ldrexd, .strexd, .swp,
             .ldmUser, .stmUser, .mrs, .mrc, .mrrc, .clrex, .sev, .dbg,
             .neonDataProcessing, .neonLoadStore, .neonTransfer:
            // Data operations, loads and stores: they change no translation
            // state; the block checks the PC after them (a load to R15).
            return .interpretAndContinue
        case .vmsr:
            return .interpretAndEnd
        default:
            if op.isVFP {
                return vfpUsable && !bigEndian && vfpIsNative(op, d) ? .native : .interpretAndContinue
            }
            return .interpretAndEnd
        }
    }
}
