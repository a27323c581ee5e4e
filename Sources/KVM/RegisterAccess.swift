import ARMv7
import Hyp

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

extension VCPU {
    /// Puts the core registers (every bank, PC, CPSR, SPSRs) into their
    /// reset state: zero, SVC mode with A/I/F masked, ARM state, as
    /// KVM_ARM_VCPU_INIT does before a VMM sets its boot registers. CP15 and
    /// VFP state are left as they are.
    public func resetCoreRegisters() {
        context.regs = GuestRegisters()
    }

    /// PC and CPSR of the stopped VCPU, where the guest is (for
    /// diagnostics): `register(.pc)` and `register(.cpsr)` without the
    /// error path, since those ids always exist.
    public var location: (pc: UInt32, cpsr: UInt32) { (context.regs.pc, context.regs.cpsr) }

    /// Reads a register of the stopped VCPU.
    public func register(_ id: RegisterID) throws(KVMError) -> UInt64 {
        let c = context
        switch id {
        case .core(let n):
            guard (0...15).contains(n) else { throw .badRegister("r\(n)") }
            return UInt64(c.regs.current(n))
        case .banked(let m, let n):
            return UInt64(c.regs.words[try bankIndex(m, n)])
        case .pc: return UInt64(c.regs.pc)
        case .cpsr: return UInt64(c.regs.cpsr)
        case .spsr(let m): return UInt64(c.regs.spsr[try spsrIndex(m)])
        case let .cp15(crn, opc1, crm, opc2):
            return UInt64(try cp15Field(crn, opc1, crm, opc2).get(c.cp15))
        case let .cp15x64(opc1, crm):
            return try cp15Field64(opc1, crm).get(c.cp15)
        case .vfpD(let n):
            guard (0..<32).contains(n) else { throw .badRegister("d\(n)") }
            return c.vfp.d[n]
        case .fpscr: return UInt64(c.vfp.fpscr)
        case .fpexc: return UInt64(c.vfp.fpexc)
        }
    }

    /// Writes a register of the stopped VCPU. Values a guest could not hold
    /// (Hyp or reserved modes in a PSR, bits above 32 in a 32-bit register)
    /// are refused.
    public func setRegister(_ id: RegisterID, _ value: UInt64) throws(KVMError) {
        let c = context
        func word() throws(KVMError) -> UInt32 {
            guard value <= 0xFFFF_FFFF else { throw .badRegister("\(id): value does not fit in 32 bits") }
            return UInt32(value)
        }
        func psr() throws(KVMError) -> UInt32 {
            let v = try word()
            guard let m = ProcessorMode(rawValue: v & 0x1F), m != .hyp else {
                throw .badRegister("\(id): mode 0x\(String(v & 0x1F, radix: 16)) is not a guest mode")
            }
            return v
        }
        switch id {
        case .core(let n):
            guard (0...15).contains(n) else { throw .badRegister("r\(n)") }
            c.regs.setCurrent(n, try word())
        case .banked(let m, let n):
            c.regs.words[try bankIndex(m, n)] = try word()
        case .pc: c.regs.pc = try word()
        case .cpsr: c.regs.cpsr = try psr()
        case .spsr(let m): c.regs.spsr[try spsrIndex(m)] = try psr()
        case let .cp15(crn, opc1, crm, opc2):
            try cp15Field(crn, opc1, crm, opc2).set(&c.cp15, try word())
        case let .cp15x64(opc1, crm):
            try cp15Field64(opc1, crm).set(&c.cp15, value)
        case .vfpD(let n):
            guard (0..<32).contains(n) else { throw .badRegister("d\(n)") }
            c.vfp.d[n] = value
        case .fpscr: c.vfp.fpscr = try word()
        case .fpexc: c.vfp.fpexc = try word() & 0x6000_0000
        }
    }

    private func bankIndex(_ m: ProcessorMode, _ n: Int) throws(KVMError) -> Int {
        guard (8...14).contains(n) else { throw .badRegister("banked r\(n) (8–14 only)") }
        switch m {
        case .user, .system: return BankLayout.usr + n
        case .fiq: return BankLayout.fiq + n - 8
        case .irq where n >= 13: return BankLayout.irq + n - 13
        case .supervisor where n >= 13: return BankLayout.svc + n - 13
        case .abort where n >= 13: return BankLayout.abt + n - 13
        case .undefined where n >= 13: return BankLayout.und + n - 13
        case .irq, .supervisor, .abort, .undefined: return BankLayout.usr + n   // r8–r12 are shared
        case .hyp: throw .badRegister("Hyp registers belong to the hypervisor")
        }
    }

    private func spsrIndex(_ m: ProcessorMode) throws(KVMError) -> Int {
        switch m {
        case .fiq: return 0
        case .irq: return 1
        case .supervisor: return 2
        case .abort: return 3
        case .undefined: return 4
        default: throw .badRegister("\(m) has no guest SPSR")
        }
    }

    private struct Field32 {
        let get: (GuestCP15) -> UInt32
        let set: (inout GuestCP15, UInt32) -> Void
    }

    private struct Field64 {
        let get: (GuestCP15) -> UInt64
        let set: (inout GuestCP15, UInt64) -> Void
    }

    private func cp15Field(_ crn: UInt32, _ opc1: UInt32, _ crm: UInt32, _ opc2: UInt32) throws(KVMError) -> Field32 {
        switch (crn, opc1, crm, opc2) {
        case (1, 0, 0, 0): return Field32(get: { $0.sctlr }, set: { $0.sctlr = $1 })
        case (1, 0, 0, 2): return Field32(get: { $0.cpacr }, set: { $0.cpacr = $1 })
        case (2, 0, 0, 0): return Field32(get: { UInt32(truncatingIfNeeded: $0.ttbr0) }, set: { $0.ttbr0 = UInt64($1) })
        case (2, 0, 0, 1): return Field32(get: { UInt32(truncatingIfNeeded: $0.ttbr1) }, set: { $0.ttbr1 = UInt64($1) })
        case (2, 0, 0, 2): return Field32(get: { $0.ttbcr }, set: { $0.ttbcr = $1 })
        case (3, 0, 0, 0): return Field32(get: { $0.dacr }, set: { $0.dacr = $1 })
        case (5, 0, 0, 0): return Field32(get: { $0.dfsr }, set: { $0.dfsr = $1 })
        case (5, 0, 0, 1): return Field32(get: { $0.ifsr }, set: { $0.ifsr = $1 })
        case (5, 0, 1, 0): return Field32(get: { $0.adfsr }, set: { $0.adfsr = $1 })
        case (5, 0, 1, 1): return Field32(get: { $0.aifsr }, set: { $0.aifsr = $1 })
        case (6, 0, 0, 0): return Field32(get: { $0.dfar }, set: { $0.dfar = $1 })
        case (6, 0, 0, 2): return Field32(get: { $0.ifar }, set: { $0.ifar = $1 })
        case (7, 0, 4, 0): return Field32(get: { UInt32(truncatingIfNeeded: $0.par) }, set: { $0.par = UInt64($1) })
        case (10, 0, 2, 0): return Field32(get: { $0.prrr }, set: { $0.prrr = $1 })
        case (10, 0, 2, 1): return Field32(get: { $0.nmrr }, set: { $0.nmrr = $1 })
        case (10, 0, 3, 0): return Field32(get: { $0.amair0 }, set: { $0.amair0 = $1 })
        case (10, 0, 3, 1): return Field32(get: { $0.amair1 }, set: { $0.amair1 = $1 })
        case (12, 0, 0, 0): return Field32(get: { $0.vbar }, set: { $0.vbar = $1 & ~0x1F })
        case (13, 0, 0, 1): return Field32(get: { $0.contextidr }, set: { $0.contextidr = $1 })
        case (13, 0, 0, 2): return Field32(get: { $0.tpidrurw }, set: { $0.tpidrurw = $1 })
        case (13, 0, 0, 3): return Field32(get: { $0.tpidruro }, set: { $0.tpidruro = $1 })
        case (13, 0, 0, 4): return Field32(get: { $0.tpidrprw }, set: { $0.tpidrprw = $1 })
        case (0, 2, 0, 0): return Field32(get: { $0.csselr }, set: { $0.csselr = $1 & 0xF })
        case (14, 0, 1, 0): return Field32(get: { $0.cntkctl }, set: { $0.cntkctl = $1 })
        case (14, 0, 3, 1): return Field32(get: { $0.cntvCtl }, set: { $0.cntvCtl = $1 & 3 })
        default: throw .badRegister("cp15 c\(crn), \(opc1), c\(crm), \(opc2) is not a guest register")
        }
    }

    private func cp15Field64(_ opc1: UInt32, _ crm: UInt32) throws(KVMError) -> Field64 {
        switch (opc1, crm) {
        case (0, 2): return Field64(get: { $0.ttbr0 }, set: { $0.ttbr0 = $1 })
        case (1, 2): return Field64(get: { $0.ttbr1 }, set: { $0.ttbr1 = $1 })
        case (0, 7): return Field64(get: { $0.par }, set: { $0.par = $1 })
        case (3, 14): return Field64(get: { $0.cntvCval }, set: { $0.cntvCval = $1 })
        case (4, 14): return Field64(get: { $0.cntvoff }, set: { $0.cntvoff = $1 })
        default: throw .badRegister("cp15 64-bit opc1 \(opc1), c\(crm) is not a guest register")
        }
    }
}
