/// Stage-2 (IPA → PA) translation of the Non-secure PL1&0 regime
/// (ARM ARM B3.6, "stage 2 translation"): VTCR.T0SZ/SL0, VTTBR, S2AP, XN.
extension Core {
    /// Translates `ipa` with the stage-2 tables of the current VTTBR. Faults
    /// carry `stage2 = true` and `ipa`; the caller adds the VA, the access
    /// direction and, for stage-1 table walks, `s1ptw`.
    func stage2Translate(_ ipa: UInt64) throws(MemoryFault) -> Stage2Walk {
        let vtcr = sys.vtcr
        // T0SZ is a signed 4-bit value (-8...7): input size 32 - T0SZ (25...40 bits).
        let raw = Int(vtcr & 0xF)
        let t0sz = raw >= 8 ? raw - 16 : raw
        let sl0 = Int((vtcr >> 6) & 3)
        let inputSize = 32 - t0sz
        do throws(MemoryFault) {
            // SL0 = 0b1x is reserved; an IPA beyond the input size faults.
            if sl0 >= 2 || (inputSize < 64 && ipa >> UInt64(inputSize) != 0) {
                throw MemoryFault(kind: .translation, level: 1)
            }
            let startLevel = 2 - sl0
            // VTTBR holds bits 39:x, x = 14 - T0SZ - 9 * SL0 (concatenated first-level tables).
            let x = 14 - t0sz - 9 * sl0
            let base = sys.vttbr & 0xFF_FFFF_FFFF & ~((1 << UInt64(x)) - 1)
            let r = try walkLong(ipa, inputSize: inputSize, startLevel: startLevel, base: base, stage1: false,
                                 descriptorsViaStage2: false)
            let d = r.descriptor
            // S2AP (HAP[2:1]) = bits 7:6: bit 6 read, bit 7 write; XN bit 54.
            var perms: UInt8 = 0
            if d & (1 << 6) != 0 { perms |= S2Perm.read }
            if d & (1 << 7) != 0 { perms |= S2Perm.write }
            // Instruction fetch needs stage-2 read permission and XN = 0.
            if d & (1 << 54) == 0 && d & (1 << 6) != 0 { perms |= S2Perm.exec }
            // MemAttr[3:2] (bits 5:4) == 0b00: Strongly-ordered or Device.
            return Stage2Walk(pa: r.oa, perms: perms, level: r.level, device: d & (0b11 << 4) == 0)
        } catch {
            var f = error
            f.stage2 = true
            f.ipa = ipa
            throw f
        }
    }
}
