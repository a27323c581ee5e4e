/// The VMSAv7 MMU (ARM ARM B3): regime selection, the TLB lookup and the
/// permission checks applied to every translation.
///
/// A translation is described by one `TranslationTLBEntry`, whether it came
/// from the TLB or from a fresh walk, and `evaluate` turns an entry plus an
/// access into either a `TranslationResult` or the architected fault. The
/// walkers live in `ShortDescriptorWalk.swift`, `LongDescriptorWalk.swift`
/// and `Stage2Walk.swift`; the TLB in `TranslationTLB.swift`; ATS*/PAR in
/// `AddressTranslationOps.swift`.
///
/// Simplifications (documented, deliberate):
/// - Translation table walks are always little-endian (SCTLR.EE/HSCTLR.EE
///   are ignored for descriptor reads).
/// - Memory attributes (TEX/C/B, TEX remap, MAIR, stage-2 MemAttr) do not
///   affect translation; only HCR.PTW looks at stage-2 MemAttr[3:2] to
///   detect stage-1 walks into Device/Strongly-ordered memory.
/// - There is no hardware Access flag management (as on Cortex-A15).
extension Core {
    /// Translates `va` for the current translation regime and checks `kind`
    /// against the permissions of the access privilege (PL0 when
    /// `unprivileged` or in User mode, PL2 in Hyp mode, PL1 otherwise).
    func translateAddress(_ va: UInt32, _ kind: AccessKind, unprivileged: Bool) throws(CPUException) -> TranslationResult {
        do throws(MemoryFault) {
            return try translateOrFault(va, kind, unprivileged: unprivileged)
        } catch {
            throw kind == .fetch ? .prefetchAbort(error) : .dataAbort(error)
        }
    }

    /// `translateAddress` with the fault not yet wrapped in an exception.
    func translateOrFault(_ va: UInt32, _ kind: AccessKind, unprivileged: Bool) throws(MemoryFault) -> TranslationResult {
        let hyp = mode == .hyp
        let ctx: UInt16
        let asid: UInt8
        let long: Bool
        let s1on: Bool, s2on: Bool
        if hyp {
            if sys.hsctlr & 1 == 0 { return .flat(va) }
            ctx = TranslationTLB.hypRegime
            asid = 0
            long = true
            s1on = true
            s2on = false
        } else {
            let hcr = sys.hcr
            // HCR.DC (and HCR.TGE) make the PL1&0 stage 1 behave as disabled;
            // HCR.DC also forces stage 2 on.
            s1on = sys.sctlr & 1 != 0 && hcr & (HCR.dc | HCR.tge) == 0
            s2on = hcr & (HCR.vm | HCR.dc) != 0
            if !s1on && !s2on { return .flat(va) }
            long = sys.longDescriptors
            ctx = UInt16(sys.vmid) | (s2on ? TranslationTLB.ctxStage2 : 0)
                | (s1on ? 0 : TranslationTLB.ctxStage1Off) | (long ? TranslationTLB.ctxLong : 0)
            asid = s1on ? sys.asid : 0
        }
        let pl = hyp ? 2 : (unprivileged || mode == .user) ? 0 : 1
        if let e = tlb.lookup(vpage: va >> 12, ctx: ctx, asid: asid) {
            return try evaluate(e.pointee, va: va, kind: kind, pl: pl, longFormat: long)
        }
        let e = try walk(va, kind: kind, pl: pl, hyp: hyp, s1on: s1on, s2on: s2on, long: long,
                         ctx: ctx, asid: asid, stage2Output: s2on)
        tlb.insert(e)
        return try evaluate(e, va: va, kind: kind, pl: pl, longFormat: long)
    }

    /// Walks the tables of the selected regime for `va` and returns the
    /// combined stage 1 (+ stage 2 of the output when `stage2Output`) entry.
    /// Stage-1 domain/permission faults for this access are raised before
    /// the output address is translated by stage 2, as the architecture
    /// orders them. `s2on` says whether stage-1 descriptor addresses are IPAs.
    func walk(_ va: UInt32, kind: AccessKind, pl: Int, hyp: Bool, s1on: Bool, s2on: Bool, long: Bool,
              ctx: UInt16, asid: UInt8, stage2Output: Bool) throws(MemoryFault) -> TranslationTLBEntry {
        var s1: Stage1Walk
        do throws(MemoryFault) {
            if hyp {
                s1 = try walkHypStage1(va)
            } else if !s1on {
                s1 = Stage1Walk(flat: va)
            } else if long {
                s1 = try walkLongStage1(va, stage2: s2on)
            } else {
                s1 = try walkShortStage1(va, stage2: s2on)
            }
        } catch {
            var f = error
            f.address = va
            f.longFormat = long
            f.write = f.s1ptw ? false : kind == .write
            throw f
        }
        var e = TranslationTLBEntry(vpage: va >> 12, ctx: ctx, asid: asid, stage1: s1)
        guard stage2Output else { return e }
        // Stage-1 faults first: they must win over stage-2 faults on the output.
        _ = try evaluate(e, va: va, kind: kind, pl: pl, longFormat: long)
        let s2: Stage2Walk
        do throws(MemoryFault) {
            s2 = try stage2Translate(s1.oa)
        } catch {
            var f = error
            f.address = va
            f.longFormat = long
            f.write = kind == .write
            throw f
        }
        e.addStage2(s2)
        return e
    }

    /// Checks `kind` at privilege `pl` against translation `e` and returns
    /// the physical address plus what the same privilege may do on the page.
    @inline(__always)
    func evaluate(_ e: TranslationTLBEntry, va: UInt32, kind: AccessKind, pl: Int,
                  longFormat: Bool) throws(MemoryFault) -> TranslationResult {
        let p = e.s1perms
        var r = true, w = true, x = true
        if p & S1Perm.flat == 0 {
            var checkPermissions = true
            if p & S1Perm.shortFormat != 0 {
                // DACR is consulted at access time (it is not cached in the TLB).
                let d = (sys.dacr >> (UInt32(e.domain) &* 2)) & 3
                if d == 0 || d == 2 {   // no access (reserved 0b10 behaves the same)
                    throw e.stage1Fault(.domain, va: va, kind: kind, longFormat: longFormat)
                }
                checkPermissions = d == 1   // manager: no permission (or XN) checks
            }
            if checkPermissions {
                if pl == 2 {
                    r = p & S1Perm.pl1R != 0
                    w = p & S1Perm.pl1W != 0
                    x = r && p & S1Perm.xn == 0 && !(w && sys.hsctlr & SCTLRBits.wxn != 0)
                } else if pl == 1 {
                    let sctlr = sys.sctlr
                    r = p & S1Perm.pl1R != 0
                    w = p & S1Perm.pl1W != 0
                    x = r && p & (S1Perm.xn | S1Perm.pxn) == 0
                        && !(w && sctlr & SCTLRBits.wxn != 0)
                        && !(p & S1Perm.pl0W != 0 && sctlr & SCTLRBits.uwxn != 0)
                } else {
                    r = p & S1Perm.pl0R != 0
                    w = p & S1Perm.pl0W != 0
                    x = r && p & S1Perm.xn == 0 && !(w && sys.sctlr & SCTLRBits.wxn != 0)
                }
                let allowed = kind == .read ? r : kind == .write ? w : x
                if !allowed {
                    throw e.stage1Fault(.permission, va: va, kind: kind, longFormat: longFormat)
                }
            }
        }
        let q = e.s2perms
        if q & S2Perm.present != 0 {
            let r2 = q & S2Perm.read != 0, w2 = q & S2Perm.write != 0, x2 = q & S2Perm.exec != 0
            let allowed = kind == .read ? r2 : kind == .write ? w2 : x2
            if !allowed {
                var f = MemoryFault(kind: .permission, level: e.stage2Level, write: kind == .write,
                                    address: va, longFormat: longFormat)
                f.stage2 = true
                f.ipa = UInt64(e.ipaPage) << 12 | UInt64(va & 0xFFF)
                throw f
            }
            r = r && r2
            w = w && w2
            x = x && x2
        }
        return TranslationResult(pa: UInt64(e.ppage) << 12 | UInt64(va & 0xFFF),
                                 readable: r, writable: w, executable: x)
    }

    /// Reads a stage-1 translation table descriptor of `size` bytes at
    /// `address`, which is an IPA translated by stage 2 when `stage2` is set.
    func readStage1Descriptor(_ address: UInt64, size: Int, level: UInt8, domain: UInt8 = 0,
                              stage2: Bool) throws(MemoryFault) -> UInt64 {
        var pa = address
        if stage2 {
            do throws(MemoryFault) {
                let s2 = try stage2Translate(address)
                if s2.perms & S2Perm.read == 0 || (s2.device && sys.hcr & HCR.ptw != 0) {
                    var f = MemoryFault(kind: .permission, level: s2.level)
                    f.stage2 = true
                    throw f
                }
                pa = s2.pa
            } catch {
                var f = error
                f.s1ptw = true
                f.stage2 = true
                f.ipa = address
                throw f
            }
        }
        guard let v = memory.read(pa, size: size) else {
            throw MemoryFault(kind: .externalAbortOnWalk, level: level, domain: domain)
        }
        return v
    }
}

extension TranslationResult {
    /// VA = PA with every access allowed (MMU off, no stage 2).
    @inline(__always) static func flat(_ va: UInt32) -> TranslationResult {
        TranslationResult(pa: UInt64(va), readable: true, writable: true, executable: true)
    }
}

/// SCTLR/HSCTLR bits the MMU reads.
enum SCTLRBits {
    static let m: UInt32 = 1 << 0
    static let wxn: UInt32 = 1 << 19
    static let uwxn: UInt32 = 1 << 20
    static let afe: UInt32 = 1 << 29
}

/// Stage-1 permission summary bits kept in a TLB entry.
enum S1Perm {
    /// Readable / writable at PL1 (at PL2 for the Hyp regime).
    static let pl1R: UInt8 = 1 << 0
    static let pl1W: UInt8 = 1 << 1
    /// Readable / writable at PL0.
    static let pl0R: UInt8 = 1 << 2
    static let pl0W: UInt8 = 1 << 3
    static let xn: UInt8 = 1 << 4
    static let pxn: UInt8 = 1 << 5
    /// Short-descriptor translation: the domain is checked against DACR.
    static let shortFormat: UInt8 = 1 << 6
    /// Stage 1 disabled (VA = IPA): no stage-1 checks at all.
    static let flat: UInt8 = 1 << 7
}

/// Stage-2 permission bits kept in a TLB entry.
enum S2Perm {
    static let read: UInt8 = 1 << 0
    static let write: UInt8 = 1 << 1
    static let exec: UInt8 = 1 << 2
    /// The entry includes a stage-2 translation.
    static let present: UInt8 = 1 << 7
}

/// What a stage-1 walk found for one VA.
struct Stage1Walk {
    /// Output address (IPA, or PA without stage 2) of the VA itself.
    var oa: UInt64
    var perms: UInt8
    var domain: UInt8 = 0
    /// Lookup level of the leaf descriptor (short: 1 section, 2 page).
    var level: UInt8
    /// log2 of the size of the block/page the leaf maps.
    var blockShift: UInt8
    var global: Bool
    var supersection: Bool = false

    init(oa: UInt64, perms: UInt8, domain: UInt8 = 0, level: UInt8, blockShift: UInt8, global: Bool,
         supersection: Bool = false) {
        self.oa = oa; self.perms = perms; self.domain = domain; self.level = level
        self.blockShift = blockShift; self.global = global; self.supersection = supersection
    }

    /// Stage 1 disabled: VA = IPA, nothing checked.
    init(flat va: UInt32) {
        self.init(oa: UInt64(va), perms: S1Perm.flat, level: 1, blockShift: 12, global: true)
    }
}

/// What a stage-2 walk found for one IPA.
struct Stage2Walk {
    var pa: UInt64
    /// `S2Perm` read/write/exec bits.
    var perms: UInt8
    var level: UInt8
    /// MemAttr[3:2] == 0b00: Strongly-ordered or Device memory.
    var device: Bool
}
