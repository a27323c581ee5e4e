import ARMv7
import Hyp

/// One guest CP15 register: its encoding and what the hypervisor does with
/// it (coproc.c's struct coproc_reg). The table below is the one place that
/// says which CP15 registers a guest has, where each lives, its reset value
/// and writable bits, and how a trapped access is emulated.
struct GuestCP15Register: Sendable {
    /// MRC/MCR (or MRRC/MCRR) encoding, packed by `GuestCP15Table.key`.
    let key: UInt16
    let name: StaticString
    let kind: Kind

    enum Kind: Sendable {
        /// Guest-owned state in `GuestCP15`, switched by the world switch and
        /// never trapped (HCR.TVM is clear): reachable through the register
        /// interface. `mask` holds the bits a VMM write may set.
        case stored(Field, reset: UInt64, mask: UInt64)
        /// Trapped (HCR.TID3), read-only: a write is UNDEFINED.
        case readOnly(UInt32)
        /// Trapped (HCR.TAC, TIDCP): reads give the value for a VM of this
        /// many VCPUs, writes are ignored.
        case perVM(@Sendable (_ vcpus: UInt32) -> UInt32)
        /// Cache maintenance by set/way (HCR.TSW): memory is coherent, a no-op.
        case setWay
        /// The physical timer (CNTHCTL.PL1PCEN clear), emulated by ArchTimer.swift.
        case physicalTimer
    }

    /// Where a stored register lives in `GuestCP15`.
    struct Field: Sendable {
        let get: @Sendable (GuestCP15) -> UInt64
        let set: @Sendable (inout GuestCP15, UInt64) -> Void
    }
}

/// The guest CP15 description, sorted by encoding and built once.
enum GuestCP15Table {
    /// Encoding key: 64-bit flag, CRn, Opc1, CRm, Opc2 (MRRC: Opc1 and CRm only).
    static func key(is64: Bool, crn: UInt32, opc1: UInt32, crm: UInt32, opc2: UInt32) -> UInt16 {
        UInt16((is64 ? 1 << 15 : 0) | (crn & 0xF) << 11 | (opc1 & 0xF) << 7 | (crm & 0xF) << 3 | (opc2 & 7))
    }

    static func key(_ a: CoprocessorAccess) -> UInt16 {
        key(is64: a.is64, crn: a.crn, opc1: a.opc1, crm: a.crm, opc2: a.opc2)
    }

    /// Every guest CP15 register, sorted by `key`.
    static let registers: [GuestCP15Register] = {
        var t: [GuestCP15Register] = []
        func r32(_ name: StaticString, _ crn: UInt32, _ opc1: UInt32, _ crm: UInt32, _ opc2: UInt32,
                 _ kind: GuestCP15Register.Kind) {
            t.append(GuestCP15Register(key: key(is64: false, crn: crn, opc1: opc1, crm: crm, opc2: opc2),
                                       name: name, kind: kind))
        }
        func r64(_ name: StaticString, _ opc1: UInt32, _ crm: UInt32, _ kind: GuestCP15Register.Kind) {
            t.append(GuestCP15Register(key: key(is64: true, crn: 0, opc1: opc1, crm: crm, opc2: 0),
                                       name: name, kind: kind))
        }
        /// A 32-bit field of `GuestCP15`.
        func word(_ kp: WritableKeyPath<GuestCP15, UInt32> & Sendable, reset: UInt32 = 0,
                  mask: UInt32 = 0xFFFF_FFFF) -> GuestCP15Register.Kind {
            .stored(.init(get: { UInt64($0[keyPath: kp]) }, set: { $0[keyPath: kp] = UInt32(truncatingIfNeeded: $1) }),
                    reset: UInt64(reset), mask: UInt64(mask))
        }
        /// A 64-bit field: whole (MRRC), or its low word (MRC), which
        /// clears the high word when written.
        func dword(_ kp: WritableKeyPath<GuestCP15, UInt64> & Sendable, lowWord: Bool = false) -> GuestCP15Register.Kind {
            .stored(.init(get: { lowWord ? $0[keyPath: kp] & 0xFFFF_FFFF : $0[keyPath: kp] },
                          set: { $0[keyPath: kp] = $1 }),
                    reset: 0, mask: lowWord ? 0xFFFF_FFFF : .max)
        }

        // ID group 3 (CRn 0, Opc1 0, CRm 1–7): the core's values without a
        // PMU; reserved encodings read as zero (GuestIDRegisters.swift).
        for crm: UInt32 in 1...7 {
            for opc2: UInt32 in 0...7 {
                r32("ID group 3", 0, 0, crm, opc2, .readOnly(GuestIDRegisters.value(crm: crm, opc2: opc2)))
            }
        }
        r32("CSSELR", 0, 2, 0, 0, word(\.csselr, mask: 0xF))
        r32("SCTLR", 1, 0, 0, 0, word(\.sctlr, reset: 0x00C5_0078))
        r32("ACTLR", 1, 0, 0, 1, .perVM { $0 > 1 ? 1 << 6 : 0 })   // the SMP bit
        r32("CPACR", 1, 0, 0, 2, word(\.cpacr))
        r32("TTBR0", 2, 0, 0, 0, dword(\.ttbr0, lowWord: true))
        r32("TTBR1", 2, 0, 0, 1, dword(\.ttbr1, lowWord: true))
        r32("TTBCR", 2, 0, 0, 2, word(\.ttbcr))
        r32("DACR", 3, 0, 0, 0, word(\.dacr))
        r32("DFSR", 5, 0, 0, 0, word(\.dfsr))
        r32("IFSR", 5, 0, 0, 1, word(\.ifsr))
        r32("ADFSR", 5, 0, 1, 0, word(\.adfsr))
        r32("AIFSR", 5, 0, 1, 1, word(\.aifsr))
        r32("DFAR", 6, 0, 0, 0, word(\.dfar))
        r32("IFAR", 6, 0, 0, 2, word(\.ifar))
        r32("PAR", 7, 0, 4, 0, dword(\.par, lowWord: true))
        r32("DCISW", 7, 0, 6, 2, .setWay)
        r32("DCCSW", 7, 0, 10, 2, .setWay)
        r32("DCCISW", 7, 0, 14, 2, .setWay)
        r32("L2CTLR", 9, 1, 0, 2, .perVM { ($0 - 1) << 24 })   // number of cores
        r32("L2ECTLR", 9, 1, 0, 3, .perVM { _ in 0 })
        r32("PRRR", 10, 0, 2, 0, word(\.prrr, reset: 0x0009_8AA4))
        r32("NMRR", 10, 0, 2, 1, word(\.nmrr, reset: 0x44E0_48E0))
        r32("AMAIR0", 10, 0, 3, 0, word(\.amair0))
        r32("AMAIR1", 10, 0, 3, 1, word(\.amair1))
        r32("VBAR", 12, 0, 0, 0, word(\.vbar, mask: ~0x1F))
        r32("CONTEXTIDR", 13, 0, 0, 1, word(\.contextidr))
        r32("TPIDRURW", 13, 0, 0, 2, word(\.tpidrurw))
        r32("TPIDRURO", 13, 0, 0, 3, word(\.tpidruro))
        r32("TPIDRPRW", 13, 0, 0, 4, word(\.tpidrprw))
        r32("CNTKCTL", 14, 0, 1, 0, word(\.cntkctl))
        r32("CNTP_TVAL", 14, 0, 2, 0, .physicalTimer)
        r32("CNTP_CTL", 14, 0, 2, 1, .physicalTimer)
        r32("CNTV_CTL", 14, 0, 3, 1, word(\.cntvCtl, mask: 3))
        r32("CBAR", 15, 4, 0, 0, .perVM { _ in 0 })
        r64("TTBR0", 0, 2, dword(\.ttbr0))
        r64("TTBR1", 1, 2, dword(\.ttbr1))
        r64("PAR", 0, 7, dword(\.par))
        r64("CNTP_CVAL", 2, 14, .physicalTimer)
        r64("CNTV_CVAL", 3, 14, dword(\.cntvCval))
        r64("CNTVOFF", 4, 14, dword(\.cntvoff))
        t.sort { $0.key < $1.key }
        for i in t.indices.dropFirst() { precondition(t[i - 1].key != t[i].key, "duplicate CP15 encoding \(t[i].name)") }
        return t
    }()

    /// The register with encoding `key` (binary search), or nil.
    static func lookup(_ key: UInt16) -> GuestCP15Register? {
        var lo = 0, hi = registers.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let k = registers[mid].key
            if k == key { return registers[mid] }
            if k < key { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// A VCPU's CP15 state at reset: every stored register at its reset value.
    static func resetState(cntvoff: UInt64) -> GuestCP15 {
        var s = GuestCP15()
        for r in registers {
            if case let .stored(field, reset, _) = r.kind { field.set(&s, reset) }
        }
        s.cntvoff = cntvoff   // per VM, not per register
        return s
    }
}
