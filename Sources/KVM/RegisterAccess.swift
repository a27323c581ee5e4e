import ARMv7
import Hyp

/// The ONE_REG-like register interface (ids in RegisterID.swift), for
/// set-up and exits only: the run loop never goes through it.
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
            return try cp15Field(false, crn, opc1, crm, opc2).field.get(c.cp15)
        case let .cp15x64(opc1, crm):
            return try cp15Field(true, 0, opc1, crm, 0).field.get(c.cp15)
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
            let r = try cp15Field(false, crn, opc1, crm, opc2)
            r.field.set(&c.cp15, UInt64(try word()) & r.mask)
        case let .cp15x64(opc1, crm):
            let r = try cp15Field(true, 0, opc1, crm, 0)
            r.field.set(&c.cp15, value & r.mask)
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

    /// The stored guest CP15 register with this encoding (GuestCP15Table.swift).
    private func cp15Field(_ is64: Bool, _ crn: UInt32, _ opc1: UInt32, _ crm: UInt32,
                           _ opc2: UInt32) throws(KVMError) -> (field: GuestCP15Register.Field, mask: UInt64) {
        let key = GuestCP15Table.key(is64: is64, crn: crn, opc1: opc1, crm: crm, opc2: opc2)
        guard let r = GuestCP15Table.lookup(key), case let .stored(field, _, mask) = r.kind else {
            if is64 { throw .badRegister("cp15 64-bit opc1 \(opc1), c\(crm) is not a guest register") }
            throw .badRegister("cp15 c\(crn), \(opc1), c\(crm), \(opc2) is not a guest register")
        }
        return (field, mask)
    }
}
