/// The state word a translation depends on besides its bytes; blocks and
/// jump-cache entries are found under it.
///
/// Bits 1:0 the privilege (which software-TLB table inline accesses read),
/// bit 2 CPSR.E (inline accesses are little-endian only), bit 3 SCTLR.A (the
/// inline alignment check), bit 4 CPSR.T, bit 5 the VFP usable (every
/// enable check passes: VFP instructions are translated), bits 15:8
/// ITSTATE at the block's first instruction (the translator follows it from
/// there; 0 in A32).
enum JITStateKey {
    static let thumb: UInt32 = 1 << 4
    static let vfp: UInt32 = 1 << 5

    static func make(privilege: Int, bigEndian: Bool, alignmentCheck: Bool, thumb: Bool, itState: UInt32,
                     vfpUsable: Bool) -> UInt32 {
        UInt32(privilege) | (bigEndian ? 4 : 0) | (alignmentCheck ? 8 : 0) | (vfpUsable ? vfp : 0)
            | (thumb ? Self.thumb | itState << 8 : 0)
    }

    @inline(__always) static func vfpUsable(_ key: UInt32) -> Bool { key & vfp != 0 }

    /// The ITSTATE bits of `key`.
    @inline(__always) static func itState(_ key: UInt32) -> UInt32 { (key >> 8) & 0xFF }

    /// `key` with ITSTATE `it`.
    @inline(__always) static func withITState(_ key: UInt32, _ it: UInt32) -> UInt32 {
        key & ~0xFF00 | it << 8
    }
}
