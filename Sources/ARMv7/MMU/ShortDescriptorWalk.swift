/// Stage-1 translation with the Short-descriptor format (ARM ARM B3.5):
/// TTBCR.N split between TTBR0/TTBR1, first-level sections, supersections
/// and page tables, second-level large (64 KiB) and small (4 KiB) pages.
extension Core {
    /// Walks the PL1&0 short-descriptor tables for `va`. Descriptor
    /// addresses are IPAs translated by stage 2 when `stage2` is set.
    /// Raises translation, access flag and external-abort-on-walk faults
    /// (and stage-2 faults on the walk); domain and permission checks are
    /// left to `evaluate`.
    func walkShortStage1(_ va: UInt32, stage2: Bool) throws(MemoryFault) -> Stage1Walk {
        let ttbcr = sys.ttbcr
        let n = ttbcr & 7
        let ttbr: UInt32
        let split: UInt32
        if n == 0 || va >> (32 - n) == 0 {
            // PD0: a TLB miss on TTBR0's range is a section translation fault.
            if ttbcr & (1 << 4) != 0 { throw MemoryFault(kind: .translation, level: 1) }
            ttbr = UInt32(truncatingIfNeeded: sys.ttbr0)
            split = n
        } else {
            if ttbcr & (1 << 5) != 0 { throw MemoryFault(kind: .translation, level: 1) }
            ttbr = UInt32(truncatingIfNeeded: sys.ttbr1)
            split = 0
        }
        // TTBRx[31:14-N] : VA[31-N:20] : 00
        let l1Address = (ttbr & ~((1 << (14 - split)) - 1)) | ((va << split) >> (20 + split)) << 2
        let l1 = UInt32(truncatingIfNeeded: try readStage1Descriptor(UInt64(l1Address), size: 4, level: 1,
                                                                     stage2: stage2))
        let afe = sys.sctlr & SCTLRBits.afe != 0
        switch l1 & 3 {
        case 0:
            throw MemoryFault(kind: .translation, level: 1)
        case 1:
            // Page table: PXN bit 2, domain bits 8:5, base bits 31:10.
            let domain = UInt8((l1 >> 5) & 0xF)
            let l2Address = (l1 & 0xFFFF_FC00) | ((va >> 12) & 0xFF) << 2
            let l2 = UInt32(truncatingIfNeeded: try readStage1Descriptor(UInt64(l2Address), size: 4, level: 2,
                                                                         domain: domain, stage2: stage2))
            if l2 & 3 == 0 { throw MemoryFault(kind: .translation, level: 2, domain: domain) }
            // AP[2] bit 9, AP[1:0] bits 5:4, nG bit 11.
            let ap = (l2 >> 7) & 4 | (l2 >> 4) & 3
            if afe && l2 & (1 << 4) == 0 { throw MemoryFault(kind: .accessFlag, level: 2, domain: domain) }
            var perms = Self.shortAPPermissions(ap, afe: afe)
            if l1 & (1 << 2) != 0 { perms |= S1Perm.pxn }
            let global = l2 & (1 << 11) == 0
            if l2 & 2 == 0 {
                // Large page: XN bit 15, base bits 31:16.
                if l2 & (1 << 15) != 0 { perms |= S1Perm.xn }
                return Stage1Walk(oa: UInt64(l2 & 0xFFFF_0000 | va & 0xFFFF), perms: perms, domain: domain,
                                  level: 2, blockShift: 16, global: global)
            }
            // Small page: XN bit 0, base bits 31:12.
            if l2 & 1 != 0 { perms |= S1Perm.xn }
            return Stage1Walk(oa: UInt64(l2 & 0xFFFF_F000 | va & 0xFFF), perms: perms, domain: domain,
                              level: 2, blockShift: 12, global: global)
        default:
            // Section (bit 18 = 0) or supersection (bit 18 = 1); bit 0 is PXN
            // on an implementation with the Large Physical Address Extension.
            let supersection = l1 & (1 << 18) != 0
            let domain = supersection ? 0 : UInt8((l1 >> 5) & 0xF)
            // AP[2] bit 15, AP[1:0] bits 11:10, XN bit 4, nG bit 17.
            let ap = (l1 >> 13) & 4 | (l1 >> 10) & 3
            if afe && l1 & (1 << 10) == 0 { throw MemoryFault(kind: .accessFlag, level: 1, domain: domain) }
            var perms = Self.shortAPPermissions(ap, afe: afe)
            if l1 & 1 != 0 { perms |= S1Perm.pxn }
            if l1 & (1 << 4) != 0 { perms |= S1Perm.xn }
            let global = l1 & (1 << 17) == 0
            if supersection {
                // PA[31:24] = bits 31:24, PA[35:32] = bits 23:20, PA[39:36] = bits 8:5.
                let high = UInt64((l1 >> 20) & 0xF) | UInt64((l1 >> 5) & 0xF) << 4
                return Stage1Walk(oa: high << 32 | UInt64(l1 & 0xFF00_0000 | va & 0x00FF_FFFF), perms: perms,
                                  domain: 0, level: 1, blockShift: 24, global: global, supersection: true)
            }
            return Stage1Walk(oa: UInt64(l1 & 0xFFF0_0000 | va & 0x000F_FFFF), perms: perms, domain: domain,
                              level: 1, blockShift: 20, global: global)
        }
    }

    /// Stage-1 permissions of short-descriptor AP[2:0] (ARM ARM B3.7.1).
    /// With SCTLR.AFE = 1, AP[0] is the access flag and only AP[2:1] count
    /// (the simplified model), which is the same table with AP[0] = 1.
    static func shortAPPermissions(_ ap: UInt32, afe: Bool) -> UInt8 {
        switch afe ? ap | 1 : ap {
        case 0b001: return S1Perm.shortFormat | S1Perm.pl1R | S1Perm.pl1W
        case 0b010: return S1Perm.shortFormat | S1Perm.pl1R | S1Perm.pl1W | S1Perm.pl0R
        case 0b011: return S1Perm.shortFormat | S1Perm.pl1R | S1Perm.pl1W | S1Perm.pl0R | S1Perm.pl0W
        case 0b101: return S1Perm.shortFormat | S1Perm.pl1R
        case 0b110, 0b111: return S1Perm.shortFormat | S1Perm.pl1R | S1Perm.pl0R
        default: return S1Perm.shortFormat   // 0b000 no access, 0b100 reserved (treated as no access)
        }
    }
}
