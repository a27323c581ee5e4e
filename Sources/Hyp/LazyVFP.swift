import ARMv7

/// The seed's lazy VFP/NEON switch: a guest runs with cp10/cp11 trapped by
/// HCPTR and FPEXC.EN forced on; its first VFP instruction traps to Hyp,
/// which saves the host's VFP registers, loads the guest's, drops the trap
/// and lets the guest re-execute — without going back to the host. On exit
/// the host's registers come back only if the guest's were loaded, so a
/// guest that never touches VFP costs no VFP save or restore.
extension Hyp {
    /// Before entering the guest: keep the host FPEXC, force EN so that the
    /// only thing stopping guest VFP use is the HCPTR trap.
    func enterGuestVFP() {
        host.fpexc = core.fpexc
        core.fpexc |= VFPBits.fpexcEN
    }

    /// HCPTR trap from the guest. Returns true when Hyp switched the VFP
    /// state and the guest can re-execute the instruction; false for traps
    /// that are not VFP (trace registers), which go to the host.
    func switchToGuestVFP(_ v: VCPUContext) -> Bool {
        let hsr = HSR(core.sys.hsr)
        let coproc = hsr.trappedCoprocessor
        guard !guestVFPLoaded, coproc == 10 || coproc == 11 || hsr.isAdvancedSIMDAccess else { return false }
        // Host registers out.
        host.vfp.d.withUnsafeMutableBufferPointer { core.saveVFPRegisters(to: $0.baseAddress!) }
        host.vfp.fpscr = core.fpscr
        // Guest registers in.
        v.vfp.d.withUnsafeBufferPointer { core.loadVFPRegisters(from: $0.baseAddress!) }
        core.fpscr = v.vfp.fpscr
        core.fpexc = v.vfp.fpexc
        core.sys.hcptr &= ~(HCPTRBits.tcp10 | HCPTRBits.tcp11 | HCPTRBits.tase)
        guestVFPLoaded = true
        v.stats.vfpSwitches &+= 1
        return true
    }

    /// On the way out: the guest's VFP state back to its context and the
    /// host's onto the core, only if they were swapped.
    func leaveGuestVFP(_ v: VCPUContext) {
        if guestVFPLoaded {
            v.vfp.d.withUnsafeMutableBufferPointer { core.saveVFPRegisters(to: $0.baseAddress!) }
            v.vfp.fpscr = core.fpscr
            v.vfp.fpexc = core.fpexc
            host.vfp.d.withUnsafeBufferPointer { core.loadVFPRegisters(from: $0.baseAddress!) }
            core.fpscr = host.vfp.fpscr
            guestVFPLoaded = false
        }
        core.fpexc = host.fpexc
    }
}

/// VFP bits the world switch uses.
enum VFPBits {
    static let fpexcEN: UInt32 = 1 << 30
}
