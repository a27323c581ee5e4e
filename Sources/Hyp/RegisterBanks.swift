import ARMv7

/// Saving and loading every register bank of the PL0/PL1 modes while the core
/// is in Hyp mode (the seed's save_guest_regs / restore_guest_regs).
extension GuestRegisters {
    /// Reads every bank from `core`, which must be in Hyp mode.
    mutating func save(from core: Core) {
        words.withUnsafeMutableBufferPointer { core.saveBanks(to: $0.baseAddress!) }
    }

    /// Writes every bank into `core`, which must be in Hyp mode.
    func load(into core: Core) {
        words.withUnsafeBufferPointer { core.loadBanks(from: $0.baseAddress!) }
    }
}
