/// Virtual-address loads and stores with a software-TLB fast path.
extension Core {
    /// Mask of address bits that must be zero for a fast-path access of
    /// `size` bytes: when SCTLR.A is set, unaligned accesses go to the slow
    /// path, which raises the alignment fault.
    @inline(__always) func fastTagMask(_ size: UInt32) -> UInt32 {
        0xFFFF_F000 | (sys.sctlr & 2 != 0 ? size &- 1 : 0)
    }

    @inline(__always) func softTable(_ unprivileged: Bool) -> UnsafeMutablePointer<SoftTLBEntry> {
        unprivileged ? softTLB.user : softTLB.current
    }

    /// Loads a byte.
    @inline(__always) public func read8(_ va: UInt32, unprivileged: Bool = false) throws(CPUException) -> UInt32 {
        let e = softTable(unprivileged) + Int((va >> 12) & 0xFF)
        if e.pointee.readTag == va & 0xFFFF_F000 {
            return UInt32(UnsafeRawPointer(bitPattern: e.pointee.addend &+ Int(va)).unsafelyUnwrapped
                .load(as: UInt8.self))
        }
        return try loadSlow(va, size: 1, unprivileged: unprivileged)
    }

    /// Loads a halfword (unaligned allowed unless SCTLR.A).
    @inline(__always) public func read16(_ va: UInt32, unprivileged: Bool = false) throws(CPUException) -> UInt32 {
        let e = softTable(unprivileged) + Int((va >> 12) & 0xFF)
        if e.pointee.readTag == va & fastTagMask(2) && va & 0xFFF != 0xFFF {
            let v = UnsafeRawPointer(bitPattern: e.pointee.addend &+ Int(va)).unsafelyUnwrapped
                .loadUnaligned(as: UInt16.self)
            return UInt32(bigEndian ? v.byteSwapped : v)
        }
        return try loadSlow(va, size: 2, unprivileged: unprivileged)
    }

    /// Loads a word (unaligned allowed unless SCTLR.A).
    @inline(__always) public func read32(_ va: UInt32, unprivileged: Bool = false) throws(CPUException) -> UInt32 {
        let e = softTable(unprivileged) + Int((va >> 12) & 0xFF)
        if e.pointee.readTag == va & fastTagMask(4) && va & 0xFFF <= 0xFFC {
            let v = UnsafeRawPointer(bitPattern: e.pointee.addend &+ Int(va)).unsafelyUnwrapped
                .loadUnaligned(as: UInt32.self)
            return bigEndian ? v.byteSwapped : v
        }
        return try loadSlow(va, size: 4, unprivileged: unprivileged)
    }

    /// Stores a byte.
    @inline(__always) public func write8(_ va: UInt32, _ value: UInt32, unprivileged: Bool = false) throws(CPUException) {
        let e = softTable(unprivileged) + Int((va >> 12) & 0xFF)
        if e.pointee.writeTag == va & 0xFFFF_F000
            && e.pointee.codeMask.pointee & PhysicalMemory.granuleBits(offset: va & 0xFFF, size: 1) == 0 {
            UnsafeMutableRawPointer(bitPattern: e.pointee.addend &+ Int(va)).unsafelyUnwrapped
                .storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
            return
        }
        try storeSlow(va, size: 1, value: value, unprivileged: unprivileged)
    }

    /// Stores a halfword.
    @inline(__always) public func write16(_ va: UInt32, _ value: UInt32, unprivileged: Bool = false) throws(CPUException) {
        let e = softTable(unprivileged) + Int((va >> 12) & 0xFF)
        if e.pointee.writeTag == va & fastTagMask(2) && va & 0xFFF != 0xFFF
            && e.pointee.codeMask.pointee & PhysicalMemory.granuleBits(offset: va & 0xFFF, size: 2) == 0 {
            let v = UInt16(truncatingIfNeeded: value)
            UnsafeMutableRawPointer(bitPattern: e.pointee.addend &+ Int(va)).unsafelyUnwrapped
                .storeBytes(of: bigEndian ? v.byteSwapped : v, as: UInt16.self)
            return
        }
        try storeSlow(va, size: 2, value: value, unprivileged: unprivileged)
    }

    /// Stores a word.
    @inline(__always) public func write32(_ va: UInt32, _ value: UInt32, unprivileged: Bool = false) throws(CPUException) {
        let e = softTable(unprivileged) + Int((va >> 12) & 0xFF)
        if e.pointee.writeTag == va & fastTagMask(4) && va & 0xFFF <= 0xFFC
            && e.pointee.codeMask.pointee & PhysicalMemory.granuleBits(offset: va & 0xFFF, size: 4) == 0 {
            UnsafeMutableRawPointer(bitPattern: e.pointee.addend &+ Int(va)).unsafelyUnwrapped
                .storeBytes(of: bigEndian ? value.byteSwapped : value, as: UInt32.self)
            return
        }
        try storeSlow(va, size: 4, value: value, unprivileged: unprivileged)
    }

    /// Raises an alignment fault unless `va` is a multiple of `size`
    /// (for LDM/STM, LDRD/STRD, LDREX/STREX and friends).
    @inline(__always) func requireAlignment(_ va: UInt32, _ size: UInt32, write: Bool) throws(CPUException) {
        if va & (size &- 1) != 0 {
            throw .dataAbort(MemoryFault(kind: .alignment, write: write, address: va,
                                         longFormat: faultFormatIsLong))
        }
    }

    /// Whether faults of the current regime are reported in long format.
    var faultFormatIsLong: Bool { mode == .hyp || sys.longDescriptors }

    // MARK: Slow paths

    @inline(never)
    func loadSlow(_ va: UInt32, size: Int, unprivileged: Bool) throws(CPUException) -> UInt32 {
        if sys.alignmentCheck && va & UInt32(size - 1) != 0 {
            throw .dataAbort(MemoryFault(kind: .alignment, address: va, longFormat: faultFormatIsLong))
        }
        var le: UInt32 = 0
        if Int(va & 0xFFF) + size > 0x1000 {
            for i in 0..<size {
                le |= try loadPhysicalLE(va &+ UInt32(i), size: 1, unprivileged: unprivileged) << (8 * UInt32(i))
            }
        } else {
            le = try loadPhysicalLE(va, size: size, unprivileged: unprivileged)
        }
        if bigEndian {
            switch size {
            case 2: le = UInt32(UInt16(truncatingIfNeeded: le).byteSwapped)
            case 4: le = le.byteSwapped
            default: break
            }
        }
        return le
    }

    /// Translates and loads `size` bytes (within one page), little-endian.
    private func loadPhysicalLE(_ va: UInt32, size: Int, unprivileged: Bool) throws(CPUException) -> UInt32 {
        let t = try translateAddress(va, .read, unprivileged: unprivileged)
        fillSoftTLB(va, t, unprivileged: unprivileged)
        if memory.gicVirtualInterface.mayContain(t.pa), let v = gicVirtualInterfaceRead(t.pa, size: size) { return v }
        guard let v = memory.read(t.pa, size: size) else {
            var f = MemoryFault(kind: .externalAbort, address: va, longFormat: faultFormatIsLong)
            f.ipa = t.pa
            throw .dataAbort(f)
        }
        return UInt32(truncatingIfNeeded: v)
    }

    @inline(never)
    func storeSlow(_ va: UInt32, size: Int, value: UInt32, unprivileged: Bool) throws(CPUException) {
        if sys.alignmentCheck && va & UInt32(size - 1) != 0 {
            throw .dataAbort(MemoryFault(kind: .alignment, write: true, address: va,
                                         longFormat: faultFormatIsLong))
        }
        var le = value
        if bigEndian {
            switch size {
            case 2: le = UInt32(UInt16(truncatingIfNeeded: value).byteSwapped)
            case 4: le = value.byteSwapped
            default: break
            }
        }
        if Int(va & 0xFFF) + size > 0x1000 {
            // Translate both pages first so a fault leaves memory untouched.
            let second = (va | 0xFFF) &+ 1
            _ = try translateAddress(va, .write, unprivileged: unprivileged)
            _ = try translateAddress(second, .write, unprivileged: unprivileged)
            for i in 0..<size {
                try storePhysicalLE(va &+ UInt32(i), size: 1, value: le >> (8 * UInt32(i)),
                                    unprivileged: unprivileged)
            }
        } else {
            try storePhysicalLE(va, size: size, value: le, unprivileged: unprivileged)
        }
    }

    private func storePhysicalLE(_ va: UInt32, size: Int, value: UInt32, unprivileged: Bool) throws(CPUException) {
        let t = try translateAddress(va, .write, unprivileged: unprivileged)
        fillSoftTLB(va, t, unprivileged: unprivileged)
        if memory.gicVirtualInterface.mayContain(t.pa), gicVirtualInterfaceWrite(t.pa, size: size, value: value) { return }
        if !memory.write(t.pa, size: size, value: UInt64(value)) {
            var f = MemoryFault(kind: .externalAbort, write: true, address: va, longFormat: faultFormatIsLong)
            f.ipa = t.pa
            throw .dataAbort(f)
        }
    }

    /// Caches a RAM translation in the software TLB of the access privilege.
    private func fillSoftTLB(_ va: UInt32, _ t: TranslationResult, unprivileged: Bool) {
        guard let region = memory.region(containing: t.pa) else { return }
        let pageOffset = Int((t.pa & ~0xFFF) - region.base)
        softTLB.fill(table: unprivileged ? 0 : mode.privilegeLevel, va: va,
                     host: region.host + pageOffset, readable: t.readable, writable: t.writable,
                     codeMask: region.codePages + (pageOffset >> 12))
    }

    /// Drops every cached translation of every regime: TLB maintenance
    /// (TLBIALL, TLBIASID, a VMID flush), or page tables changed behind the
    /// core's back (tests, a loader).
    public func translationContextChanged() {
        softTLB.flushAll()
        jit?.flushJumpCache()
        translationRegimeChanged()
    }

    /// Called after any change to SCTLR/HSCTLR, TTBRs, TTBCR, DACR,
    /// CONTEXTIDR, VTTBR, VTCR, HCR or HTTBR/HTCR: the core now translates
    /// under another regime. Its cached translations (software TLB, jump
    /// cache) become current again if it was used recently and no TLB
    /// maintenance happened since: a real TLB tags entries with ASID and
    /// VMID and may keep them that long.
    func translationRegimeChanged() {
        let signature = TranslationSignature(sys)
        let (set, emptied) = softTLB.activate(signature)
        jit?.selectJumpCache(set: set, emptied: emptied)
        invalidateFetchPage()
        softTLBSignature = signature
    }

    /// The translation of the 4 KiB page holding `va` may have changed
    /// (TLB maintenance by VA): drops that page's software-TLB entries and
    /// jump-cache entries, and the fetch page.
    func translationPageChanged(_ va: UInt32) {
        softTLB.flushPage(va)
        invalidateFetchPage()
        jit?.flushJumpCache(page: va >> 12)
    }

    /// Flushes the software TLB only if the system registers that shape
    /// translation differ from those it was filled under. `run` calls this on
    /// entry, so software that rewrites `sys` between runs (the world switch,
    /// tests) never sees stale entries, and a world switch back into the same
    /// guest keeps its entries.
    @inline(__always) func revalidateSoftTLB() {
        let s = TranslationSignature(sys)
        if s != softTLBSignature { translationRegimeChanged() }
    }

    /// ICIALLU/ICIALLUIS: drops every cached decode of this core. The IS form
    /// needs no broadcast: stores already drop stale decodes on every core.
    public func invalidateInstructionCache() {
        decodeCache.invalidateAll()
        invalidateFetchPage()
    }

    /// Forgets the current fetch page so the next fetch re-translates.
    @inline(__always) func invalidateFetchPage() {
        fetchVPage = 1
    }
}
