/// Register banking, CPSR/SPSR composition and mode changes.
extension Core {
    /// The CPSR as software sees it.
    public var cpsr: UInt32 {
        get {
            var v = (nf & PSR.n) | (zf == 0 ? PSR.z : 0) | (cf << 29) | (vf & PSR.n) >> 3
            v |= qf << 27 | ge << 16 | PSR.packIT(itState)
            v |= (bigEndian ? PSR.e : 0) | aif | (thumb ? PSR.t : 0) | mode.rawValue
            return v
        }
        set { writeCPSR(newValue, mask: 0xFFFF_FFFF, exceptionReturn: true) }
    }

    /// NZCV as bits 31:28.
    @inline(__always) var nzcv: UInt32 {
        (nf & PSR.n) | (zf == 0 ? PSR.z : 0) | (cf << 29) | ((vf & PSR.n) >> 3)
    }

    @inline(__always) func setNZCV(_ v: UInt32) {
        nf = v & PSR.n
        zf = (v & PSR.z) == 0 ? 1 : 0
        cf = (v >> 29) & 1
        vf = (v << 3) & PSR.n
    }

    /// Writes the CPSR fields selected by `mask` with the ARMv7 rules.
    ///
    /// `exceptionReturn` allows the execution-state bits (T, IT, J) and is
    /// used for SPSR→CPSR copies; MSR never changes them. An attempt to enter
    /// an illegal mode (reserved encoding, Hyp from PL1, or any change from
    /// PL0) leaves the mode unchanged, the behaviour QEMU and Cortex-A15 show
    /// for this UNPREDICTABLE case.
    public func writeCPSR(_ value: UInt32, mask: UInt32, exceptionReturn: Bool) {
        if exceptionReturn && sys.pmu.countEnable != 0 { pmuCountEvent(PMUEvent.exceptionReturns) }
        let privileged = mode != .user
        var m = mask
        if !privileged { m &= 0xF80F_0200 }   // PL0 may write only NZCVQ, GE and E
        if m & 0xF800_0000 != 0 {
            setNZCV(value & m)
            if m & PSR.n == 0 || m & PSR.z == 0 || m & PSR.c == 0 || m & PSR.v == 0 {
                // Partial NZCV masks do not happen in practice (MSR masks are
                // byte-granular), so a full byte write is assumed.
            }
            if m & PSR.q != 0 { qf = (value >> 27) & 1 }
        }
        if m & PSR.geMask != 0 { ge = (value >> 16) & 0xF }
        if m & PSR.e != 0 { bigEndian = value & PSR.e != 0 }
        if privileged {
            let aifMask = m & (PSR.a | PSR.i | PSR.f)
            let before = aif
            aif = (aif & ~aifMask) | (value & aifMask)
            if before & ~aif != 0 && interruptPending { interruptWindowOpened = true }
        }
        if exceptionReturn {
            thumb = value & PSR.t != 0
            itState = PSR.unpackIT(value)
        }
        if privileged && m & PSR.modeMask != 0 {
            if let newMode = ProcessorMode(rawValue: value & PSR.modeMask),
               modeChangeAllowed(to: newMode, exceptionReturn: exceptionReturn) {
                switchMode(newMode)
            }
        }
    }

    func modeChangeAllowed(to newMode: ProcessorMode, exceptionReturn: Bool) -> Bool {
        if newMode == mode { return true }
        if newMode == .hyp { return mode == .hyp && exceptionReturn }
        if mode == .hyp { return exceptionReturn }
        return true
    }

    /// Switches the register bank to `newMode` without touching anything else.
    public func switchMode(_ newMode: ProcessorMode) {
        let old = mode
        if old == newMode { return }
        let ob = old.bank, nb = newMode.bank
        if ob != nb {
            bankedSP[ob] = r[13]
            if old != .hyp { bankedLR[ob] = r[14] } else { bankedLR[0] = r[14] }
            if (old == .fiq) != (newMode == .fiq) {
                for i in 0..<5 {
                    let t = r[8 + i]; r[8 + i] = otherR8to12[i]; otherR8to12[i] = t
                }
            }
            r[13] = bankedSP[nb]
            r[14] = newMode == .hyp ? bankedLR[0] : bankedLR[nb]
        }
        mode = newMode
        state.pointee.mode = newMode.rawValue
        softTLB.selectIndex(for: newMode)
        invalidateFetchPage()
    }

    /// SPSR of the current mode (reads as CPSR in User/System, which is
    /// UNPREDICTABLE; QEMU returns the CPSR as well).
    public var spsr: UInt32 {
        get { mode.hasSPSR ? bankedSPSR[mode.bank] : cpsr }
        set { if mode.hasSPSR { bankedSPSR[mode.bank] = newValue } }
    }

    /// Reads register `n` of `bankMode`'s bank, wherever it currently lives.
    public func bankedRegister(_ n: Int, mode bankMode: ProcessorMode) -> UInt32 {
        precondition(n >= 0 && n < 15)
        let cur = mode
        if n < 8 { return r[n] }
        if n < 13 {
            return (bankMode == .fiq) == (cur == .fiq) ? r[n] : otherR8to12[n - 8]
        }
        if n == 13 { return bankMode.bank == cur.bank ? r[13] : bankedSP[bankMode.bank] }
        let lrBank = bankMode == .hyp ? 0 : bankMode.bank
        let curLRBank = cur == .hyp ? 0 : cur.bank
        return lrBank == curLRBank ? r[14] : bankedLR[lrBank]
    }

    /// Writes register `n` of `bankMode`'s bank.
    public func setBankedRegister(_ n: Int, mode bankMode: ProcessorMode, _ value: UInt32) {
        precondition(n >= 0 && n < 15)
        let cur = mode
        if n < 8 { r[n] = value; return }
        if n < 13 {
            if (bankMode == .fiq) == (cur == .fiq) { r[n] = value } else { otherR8to12[n - 8] = value }
            return
        }
        if n == 13 {
            if bankMode.bank == cur.bank { r[13] = value } else { bankedSP[bankMode.bank] = value }
            return
        }
        let lrBank = bankMode == .hyp ? 0 : bankMode.bank
        let curLRBank = cur == .hyp ? 0 : cur.bank
        if lrBank == curLRBank { r[14] = value } else { bankedLR[lrBank] = value }
    }

    /// SPSR of `bankMode` (nil for User/System).
    public func savedPSR(of bankMode: ProcessorMode) -> UInt32? {
        bankMode.hasSPSR ? bankedSPSR[bankMode.bank] : nil
    }

    /// Sets the SPSR of `bankMode`.
    public func setSavedPSR(of bankMode: ProcessorMode, _ value: UInt32) {
        if bankMode.hasSPSR { bankedSPSR[bankMode.bank] = value }
    }

    /// Reads a general-purpose register of the current mode. R15 reads as the
    /// address of the next instruction to execute.
    public func register(_ n: Int) -> UInt32 { n == 15 ? pc : r[n & 15] }

    /// Writes a general-purpose register; R15 sets the next instruction.
    public func setRegister(_ n: Int, _ value: UInt32) {
        if n == 15 { pc = value; invalidateFetchPage() } else { r[n & 15] = value }
    }

    /// Sets the PC and the instruction set state (bit 0 selects Thumb).
    public func branch(to address: UInt32, thumb t: Bool) {
        thumb = t
        pc = t ? address & ~1 : address & ~3
    }
}

/// Bulk access to every PL0/PL1 register bank for Hyp software (the world
/// switch), in a fixed layout of `BankLayout.count` words.
public enum BankLayout {
    /// R0–R12 of User (and every mode but FIQ), SP_usr, LR_usr.
    public static let usr = 0
    /// R8–R12, SP and LR of FIQ.
    public static let fiq = 15
    /// SP, LR pairs of IRQ, SVC, ABT, UND.
    public static let irq = 22, svc = 24, abt = 26, und = 28
    /// SPSRs of FIQ, IRQ, SVC, ABT, UND.
    public static let spsr = 30
    public static let count = 35
}

extension Core {
    /// Copies every PL0/PL1 bank into `out` (`BankLayout`). The core must be
    /// in Hyp mode, where none of those banks is the live one.
    public func saveBanks(to out: UnsafeMutablePointer<UInt32>) {
        precondition(mode == .hyp, "saveBanks outside Hyp mode")
        out.update(from: r, count: 13)
        out[13] = bankedSP[0]
        out[14] = r[14]                      // Hyp shares LR with User
        (out + BankLayout.fiq).update(from: otherR8to12, count: 5)
        out[BankLayout.fiq + 5] = bankedSP[1]
        out[BankLayout.fiq + 6] = bankedLR[1]
        for b in 2...5 {
            out[BankLayout.irq + 2 * (b - 2)] = bankedSP[b]
            out[BankLayout.irq + 2 * (b - 2) + 1] = bankedLR[b]
            out[BankLayout.spsr + b - 1] = bankedSPSR[b]
        }
        out[BankLayout.spsr] = bankedSPSR[1]
    }

    /// Loads every PL0/PL1 bank from `words` (`BankLayout`); Hyp mode only.
    public func loadBanks(from words: UnsafePointer<UInt32>) {
        precondition(mode == .hyp, "loadBanks outside Hyp mode")
        r.update(from: words, count: 13)
        bankedSP[0] = words[13]
        r[14] = words[14]
        otherR8to12.update(from: words + BankLayout.fiq, count: 5)
        bankedSP[1] = words[BankLayout.fiq + 5]
        bankedLR[1] = words[BankLayout.fiq + 6]
        for b in 2...5 {
            bankedSP[b] = words[BankLayout.irq + 2 * (b - 2)]
            bankedLR[b] = words[BankLayout.irq + 2 * (b - 2) + 1]
            bankedSPSR[b] = words[BankLayout.spsr + b - 1]
        }
        bankedSPSR[1] = words[BankLayout.spsr]
    }
}
