/// Long-descriptor (LPAE) translation table walks (ARM ARM B3.6): the
/// PL1&0 stage 1 with TTBCR.EAE = 1, the Hyp (PL2) stage 1, and the shared
/// three-level lookup also used by stage 2.
struct LongWalkResult {
    /// Output address of the input address.
    var oa: UInt64
    /// The leaf (block or page) descriptor.
    var descriptor: UInt64
    var level: UInt8
    /// log2 of the block/page size.
    var blockShift: UInt8
    /// Hierarchical controls collected from table descriptors (stage 1).
    var tableNoWrite = false   // APTable[1]
    var tableNoPL0 = false     // APTable[0]
    var tableXN = false
    var tablePXN = false
}

extension Core {
    /// Output-address bits 39:12 of a long descriptor.
    static let longAddressMask: UInt64 = 0xFF_FFFF_F000

    /// Three-level long-descriptor lookup of `ia` (`inputSize` bits) starting
    /// at `startLevel` (1 or 2) in the table at `base`. For a stage-1 walk
    /// (`stage1`) descriptor addresses go through stage 2 when
    /// `descriptorsViaStage2`. Raises translation, access flag and external
    /// abort faults with their level (stage2 set for a stage-2 walk).
    func walkLong(_ ia: UInt64, inputSize: Int, startLevel: Int, base: UInt64, stage1: Bool,
                  descriptorsViaStage2: Bool) throws(MemoryFault) -> LongWalkResult {
        var level = startLevel
        var table = base
        var indexBits = max(inputSize - (39 - 9 * startLevel), 0)
        var result = LongWalkResult(oa: 0, descriptor: 0, level: 0, blockShift: 0)
        while true {
            let shift = 39 - 9 * level          // L1: 30, L2: 21, L3: 12
            let index = (ia >> UInt64(shift)) & ((1 << UInt64(indexBits)) - 1)
            let address = table | index << 3
            let desc: UInt64
            if stage1 {
                desc = try readStage1Descriptor(address, size: 8, level: UInt8(level), stage2: descriptorsViaStage2)
            } else {
                guard let d = memory.read(address, size: 8) else {
                    var f = MemoryFault(kind: .externalAbortOnWalk, level: UInt8(level))
                    f.stage2 = true
                    throw f
                }
                desc = d
            }
            if desc & 1 == 0 || (level == 3 && desc & 2 == 0) {
                var f = MemoryFault(kind: .translation, level: UInt8(level))
                f.stage2 = !stage1
                throw f
            }
            if desc & 2 != 0 && level < 3 {
                // Table descriptor: next level at bits 39:12.
                table = desc & Self.longAddressMask
                if stage1 {
                    result.tableNoWrite = result.tableNoWrite || desc & (1 << 62) != 0
                    result.tableNoPL0 = result.tableNoPL0 || desc & (1 << 61) != 0
                    result.tableXN = result.tableXN || desc & (1 << 60) != 0
                    result.tablePXN = result.tablePXN || desc & (1 << 59) != 0
                }
                level += 1
                indexBits = 9
                continue
            }
            // Block (level 1 or 2) or page (level 3). AF is bit 10.
            if desc & (1 << 10) == 0 {
                var f = MemoryFault(kind: .accessFlag, level: UInt8(level))
                f.stage2 = !stage1
                throw f
            }
            let offsetMask: UInt64 = (1 << UInt64(shift)) - 1
            result.oa = (desc & Self.longAddressMask & ~offsetMask) | (ia & offsetMask)
            result.descriptor = desc
            result.level = UInt8(level)
            result.blockShift = UInt8(shift)
            return result
        }
    }

    /// Start level and table base for a TxSZ-sized stage-1 region.
    @inline(__always)
    static func longStage1Start(txsz: Int, ttbr: UInt64) -> (level: Int, base: UInt64) {
        // Level 1 when TxSZ is 0 or 1, else level 2; TTBR holds bits 39:x.
        let level = txsz <= 1 ? 1 : 2
        let x = level == 1 ? 5 - txsz : 14 - txsz
        return (level, ttbr & 0xFF_FFFF_FFFF & ~((1 << UInt64(x)) - 1))
    }

    /// Walks the PL1&0 long-descriptor tables (TTBCR.EAE = 1) for `va`.
    func walkLongStage1(_ va: UInt32, stage2: Bool) throws(MemoryFault) -> Stage1Walk {
        let ttbcr = sys.ttbcr
        let t0 = Int(ttbcr & 7), t1 = Int((ttbcr >> 16) & 7)
        let useTTBR1: Bool
        // TTBR1 owns the top 2^(32-T1SZ) bytes when T1SZ > 0; TTBR0 the
        // bottom 2^(32-T0SZ) bytes (everything else when T0SZ = 0). With
        // both sizes non-zero the gap between them faults.
        if t1 > 0 && va >> UInt32(32 - t1) == (1 << UInt32(t1)) - 1 {
            useTTBR1 = true
        } else if t0 == 0 || va >> UInt32(32 - t0) == 0 {
            useTTBR1 = false
        } else if t1 == 0 {
            useTTBR1 = true
        } else {
            throw MemoryFault(kind: .translation, level: 1)
        }
        let txsz = useTTBR1 ? t1 : t0
        // EPD0 (bit 7) / EPD1 (bit 23): a TLB miss in that region faults.
        if ttbcr & (useTTBR1 ? 1 << 23 : 1 << 7) != 0 { throw MemoryFault(kind: .translation, level: 1) }
        let start = Self.longStage1Start(txsz: txsz, ttbr: useTTBR1 ? sys.ttbr1 : sys.ttbr0)
        let r = try walkLong(UInt64(va), inputSize: 32 - txsz, startLevel: start.level, base: start.base,
                             stage1: true, descriptorsViaStage2: stage2)
        let d = r.descriptor
        // AP[2:1] = bits 7:6: 00 PL1 RW; 01 RW at PL1 and PL0; 10 PL1 RO; 11 RO at both.
        let ap2 = d & (1 << 7) != 0, ap1 = d & (1 << 6) != 0
        let noWrite = ap2 || r.tableNoWrite
        let pl0 = ap1 && !r.tableNoPL0
        var perms: UInt8 = S1Perm.pl1R
        if !noWrite { perms |= S1Perm.pl1W }
        if pl0 { perms |= S1Perm.pl0R }
        if pl0 && !noWrite { perms |= S1Perm.pl0W }
        if d & (1 << 54) != 0 || r.tableXN { perms |= S1Perm.xn }
        if d & (1 << 53) != 0 || r.tablePXN { perms |= S1Perm.pxn }
        return Stage1Walk(oa: r.oa, perms: perms, level: r.level, blockShift: r.blockShift,
                          global: d & (1 << 11) == 0)
    }

    /// Walks the Hyp-mode tables (HTTBR/HTCR) for `va`. PL2 permissions:
    /// AP[2] (and APTable[1]) make the region read-only, AP[1], APTable[0],
    /// PXN, PXNTable and nG are ignored; XN/XNTable apply.
    func walkHypStage1(_ va: UInt32) throws(MemoryFault) -> Stage1Walk {
        let t0 = Int(sys.htcr & 7)
        if t0 > 0 && va >> UInt32(32 - t0) != 0 { throw MemoryFault(kind: .translation, level: 1) }
        let start = Self.longStage1Start(txsz: t0, ttbr: sys.httbr)
        let r = try walkLong(UInt64(va), inputSize: 32 - t0, startLevel: start.level, base: start.base,
                             stage1: true, descriptorsViaStage2: false)
        let d = r.descriptor
        var perms: UInt8 = S1Perm.pl1R
        if d & (1 << 7) == 0 && !r.tableNoWrite { perms |= S1Perm.pl1W }
        if d & (1 << 54) != 0 || r.tableXN { perms |= S1Perm.xn }
        return Stage1Walk(oa: r.oa, perms: perms, level: r.level, blockShift: r.blockShift, global: true)
    }
}
