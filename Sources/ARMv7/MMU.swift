/// Address translation entry point (placeholder: flat mapping until the
/// stage-1/stage-2 walkers land).
extension Core {
    /// Translates `va` for the current translation regime.
    func translateAddress(_ va: UInt32, _ kind: AccessKind, unprivileged: Bool) throws(CPUException) -> TranslationResult {
        TranslationResult(pa: UInt64(va), readable: true, writable: true, executable: true)
    }
}

/// TLB of translation-table walk results, tagged by VMID and ASID.
public final class TranslationTLB {
    public init() {}
    /// Drops every entry.
    public func invalidateAll() {}
}
