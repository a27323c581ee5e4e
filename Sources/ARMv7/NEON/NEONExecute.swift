/// Advanced SIMD (NEON) execution: ARM ARM DDI 0406C chapter A7. The decode
/// tables only route a word here (`A32Op.neonDataProcessing`, `.neonLoadStore`,
/// `.neonTransfer`); the word is the A32 form (T32 words are rewritten by
/// `T32Decoder`: U moves from bit 28 to bit 24, loads/stores become 0xF4).
/// Each group of A7.4's table lives in its own file.
extension Core {
    /// Advanced SIMD data processing (A7.4): `raw` is 1111001U.
    @inline(never)
    func executeNEONDataProcessing(_ raw: UInt32) throws(CPUException) {
        try neonCheckEnabled()
        let u = raw & (1 << 24) != 0
        let a = (raw >> 19) & 0x1F, b = (raw >> 8) & 0xF, c = (raw >> 4) & 0xF
        if a & 0x10 == 0 {
            try neonThreeRegistersSameLength(raw)
        } else if c & 0x1 == 1 {
            // A = 1xxxx, C = xxx1: one register and a modified immediate
            // (A = 1x000, C = 0xx1) or two registers and a shift amount.
            if a & 0x7 == 0 && c & 0x8 == 0 {
                try neonOneRegisterModifiedImmediate(raw)
            } else {
                try neonTwoRegistersShift(raw)
            }
        } else if a & 0x6 != 0x6 {
            // A = 1x0xx or 1x10x, C = xxx0: three registers of different
            // lengths (C = x0x0) or two registers and a scalar (C = x1x0).
            if c & 0x4 == 0 {
                try neonThreeRegistersDifferentLength(raw)
            } else {
                try neonTwoRegistersScalar(raw)
            }
        } else if !u {
            try neonExtract(raw)                       // VEXT
        } else if b & 0x8 == 0 {
            try neonTwoRegistersMiscellaneous(raw)
        } else if b & 0xC == 0x8 {
            try neonTableLookup(raw)                   // VTBL, VTBX
        } else if b == 0xC && c & 0x8 == 0 {
            try neonDuplicateScalar(raw)               // VDUP (scalar)
        } else {
            throw .undefined
        }
    }

    /// Advanced SIMD element or structure load/store (A7.7): `raw` is 11110100.
    @inline(never)
    func executeNEONLoadStore(_ raw: UInt32) throws(CPUException) {
        try neonCheckEnabled()
        try neonElementLoadStore(raw)
    }

    /// 8-, 16- and 32-bit transfers between core registers and Advanced SIMD
    /// scalars, and VDUP from a core register (A7.8); conditional.
    @inline(never)
    func executeNEONTransfer(_ raw: UInt32, cond: UInt8) throws(CPUException) {
        try neonCheckEnabled(cond: cond)
        try neonCoreTransfer(raw)
    }

    // MARK: Enable and trap checks

    /// CheckAdvSIMDEnabled (ARM ARM B1.11.x): as the VFP's check on cp10, plus
    /// CPACR.ASEDIS (UNDEFINED outside Hyp mode) and HCPTR.TASE (a trap to
    /// Hyp mode with HSR.TA set from PL0/PL1, UNDEFINED in Hyp mode).
    @inline(__always)
    func neonCheckEnabled(cond: UInt8 = 0xE) throws(CPUException) {
        let trapBits: UInt32 = 1 << 15 | 1 << 10   // TASE, TCP10
        if mode != .hyp {
            let access = (sys.cpacr >> 20) & 3
            if access != 3 && (access != 1 || mode == .user) { throw .undefined }
            if sys.cpacr & (1 << 31) != 0 { throw .undefined }
            if sys.hcptr & trapBits != 0 {
                // HSR EC 0x07: CV, COND, TA = 1 (Advanced SIMD), coproc 0.
                let iss: UInt32 = 1 << 24 | UInt32(cond & 0xF) << 20 | 1 << 5
                throw .hypTrap(syndrome: HSRClass.hcptr.syndrome(iss: iss))
            }
        } else if sys.hcptr & trapBits != 0 {
            throw .undefined
        }
        if fpexc & FPEXCBit.en == 0 { throw .undefined }
    }
}
