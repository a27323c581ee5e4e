import ARMv7

/// The lazy VFP/NEON switch. Until the core has VFP registers (the Thumb-2/
/// VFP issue), there is nothing to swap: the trap still routes the first
/// VFP use to Hyp, which must then hand it to the host as an exit.
extension Hyp {
    /// Called before entering the guest.
    func enterGuestVFP() {}

    /// HCPTR trap for cp10/cp11: returns true when Hyp switched the VFP state
    /// and the guest can simply re-execute the instruction.
    func switchToGuestVFP(_ v: VCPUContext) -> Bool { false }

    /// Called on the way out: restore the host's VFP state if the guest's was loaded.
    func leaveGuestVFP(_ v: VCPUContext) {}
}
