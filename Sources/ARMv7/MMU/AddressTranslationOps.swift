/// The CP15 address translation operations (ATS1C*, ATS12NSO*, ATS1H*)
/// and the PAR formats they write (ARM ARM B4.2.6 and the PAR description).
extension Core {
    /// Performs an address translation operation and writes the result to
    /// PAR. `hyp`: ATS1HR/HW (Hyp stage 1). Otherwise the PL1&0 regime with
    /// PL1 (`privileged`) or PL0 permissions: stage 1 only (`stage1Only`,
    /// ATS1C*) or stage 1 + stage 2 (ATS12NSO*, stage 2 when HCR.VM = 1).
    /// Stage-1 descriptor fetches still go through stage 2 when it is
    /// enabled, also for ATS1C* issued from Hyp mode.
    ///
    /// PAR format: 64-bit (long) for ATS1H*, for ATS1C* issued from Hyp mode,
    /// for ATS12NSO* unless HCR.VM = 0 and TTBCR.EAE = 0, and whenever
    /// TTBCR.EAE = 1; 32-bit (short) otherwise. Faults never raise an
    /// exception here: they are reported in PAR.F/FS (a deviation for
    /// ATS1C* at PL1 hitting a stage-2 fault on its table walk, which the
    /// architecture takes to Hyp mode). Memory attribute fields are zero.
    public func addressTranslation(va: UInt32, write: Bool, privileged: Bool, stage1Only: Bool, hyp: Bool) {
        let kind: AccessKind = write ? .write : .read
        let longPAR: Bool
        var pa: UInt64 = UInt64(va)
        var supersection = false
        var fault: MemoryFault?
        if hyp {
            longPAR = true
            if sys.hsctlr & SCTLRBits.m != 0 {
                do throws(MemoryFault) {
                    let e = try walk(va, kind: kind, pl: 2, hyp: true, s1on: true, s2on: false, long: true,
                                     ctx: TranslationTLB.hypRegime, asid: 0, stage2Output: false)
                    pa = try evaluate(e, va: va, kind: kind, pl: 2, longFormat: true).pa
                } catch {
                    fault = error
                }
            }
        } else {
            let hcr = sys.hcr
            let s1on = sys.sctlr & SCTLRBits.m != 0 && hcr & (HCR.dc | HCR.tge) == 0
            let s2on = hcr & (HCR.vm | HCR.dc) != 0
            let eae = sys.longDescriptors
            if mode == .hyp {
                longPAR = stage1Only || eae || hcr & HCR.vm != 0
            } else {
                longPAR = eae
            }
            let pl = privileged ? 1 : 0
            do throws(MemoryFault) {
                let e = try walk(va, kind: kind, pl: pl, hyp: false, s1on: s1on, s2on: s2on, long: eae,
                                 ctx: 0, asid: 0, stage2Output: s2on && !stage1Only)
                pa = try evaluate(e, va: va, kind: kind, pl: pl, longFormat: eae).pa
                supersection = e.isSupersection
            } catch {
                fault = error
            }
        }
        if let f = fault {
            sys.par = longPAR ? Self.longFaultPAR(f) : Self.shortFaultPAR(f)
        } else if longPAR {
            // PA[39:12], LPAE (bit 11) = 1, F = 0.
            sys.par = pa & 0xFF_FFFF_F000 | 1 << 11
        } else if supersection {
            // SS = 1: PA[31:24] in bits 31:24, PA[39:32] in bits 23:16.
            sys.par = pa & 0xFF00_0000 | ((pa >> 32) & 0xFF) << 16 | 1 << 1
        } else {
            sys.par = pa & 0xFFFF_F000
        }
    }

    /// 64-bit PAR for a failed translation: F = 1, FST (long fault status)
    /// in bits 6:1, S2WLK bit 8, FSTAGE bit 9, LPAE bit 11.
    static func longFaultPAR(_ f: MemoryFault) -> UInt64 {
        var v: UInt64 = 1 | UInt64(f.longStatus) << 1 | 1 << 11
        if f.s1ptw { v |= 1 << 8 }
        if f.stage2 { v |= 1 << 9 }
        return v
    }

    /// 32-bit PAR for a failed translation: F = 1, FS in bits 6:1 holding
    /// DFSR bits 12 (ExT, 0 here), 10 (FS[4]) and 3:0; LPAE bit 11 = 0.
    static func shortFaultPAR(_ f: MemoryFault) -> UInt64 {
        1 | UInt64(f.shortStatus & 0x1F) << 1
    }
}
