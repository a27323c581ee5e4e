/// One cached translation: a 4 KiB virtual page of one regime/VMID (and ASID
/// unless global) with its physical page and everything needed to check an
/// access and report its fault without walking again.
struct TranslationTLBEntry {
    /// VA >> 12, or `TranslationTLB.invalidPage`.
    var vpage: UInt32
    /// Regime and context: VMID (bits 7:0), Hyp (8), stage 2 on (9),
    /// stage 1 off (10), long descriptors (11). Maintenance matches bits 8:0.
    var ctx: UInt16
    var asid: UInt8
    /// `flagGlobal`, `flagSupersection`.
    var flags: UInt8
    /// Final output address >> 12 (PA, or IPA for a stage-1-only entry).
    var ppage: UInt32
    /// Stage-1 output (IPA) >> 12, reported in stage-2 faults.
    var ipaPage: UInt32
    var s1perms: UInt8
    var s2perms: UInt8
    var domain: UInt8
    /// Stage-1 level in bits 3:0, stage-2 level in bits 7:4.
    var levels: UInt8
    /// log2 of the stage-1 block size (12...30), for maintenance by VA.
    var blockShift: UInt8

    static let flagGlobal: UInt8 = 1
    static let flagSupersection: UInt8 = 2

    init(vpage: UInt32, ctx: UInt16, asid: UInt8, stage1 s: Stage1Walk) {
        self.vpage = vpage
        self.ctx = ctx
        self.asid = s.global ? 0 : asid
        flags = (s.global ? Self.flagGlobal : 0) | (s.supersection ? Self.flagSupersection : 0)
        ppage = UInt32(truncatingIfNeeded: s.oa >> 12)
        ipaPage = ppage
        s1perms = s.perms
        s2perms = 0
        domain = s.domain
        levels = s.level & 0xF
        blockShift = s.blockShift
    }

    /// Makes the entry the combined stage 1 + stage 2 translation.
    mutating func addStage2(_ s2: Stage2Walk) {
        ipaPage = ppage
        ppage = UInt32(truncatingIfNeeded: s2.pa >> 12)
        s2perms = S2Perm.present | s2.perms
        levels = levels & 0xF | (s2.level & 0xF) << 4
    }

    var stage1Level: UInt8 { levels & 0xF }
    var stage2Level: UInt8 { levels >> 4 }
    var isGlobal: Bool { flags & Self.flagGlobal != 0 }
    var isSupersection: Bool { flags & Self.flagSupersection != 0 }

    /// A stage-1 fault of `kind` for this translation.
    func stage1Fault(_ kind: MemoryFault.Kind, va: UInt32, kind access: AccessKind,
                     longFormat: Bool) -> MemoryFault {
        MemoryFault(kind: kind, level: stage1Level, domain: domain, write: access == .write,
                    address: va, longFormat: longFormat)
    }
}

/// Kinds of TLB maintenance operation (ARM ARM B4.2.2), as the CP15 model
/// issues them.
public enum TLBInvalidation: Sendable, Equatable {
    /// TLBIALL: every non-Hyp entry of the current VMID.
    case all
    /// TLBIMVA: the page of the VA with the given ASID, plus global entries of that VA.
    case byMVA(UInt32, asid: UInt8)
    /// TLBIASID: non-global entries with the ASID (current VMID).
    case byASID(UInt8)
    /// TLBIMVAA: the page of the VA for every ASID (current VMID).
    case byMVAAllASID(UInt32)
    /// TLBIALLNSNH: every VMID's non-Hyp entries.
    case allNonHyp
    /// TLBIALLH: every Hyp entry.
    case allHyp
    /// TLBIMVAH: the Hyp entry for the page of the VA.
    case byMVAHyp(UInt32)
}

/// TLB of translation-table walk results, tagged by regime, VMID and ASID.
///
/// Two-way set-associative, 1024 sets, in raw memory. Entries are per 4 KiB
/// page even when the descriptor maps a larger block; each remembers its
/// block size so that maintenance by VA drops every page of the block.
/// Entries are only made for translations without a translation or access
/// flag fault; permission and domain faults are decided from the entry.
public final class TranslationTLB {
    static let setBits = 10
    static let sets = 1 << setBits
    static let ways = 2
    static let invalidPage: UInt32 = .max

    static let hypRegime: UInt16 = 1 << 8
    static let ctxStage2: UInt16 = 1 << 9
    static let ctxStage1Off: UInt16 = 1 << 10
    static let ctxLong: UInt16 = 1 << 11
    /// Bits of `ctx` that maintenance operations match (Hyp + VMID).
    static let regimeMask: UInt16 = 0x1FF

    let entries: UnsafeMutablePointer<TranslationTLBEntry>
    /// One bit per 16 MiB of virtual address space: some entry made since
    /// the last `invalidateAll` maps a block larger than 4 KiB there.
    /// Maintenance by a VA in a marked region must look beyond the VA's own
    /// set (and the core must drop more than the VA's page from its
    /// software TLB); elsewhere one set is enough.
    private var largeBlockRegions: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    public init() {
        entries = .allocate(capacity: Self.sets * Self.ways)
        entries.initialize(repeating: TranslationTLBEntry(vpage: Self.invalidPage, ctx: 0, asid: 0,
                                                          stage1: Stage1Walk(flat: 0)),
                           count: Self.sets * Self.ways)
        for i in 0 ..< Self.sets * Self.ways { entries[i].vpage = Self.invalidPage }
    }

    deinit { entries.deallocate() }

    @inline(__always) static func setIndex(vpage: UInt32, regime: UInt16) -> Int {
        Int((vpage ^ (UInt32(regime) &* 0x9E5)) & UInt32(sets - 1))
    }

    /// The entry for `vpage` in context `ctx` with ASID `asid`, if cached.
    @inline(__always)
    func lookup(vpage: UInt32, ctx: UInt16, asid: UInt8) -> UnsafeMutablePointer<TranslationTLBEntry>? {
        let set = entries + Self.setIndex(vpage: vpage, regime: ctx & Self.regimeMask) &* Self.ways
        for w in 0 ..< Self.ways {
            let e = set + w
            if e.pointee.vpage == vpage && e.pointee.ctx == ctx
                && (e.pointee.asid == asid || e.pointee.flags & TranslationTLBEntry.flagGlobal != 0) {
                return e
            }
        }
        return nil
    }

    /// Caches `e` (most recent first; the older way is evicted).
    func insert(_ e: TranslationTLBEntry) {
        let set = entries + Self.setIndex(vpage: e.vpage, regime: e.ctx & Self.regimeMask) &* Self.ways
        if set[0].vpage != Self.invalidPage { set[1] = set[0] }
        set[0] = e
        if e.blockShift > 12 { markLargeBlock(vpage: e.vpage, shift: e.blockShift) }
    }

    private func markLargeBlock(vpage: UInt32, shift: UInt8) {
        let first = (vpage << 12) >> 24
        let last = min(255, first + (shift > 24 ? (1 << UInt32(shift - 24)) - 1 : 0))
        withUnsafeMutableBytes(of: &largeBlockRegions) { bits in
            let words = bits.bindMemory(to: UInt64.self)
            for r in first...last { words[Int(r >> 6)] |= 1 << UInt64(r & 63) }
        }
    }

    /// Whether some entry may map a block larger than 4 KiB around `va`.
    func mayHoldLargeBlock(at va: UInt32) -> Bool {
        let r = va >> 24
        return withUnsafeBytes(of: largeBlockRegions) { bits in
            bits.load(fromByteOffset: Int(r >> 6) * 8, as: UInt64.self) & (1 << UInt64(r & 63)) != 0
        }
    }

    /// Drops every entry.
    public func invalidateAll() {
        for i in 0 ..< Self.sets * Self.ways { entries[i].vpage = Self.invalidPage }
        largeBlockRegions = (0, 0, 0, 0)
    }

    /// Number of valid entries (for tests and statistics).
    var validCount: Int {
        var n = 0
        for i in 0 ..< Self.sets * Self.ways where entries[i].vpage != Self.invalidPage { n += 1 }
        return n
    }

    /// Performs `op`; `vmid` is the current VMID (VTTBR.VMID) for the
    /// operations that act on the current VMID's non-Hyp entries.
    func invalidate(_ op: TLBInvalidation, vmid: UInt8) {
        let current = UInt16(vmid)
        switch op {
        case .all:
            sweep { $0.ctx & Self.regimeMask == current }
        case .allNonHyp:
            sweep { $0.ctx & Self.hypRegime == 0 }
        case .allHyp:
            sweep { $0.ctx & Self.hypRegime != 0 }
        case .byASID(let asid):
            sweep { $0.ctx & Self.regimeMask == current && !$0.isGlobal && $0.asid == asid }
        case .byMVA(let va, let asid):
            byVA(va, regime: current) { $0.isGlobal || $0.asid == asid }
        case .byMVAAllASID(let va):
            byVA(va, regime: current) { _ in true }
        case .byMVAHyp(let va):
            byVA(va, regime: Self.hypRegime) { _ in true }
        }
    }

    private func sweep(_ match: (TranslationTLBEntry) -> Bool) {
        for i in 0 ..< Self.sets * Self.ways where entries[i].vpage != Self.invalidPage && match(entries[i]) {
            entries[i].vpage = Self.invalidPage
        }
    }

    /// Drops entries of `regime` whose block contains `va` and that satisfy `match`.
    private func byVA(_ va: UInt32, regime: UInt16, _ match: (TranslationTLBEntry) -> Bool) {
        let vpage = va >> 12
        func hit(_ e: TranslationTLBEntry) -> Bool {
            e.vpage != Self.invalidPage && e.ctx & Self.regimeMask == regime
                && (e.vpage ^ vpage) >> UInt32(e.blockShift &- 12) == 0 && match(e)
        }
        if mayHoldLargeBlock(at: va) {
            for i in 0 ..< Self.sets * Self.ways where hit(entries[i]) { entries[i].vpage = Self.invalidPage }
        } else {
            let base = Self.setIndex(vpage: vpage, regime: regime) &* Self.ways
            for i in base ..< base + Self.ways where hit(entries[i]) { entries[i].vpage = Self.invalidPage }
        }
    }
}

extension Core {
    /// Performs TLB maintenance operation `op` (TLBI*). Inner-shareable
    /// forms also make every other core on the same memory flush its TLBs
    /// (over-invalidating them, which the architecture permits).
    public func invalidateTLB(_ op: TLBInvalidation, innerShareable: Bool) {
        tlb.invalidate(op, vmid: sys.vmid)
        if innerShareable { memory.broadcastTLBFlush(except: lines) }
        switch op {
        case .byMVA(let va, _), .byMVAAllASID(let va), .byMVAHyp(let va):
            // A page of 4 KiB mappings (Linux's user pages): only that page's
            // cached translations go. A larger block may have filled the
            // software TLB for its other pages too: everything goes.
            if !tlb.mayHoldLargeBlock(at: va) {
                translationPageChanged(va)
                return
            }
        default:
            break
        }
        translationContextChanged()
    }
}
