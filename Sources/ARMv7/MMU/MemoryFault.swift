/// The cause of a failed memory access, in a form that can be reported in
/// either FSR format or in the HSR.
public struct MemoryFault: Error, Equatable, Sendable {
    public enum Kind: UInt8, Sendable {
        case alignment, debug, translation, accessFlag, domain, permission
        /// Synchronous external abort on the access itself.
        case externalAbort
        /// Synchronous external abort on a translation table walk.
        case externalAbortOnWalk
    }

    /// What went wrong.
    public var kind: Kind
    /// Lookup level (1–3) for walk-related faults.
    public var level: UInt8 = 1
    /// Short-descriptor domain (0–15).
    public var domain: UInt8 = 0
    /// The faulting access was a write.
    public var write: Bool = false
    /// The fault happened in stage-2 translation (report to Hyp).
    public var stage2: Bool = false
    /// A stage-2 fault on a stage-1 table walk.
    public var s1ptw: Bool = false
    /// The access was a cache maintenance operation.
    public var cacheMaintenance: Bool = false
    /// The faulting virtual address.
    public var address: UInt32 = 0
    /// For stage-2 faults, the intermediate physical address.
    public var ipa: UInt64 = 0
    /// The stage-1 regime used long descriptors (selects the FSR format).
    public var longFormat: Bool = false
    /// Short-descriptor faults: the level distinguishes section (1) from page (2).

    public init(kind: Kind, level: UInt8 = 1, domain: UInt8 = 0, write: Bool = false,
                address: UInt32 = 0, longFormat: Bool = false) {
        self.kind = kind
        self.level = level
        self.domain = domain
        self.write = write
        self.address = address
        self.longFormat = longFormat
    }

    /// The 6-bit long-descriptor fault status code (also the HSR xFSC).
    public var longStatus: UInt32 {
        let lvl = UInt32(level & 3)
        switch kind {
        case .translation: return 0b000100 | lvl
        case .accessFlag: return 0b001000 | lvl
        case .permission: return 0b001100 | lvl
        case .externalAbort: return 0b010000
        case .externalAbortOnWalk: return 0b010100 | lvl
        case .alignment: return 0b100001
        case .debug: return 0b100010
        case .domain: return 0b111100 | lvl   // not produced by long descriptors
        }
    }

    /// The 5-bit short-descriptor fault status code.
    public var shortStatus: UInt32 {
        let page = level >= 2
        switch kind {
        case .alignment: return 0b00001
        case .debug: return 0b00010
        case .accessFlag: return page ? 0b00110 : 0b00011
        case .translation: return page ? 0b00111 : 0b00101
        case .domain: return page ? 0b01011 : 0b01001
        case .permission: return page ? 0b01111 : 0b01101
        case .externalAbort: return 0b01000
        case .externalAbortOnWalk: return page ? 0b01110 : 0b01100
        }
    }

    /// DFSR/IFSR value in the format of the regime that faulted.
    public var fsr: UInt32 {
        var v: UInt32
        if longFormat {
            v = 1 << 9 | longStatus
        } else {
            let fs = shortStatus
            v = (fs & 0xF) | ((fs & 0x10) << 6) | UInt32(domain & 0xF) << 4
        }
        if write { v |= 1 << 11 }
        if cacheMaintenance { v |= 1 << 13 }
        return v
    }
}
