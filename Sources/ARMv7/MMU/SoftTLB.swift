/// One entry of the software TLB: a virtual page that maps to RAM.
struct SoftTLBEntry {
    /// Page-aligned VA when reads hit, or 1 (never matches).
    var readTag: UInt32
    /// Page-aligned VA when writes hit, or 1.
    var writeTag: UInt32
    /// Host address minus virtual address.
    var addend: Int
    /// The RAM page's code-granule bits: a store to a granule holding
    /// decoded code must take the slow path so that the decodes are dropped.
    var codeMask: UnsafeMutablePointer<UInt16>
}

/// Direct-mapped software TLBs, one per access privilege (PL0, PL1, PL2),
/// mapping virtual pages straight to host memory for the load/store fast path.
///
/// It keeps several sets of the three tables, one per translation regime
/// recently in use (`TranslationSignature`: the translation-table bases
/// with their ASID and VMID, TTBCR, SCTLR, DACR…), the way a real TLB tags
/// its entries with ASID and VMID. Linux changes regime all the time: every
/// context switch, and with CONFIG_CPU_TTBR0_PAN (Debian's LPAE kernels)
/// every entry to the kernel and every user copy writes TTBCR. Coming back
/// to a regime finds its translations still there, as the architecture
/// allows until TLB maintenance (which empties every set).
final class SoftTLB {
    static let entriesPerIndex = 256
    static let invalidTag: UInt32 = 1
    /// Regimes remembered at once (18 KiB each).
    static let setCount = 8
    static let entriesPerSet = 3 * entriesPerIndex

    /// The current set's PL0, PL1, PL2 tables back to back.
    private(set) var entries: UnsafeMutablePointer<SoftTLBEntry>
    /// Table for the current mode's privilege.
    var current: UnsafeMutablePointer<SoftTLBEntry>
    /// Table for unprivileged (LDRT/STRT) accesses: the PL0 table.
    var user: UnsafeMutablePointer<SoftTLBEntry> { entries }
    /// The current set (0 ..< setCount).
    private(set) var currentSet = 0
    private var privilegeLevel = 1
    private let storage: UnsafeMutablePointer<SoftTLBEntry>
    private var signatures: [TranslationSignature?]
    /// When each set was last made current (for choosing one to reuse).
    private var lastUsed: [UInt64]
    private var clock: UInt64 = 0
    private let dummyFlag: UnsafeMutablePointer<UInt16>
    /// Per set: whether it was filled since it was last emptied (emptying
    /// every set on each TLB maintenance would otherwise write 144 KiB).
    private let filled: UnsafeMutablePointer<Bool>

    init() {
        filled = .allocate(capacity: SoftTLB.setCount)
        filled.initialize(repeating: false, count: SoftTLB.setCount)
        dummyFlag = .allocate(capacity: 1)
        dummyFlag.initialize(to: 0)
        storage = .allocate(capacity: SoftTLB.setCount * SoftTLB.entriesPerSet)
        storage.initialize(repeating: SoftTLBEntry(readTag: SoftTLB.invalidTag, writeTag: SoftTLB.invalidTag,
                                                   addend: 0, codeMask: dummyFlag),
                           count: SoftTLB.setCount * SoftTLB.entriesPerSet)
        signatures = Array(repeating: nil, count: SoftTLB.setCount)
        lastUsed = Array(repeating: 0, count: SoftTLB.setCount)
        entries = storage
        current = storage + SoftTLB.entriesPerIndex
    }

    deinit {
        storage.deallocate()
        dummyFlag.deallocate()
        filled.deallocate()
    }

    /// Points `current` at the table of `mode`'s privilege level.
    @inline(__always) func selectIndex(for mode: ProcessorMode) {
        privilegeLevel = mode.privilegeLevel
        current = entries + privilegeLevel * SoftTLB.entriesPerIndex
    }

    /// Makes the set of regime `signature` current: the one that already
    /// holds it, else the least recently used one, emptied. Returns the
    /// set's index and whether it was emptied.
    @discardableResult
    func activate(_ signature: TranslationSignature) -> (set: Int, emptied: Bool) {
        clock &+= 1
        var chosen = 0
        var emptied = false
        if let found = signatures.firstIndex(of: signature) {
            chosen = found
        } else {
            for i in 1..<SoftTLB.setCount where lastUsed[i] < lastUsed[chosen] { chosen = i }
            flush(set: chosen)
            signatures[chosen] = signature
            emptied = true
        }
        lastUsed[chosen] = clock
        currentSet = chosen
        entries = storage + chosen * SoftTLB.entriesPerSet
        current = entries + privilegeLevel * SoftTLB.entriesPerIndex
        return (chosen, emptied)
    }

    /// Drops every entry of every privilege in every set (TLB maintenance).
    func flushAll() {
        for set in 0..<SoftTLB.setCount { flush(set: set) }
    }

    private func flush(set: Int) {
        guard filled[set] else { return }
        filled[set] = false
        let base = storage + set * SoftTLB.entriesPerSet
        for i in 0 ..< SoftTLB.entriesPerSet {
            base[i].readTag = SoftTLB.invalidTag
            base[i].writeTag = SoftTLB.invalidTag
        }
    }

    /// Drops entries for the virtual page of `va` in every privilege table
    /// of every set.
    func flushPage(_ va: UInt32) {
        let slot = Int((va >> 12) & 0xFF)
        for t in 0 ..< 3 * SoftTLB.setCount {
            let e = storage + t * SoftTLB.entriesPerIndex + slot
            e.pointee.readTag = SoftTLB.invalidTag
            e.pointee.writeTag = SoftTLB.invalidTag
        }
    }

    /// Installs a translation for privilege table `table` (0–2) of the
    /// current set.
    func fill(table: Int, va: UInt32, host: UnsafeMutableRawPointer, readable: Bool, writable: Bool,
              codeMask: UnsafeMutablePointer<UInt16>) {
        let page = va & 0xFFFF_F000
        filled[currentSet] = true
        let e = entries + table * SoftTLB.entriesPerIndex + Int((va >> 12) & 0xFF)
        e.pointee = SoftTLBEntry(readTag: readable ? page : SoftTLB.invalidTag,
                                 writeTag: writable ? page : SoftTLB.invalidTag,
                                 addend: Int(bitPattern: host) &- Int(page),
                                 codeMask: codeMask)
    }
}

/// The system-register state a software TLB's entries depend on.
struct TranslationSignature: Equatable {
    var vttbr: UInt64 = 0, ttbr0: UInt64 = 0, ttbr1: UInt64 = 0, httbr: UInt64 = 0
    var ttbcr: UInt32 = 0, sctlr: UInt32 = 0, dacr: UInt32 = 0, contextidr: UInt32 = 0
    var hcr: UInt32 = 0, hsctlr: UInt32 = 0, htcr: UInt32 = 0, vtcr: UInt32 = 0

    init() {}

    init(_ s: SystemRegisters) {
        vttbr = s.vttbr; ttbr0 = s.ttbr0; ttbr1 = s.ttbr1; httbr = s.httbr
        ttbcr = s.ttbcr; sctlr = s.sctlr; dacr = s.dacr; contextidr = s.contextidr
        hcr = s.hcr & (HCR.vm | HCR.dc | HCR.tge | HCR.ptw); hsctlr = s.hsctlr; htcr = s.htcr; vtcr = s.vtcr
    }
}
