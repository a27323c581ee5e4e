import ARMv7

/// Saving and loading every register bank of the PL0/PL1 modes while the core
/// is in Hyp mode (the seed's save_usr_regs / save_guest_regs and friends).
extension GuestRegisters {
    /// Reads every bank from `core`, which must be in Hyp mode.
    mutating func save(from core: Core) {
        for i in 0..<13 { usr[i] = core.bankedRegister(i, mode: .user) }
        usr[13] = core.bankedRegister(13, mode: .user)
        usr[14] = core.bankedRegister(14, mode: .user)
        for i in 0..<7 { fiq[i] = core.bankedRegister(8 + i, mode: .fiq) }
        irq = (core.bankedRegister(13, mode: .irq), core.bankedRegister(14, mode: .irq))
        svc = (core.bankedRegister(13, mode: .supervisor), core.bankedRegister(14, mode: .supervisor))
        abt = (core.bankedRegister(13, mode: .abort), core.bankedRegister(14, mode: .abort))
        und = (core.bankedRegister(13, mode: .undefined), core.bankedRegister(14, mode: .undefined))
        for (i, m) in GuestRegisters.spsrModes.enumerated() { spsr[i] = core.savedPSR(of: m) ?? 0 }
    }

    /// Writes every bank into `core`, which must be in Hyp mode.
    func load(into core: Core) {
        for i in 0..<15 { core.setBankedRegister(i, mode: .user, usr[i]) }
        for i in 0..<7 { core.setBankedRegister(8 + i, mode: .fiq, fiq[i]) }
        core.setBankedRegister(13, mode: .irq, irq.sp); core.setBankedRegister(14, mode: .irq, irq.lr)
        core.setBankedRegister(13, mode: .supervisor, svc.sp); core.setBankedRegister(14, mode: .supervisor, svc.lr)
        core.setBankedRegister(13, mode: .abort, abt.sp); core.setBankedRegister(14, mode: .abort, abt.lr)
        core.setBankedRegister(13, mode: .undefined, und.sp); core.setBankedRegister(14, mode: .undefined, und.lr)
        for (i, m) in GuestRegisters.spsrModes.enumerated() { core.setSavedPSR(of: m, spsr[i]) }
    }

    static let spsrModes: [ProcessorMode] = [.fiq, .irq, .supervisor, .abort, .undefined]

    /// The value of register `n` (0–15) in the mode of `cpsr`.
    public func current(_ n: Int) -> UInt32 {
        if n == 15 { return pc }
        let mode = ProcessorMode(rawValue: cpsr & 0x1F) ?? .supervisor
        switch (mode, n) {
        case (.fiq, 8...14): return fiq[n - 8]
        case (.irq, 13): return irq.sp
        case (.irq, 14): return irq.lr
        case (.supervisor, 13): return svc.sp
        case (.supervisor, 14): return svc.lr
        case (.abort, 13): return abt.sp
        case (.abort, 14): return abt.lr
        case (.undefined, 13): return und.sp
        case (.undefined, 14): return und.lr
        default: return usr[n]
        }
    }

    /// Sets register `n` (0–15) in the mode of `cpsr`.
    public mutating func setCurrent(_ n: Int, _ v: UInt32) {
        if n == 15 { pc = v; return }
        let mode = ProcessorMode(rawValue: cpsr & 0x1F) ?? .supervisor
        switch (mode, n) {
        case (.fiq, 8...14): fiq[n - 8] = v
        case (.irq, 13): irq.sp = v
        case (.irq, 14): irq.lr = v
        case (.supervisor, 13): svc.sp = v
        case (.supervisor, 14): svc.lr = v
        case (.abort, 13): abt.sp = v
        case (.abort, 14): abt.lr = v
        case (.undefined, 13): und.sp = v
        case (.undefined, 14): und.lr = v
        default: usr[n] = v
        }
    }
}
