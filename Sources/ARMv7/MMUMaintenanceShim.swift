// TEMPORARY SHIM — DELETE ON MERGE with branch `mmu`, which implements this
// exact API for real. It exists only so branch `cp15` compiles and its tests
// run before the MMU lands: translation is still the flat placeholder.

/// A TLB maintenance operation.
public enum TLBInvalidation: Sendable, Equatable {
    case all
    case byMVA(UInt32, asid: UInt8)
    case byASID(UInt8)
    case byMVAAllASID(UInt32)
    case allNonHyp
    case allHyp
    case byMVAHyp(UInt32)
}

extension Core {
    /// Invalidates TLB entries (placeholder: flushes everything cached).
    public func invalidateTLB(_ op: TLBInvalidation, innerShareable: Bool) {
        translationContextChanged()
    }

    /// Performs an ATS operation and writes PAR (placeholder: the flat
    /// mapping of `translateAddress`, so PA = VA and the fault bit is 0).
    public func addressTranslation(va: UInt32, write: Bool, privileged: Bool, stage1Only: Bool, hyp: Bool) {
        translationContextChanged()
        let pa = UInt64(va & 0xFFFF_F000)
        sys.par = (hyp || sys.longDescriptors) ? pa | 1 << 11 : pa
    }
}
