import ARMv7

/// A VM's stage-2 translation tables (LPAE format, 40-bit IPA, starting at
/// level 1 with a concatenated first-level table), built on demand from
/// stage-2 faults the way Linux's arch/arm/kvm/mmu.c does.
public final class Stage2Tables: @unchecked Sendable {
    let host: HostMemory
    /// Physical address of the first-level table (8 KiB: 1024 entries).
    public let root: UInt64

    /// VTCR for this format: T0SZ = -8 (40-bit IPA), SL0 = 1 (start at
    /// level 1), inner/outer write-back, inner shareable.
    public static let vtcr: UInt32 = 0x8000_0000 | (0b11 << 12) | (0b01 << 10) | (0b01 << 8) | (0b01 << 6) | 0x18

    init(host: HostMemory) throws {
        self.host = host
        root = try host.allocateTable(bytes: 8192, alignment: 8192)
    }

    /// Stage-2 page attributes: Normal write-back memory, inner shareable,
    /// access flag set, S2AP from the permissions.
    static func pageDescriptor(pa: UInt64, writable: Bool, executable: Bool) -> UInt64 {
        var d: UInt64 = (pa & 0xFF_FFFF_F000) | 0b11
        d |= 0b1111 << 2                       // MemAttr: Normal, outer+inner write-back
        d |= (writable ? 0b11 : 0b01) << 6     // S2AP: read (and write)
        d |= 0b11 << 8                         // SH: inner shareable
        d |= 1 << 10                           // AF
        if !executable { d |= 1 << 54 }        // XN
        return d
    }

    /// Maps the 4 KiB page of `ipa` to host physical `pa`.
    public func mapPage(ipa: UInt64, pa: UInt64, writable: Bool = true, executable: Bool = true) throws {
        let l1 = root + ((ipa >> 30) & 0x3FF) * 8
        let l2table = try nextLevel(l1)
        let l2 = l2table + ((ipa >> 21) & 0x1FF) * 8
        let l3table = try nextLevel(l2)
        let l3 = l3table + ((ipa >> 12) & 0x1FF) * 8
        host.write64(l3, Stage2Tables.pageDescriptor(pa: pa, writable: writable, executable: executable))
    }

    /// The level-3 descriptor for `ipa`, if its tables exist.
    public func lookup(ipa: UInt64) -> UInt64? {
        guard let e = entryAddress(ipa: ipa) else { return nil }
        let d = host.read64(e)
        return d & 3 == 3 ? d : nil
    }

    private func entryAddress(ipa: UInt64) -> UInt64? {
        let l1 = host.read64(root + ((ipa >> 30) & 0x3FF) * 8)
        guard l1 & 3 == 3 else { return nil }
        let l2 = host.read64((l1 & 0xFF_FFFF_F000) + ((ipa >> 21) & 0x1FF) * 8)
        guard l2 & 3 == 3 else { return nil }
        return (l2 & 0xFF_FFFF_F000) + ((ipa >> 12) & 0x1FF) * 8
    }

    /// The table a table descriptor at `entry` points to, created if absent.
    private func nextLevel(_ entry: UInt64) throws -> UInt64 {
        let d = host.read64(entry)
        if d & 3 == 3 { return d & 0xFF_FFFF_F000 }
        let table = try host.allocateTable()
        host.write64(entry, table | 0b11)
        return table
    }
}
