import ARMv7

/// Names of VCPU registers for `VCPU.register(_:)` / `setRegister(_:_:)`,
/// in the spirit of KVM's ONE_REG interface: one identifier per register,
/// validated, usable while the VCPU is not running.
public enum RegisterID: Hashable, Sendable {
    /// R0–R15 as the guest's current mode sees them (R15 = PC).
    case core(Int)
    /// R8–R14 of a specific mode's bank (User/System share one).
    case banked(ProcessorMode, Int)
    case pc
    case cpsr
    /// SPSR of an exception mode.
    case spsr(ProcessorMode)
    /// A 32-bit CP15 register by its MRC encoding.
    case cp15(crn: UInt32, opc1: UInt32, crm: UInt32, opc2: UInt32)
    /// A 64-bit CP15 register by its MRRC encoding (TTBR0/1, PAR, CNTV_CVAL, CNTVOFF).
    case cp15x64(opc1: UInt32, crm: UInt32)
    /// D0–D31.
    case vfpD(Int)
    case fpscr
    case fpexc
}

extension RegisterID {
    /// Names for guest CP15 registers VMMs and tests commonly set (the
    /// encodings, as KVM's ONE_REG ids are).
    public static let sctlr = RegisterID.cp15(crn: 1, opc1: 0, crm: 0, opc2: 0)
    public static let cpacr = RegisterID.cp15(crn: 1, opc1: 0, crm: 0, opc2: 2)
    public static let dfsr = RegisterID.cp15(crn: 5, opc1: 0, crm: 0, opc2: 0)
    public static let ifsr = RegisterID.cp15(crn: 5, opc1: 0, crm: 0, opc2: 1)
    public static let dfar = RegisterID.cp15(crn: 6, opc1: 0, crm: 0, opc2: 0)
    public static let ifar = RegisterID.cp15(crn: 6, opc1: 0, crm: 0, opc2: 2)
    public static let vbar = RegisterID.cp15(crn: 12, opc1: 0, crm: 0, opc2: 0)
    /// PAR as a 64-bit register (MRRC p15, 0, c7).
    public static let par64 = RegisterID.cp15x64(opc1: 0, crm: 7)
    /// CNTVOFF (MRRC p15, 4, c14).
    public static let cntvoff = RegisterID.cp15x64(opc1: 4, crm: 14)
}
