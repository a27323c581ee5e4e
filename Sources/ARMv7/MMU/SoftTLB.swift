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
final class SoftTLB {
    static let entriesPerIndex = 256
    static let invalidTag: UInt32 = 1
    /// PL0, PL1, PL2 tables back to back.
    let entries: UnsafeMutablePointer<SoftTLBEntry>
    /// Table for the current mode's privilege.
    var current: UnsafeMutablePointer<SoftTLBEntry>
    /// Table for unprivileged (LDRT/STRT) accesses: the PL0 table.
    var user: UnsafeMutablePointer<SoftTLBEntry> { entries }
    private let dummyFlag: UnsafeMutablePointer<UInt16>

    init() {
        dummyFlag = .allocate(capacity: 1)
        dummyFlag.initialize(to: 0)
        entries = .allocate(capacity: 3 * SoftTLB.entriesPerIndex)
        entries.initialize(repeating: SoftTLBEntry(readTag: SoftTLB.invalidTag, writeTag: SoftTLB.invalidTag,
                                                   addend: 0, codeMask: dummyFlag),
                           count: 3 * SoftTLB.entriesPerIndex)
        current = entries + SoftTLB.entriesPerIndex
    }

    deinit {
        entries.deallocate()
        dummyFlag.deallocate()
    }

    /// Points `current` at the table of `mode`'s privilege level.
    @inline(__always) func selectIndex(for mode: ProcessorMode) {
        current = entries + mode.privilegeLevel * SoftTLB.entriesPerIndex
    }

    /// Drops every entry of every privilege.
    func flushAll() {
        for i in 0 ..< 3 * SoftTLB.entriesPerIndex {
            entries[i].readTag = SoftTLB.invalidTag
            entries[i].writeTag = SoftTLB.invalidTag
        }
    }

    /// Drops entries for the virtual page of `va` in every privilege table.
    func flushPage(_ va: UInt32) {
        let slot = Int((va >> 12) & 0xFF)
        for t in 0..<3 {
            let e = entries + t * SoftTLB.entriesPerIndex + slot
            e.pointee.readTag = SoftTLB.invalidTag
            e.pointee.writeTag = SoftTLB.invalidTag
        }
    }

    /// Installs a translation for privilege table `table` (0–2).
    func fill(table: Int, va: UInt32, host: UnsafeMutableRawPointer, readable: Bool, writable: Bool,
              codeMask: UnsafeMutablePointer<UInt16>) {
        let page = va & 0xFFFF_F000
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
