import ARMv7

/// Host state saved by the world switch while a guest owns the core.
struct HostContext {
    var regs = GuestRegisters()
    /// Where the host's HVC #0 returns to, and the host CPSR.
    var elrHyp: UInt32 = 0
    var spsrHyp: UInt32 = 0
    var cp15 = GuestCP15()
    /// HCR, HSTR, HCPTR, HDCR, CNTHCTL of the host.
    var traps = HypTrapRegisters()
    /// Host VFP registers, saved only when a guest's are loaded.
    var vfp = VFPContext()
    var fpexc: UInt32 = 0
}
