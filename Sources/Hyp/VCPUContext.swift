import ARMv7

/// Everything a guest can change, saved while the guest is not on a core.
/// The core holds only what is live (docs/ARCHITECTURE.md, end of "The world
/// switch, step by step").
public final class VCPUContext: @unchecked Sendable {
    /// The VCPU's index in its VM (becomes MPIDR.Aff0 through VMPIDR).
    public let vcpuID: Int
    /// General-purpose registers of every bank, PC and CPSR.
    public var regs = GuestRegisters()
    /// Guest-owned CP15 state.
    public var cp15 = GuestCP15()
    /// Guest VFP state (D0–D31, FPSCR, FPEXC).
    public var vfp = VFPContext()
    /// VPIDR and VMPIDR the guest sees as MIDR and MPIDR.
    public var midr: UInt32 = CortexA15ID.midr
    public var mpidr: UInt32 = 0x8000_0000
    /// VMID (bits 55:48) and stage-2 root of the VM, loaded into VTTBR.
    public var vttbr: UInt64 = 0
    /// Pending virtual interrupt lines, ORed into HCR (VI, VF, VA).
    public var virtualLines: UInt32 = 0
    /// The GIC virtual interface (GICH_HCR, VMCR, APR, LR0–3) while the
    /// VCPU is off the core, and the status words captured at its last exit.
    public var vgic = VGICCPUState()
    /// Syndrome of the last guest trap.
    public var exit = TrapRecord()
    /// Counters of world switches and exits.
    public var stats = HypStatistics()
    /// Timer exits (KVM's arch timer sets these before each entry): end the
    /// slice when the live virtual timer fires, and when the physical count
    /// reaches `softTimerDeadline` (the emulated physical timer). This is
    /// the timers' PPI reaching the host as a physical interrupt.
    public var watchVirtualTimer = false
    /// The PMU's overflow interrupt line is low in the vGIC: a rising request
    /// on the core ends the slice so that KVM raises PPI 7.
    public var watchPMU = false
    public var softTimerDeadline: UInt64 = .max

    public init(vcpuID: Int) {
        self.vcpuID = vcpuID
    }
}

/// The registers of all banks of a guest, as plain data: `words` holds the
/// banks in `BankLayout` order so the world switch copies them in bulk.
public struct GuestRegisters: Sendable, Equatable {
    public var words = [UInt32](repeating: 0, count: BankLayout.count)
    public var pc: UInt32 = 0
    /// Reset state of a Cortex-A15 VCPU: SVC mode, A/I/F masked, ARM state.
    public var cpsr: UInt32 = 0x1D3

    public init() {}

    /// R0–R12 and SP/LR of User/System (r8–r12 are the non-FIQ copies).
    public var usr: [UInt32] {
        get { Array(words[BankLayout.usr ..< BankLayout.usr + 15]) }
        set { words.replaceSubrange(BankLayout.usr ..< BankLayout.usr + 15, with: newValue.prefix(15)) }
    }
    /// R8–R14 of FIQ mode.
    public var fiq: [UInt32] {
        get { Array(words[BankLayout.fiq ..< BankLayout.fiq + 7]) }
        set { words.replaceSubrange(BankLayout.fiq ..< BankLayout.fiq + 7, with: newValue.prefix(7)) }
    }
    /// SPSRs of FIQ, IRQ, SVC, ABT, UND.
    public var spsr: [UInt32] {
        get { Array(words[BankLayout.spsr ..< BankLayout.spsr + 5]) }
        set { words.replaceSubrange(BankLayout.spsr ..< BankLayout.spsr + 5, with: newValue.prefix(5)) }
    }
    /// SP and LR of IRQ, SVC, ABT, UND.
    public var irq: (sp: UInt32, lr: UInt32) { pair(BankLayout.irq) }
    public var svc: (sp: UInt32, lr: UInt32) { pair(BankLayout.svc) }
    public var abt: (sp: UInt32, lr: UInt32) { pair(BankLayout.abt) }
    public var und: (sp: UInt32, lr: UInt32) { pair(BankLayout.und) }

    private func pair(_ i: Int) -> (sp: UInt32, lr: UInt32) { (words[i], words[i + 1]) }

    /// Index in `words` of register `n` (0–14) of the mode in `cpsr`.
    func index(_ n: Int) -> Int {
        let mode = ProcessorMode(rawValue: cpsr & 0x1F) ?? .supervisor
        switch (mode, n) {
        case (.fiq, 8...14): return BankLayout.fiq + n - 8
        case (.irq, 13...14): return BankLayout.irq + n - 13
        case (.supervisor, 13...14): return BankLayout.svc + n - 13
        case (.abort, 13...14): return BankLayout.abt + n - 13
        case (.undefined, 13...14): return BankLayout.und + n - 13
        default: return BankLayout.usr + n
        }
    }

    /// The value of register `n` (0–15) in the mode of `cpsr`.
    public func current(_ n: Int) -> UInt32 { n == 15 ? pc : words[index(n & 15)] }

    /// Sets register `n` (0–15) in the mode of `cpsr`.
    public mutating func setCurrent(_ n: Int, _ v: UInt32) {
        if n == 15 { pc = v } else { words[index(n & 15)] = v }
    }

    /// Sets R0–R3 (the SMC Calling Convention's argument/result registers).
    public mutating func setArgument(_ n: Int, _ v: UInt32) { words[BankLayout.usr + (n & 3)] = v }
    /// R0–R3.
    public func argument(_ n: Int) -> UInt32 { words[BankLayout.usr + (n & 3)] }
}

/// The CP15 registers a guest owns (the list the seed's world switch saves
/// and restores), plus the virtual timer: storage only. Encodings, reset
/// values, writable bits and trap handling are KVM's GuestCP15Table, which
/// a test checks against `save`/`load` below.
public struct GuestCP15: Sendable, Equatable {
    public var sctlr: UInt32 = 0
    public var cpacr: UInt32 = 0
    public var ttbcr: UInt32 = 0
    public var dacr: UInt32 = 0
    public var ttbr0: UInt64 = 0
    public var ttbr1: UInt64 = 0
    public var prrr: UInt32 = 0
    public var nmrr: UInt32 = 0
    public var csselr: UInt32 = 0
    public var contextidr: UInt32 = 0
    public var tpidrurw: UInt32 = 0
    public var tpidruro: UInt32 = 0
    public var tpidrprw: UInt32 = 0
    public var dfsr: UInt32 = 0
    public var ifsr: UInt32 = 0
    public var adfsr: UInt32 = 0
    public var aifsr: UInt32 = 0
    public var dfar: UInt32 = 0
    public var ifar: UInt32 = 0
    public var vbar: UInt32 = 0
    public var cntkctl: UInt32 = 0
    public var par: UInt64 = 0
    public var amair0: UInt32 = 0
    public var amair1: UInt32 = 0
    /// The guest's PMU (live on the core while it runs, like the virtual timer).
    public var pmu = PMURegisters()
    public var cntvCtl: UInt32 = 0
    public var cntvCval: UInt64 = 0
    public var cntvoff: UInt64 = 0

    public init() {}

    /// Copies these registers out of the core's system registers.
    @inline(__always)
    public mutating func save(from s: inout SystemRegisters) { transfer(&s, intoCore: false) }

    /// Loads these registers into the core's system registers.
    @inline(__always)
    public mutating func load(into s: inout SystemRegisters) { transfer(&s, intoCore: true) }

    /// The one list of registers the world switch moves, in either direction.
    @inline(__always)
    private mutating func transfer(_ s: inout SystemRegisters, intoCore: Bool) {
        move(&sctlr, &s.sctlr, intoCore)
        move(&cpacr, &s.cpacr, intoCore)
        move(&ttbcr, &s.ttbcr, intoCore)
        move(&dacr, &s.dacr, intoCore)
        move(&ttbr0, &s.ttbr0, intoCore)
        move(&ttbr1, &s.ttbr1, intoCore)
        move(&prrr, &s.prrr, intoCore)
        move(&nmrr, &s.nmrr, intoCore)
        move(&csselr, &s.csselr, intoCore)
        move(&contextidr, &s.contextidr, intoCore)
        move(&tpidrurw, &s.tpidrurw, intoCore)
        move(&tpidruro, &s.tpidruro, intoCore)
        move(&tpidrprw, &s.tpidrprw, intoCore)
        move(&dfsr, &s.dfsr, intoCore)
        move(&ifsr, &s.ifsr, intoCore)
        move(&adfsr, &s.adfsr, intoCore)
        move(&aifsr, &s.aifsr, intoCore)
        move(&dfar, &s.dfar, intoCore)
        move(&ifar, &s.ifar, intoCore)
        move(&vbar, &s.vbar, intoCore)
        move(&cntkctl, &s.cntkctl, intoCore)
        move(&par, &s.par, intoCore)
        move(&amair0, &s.amair0, intoCore)
        move(&amair1, &s.amair1, intoCore)
        move(&pmu, &s.pmu, intoCore)
        move(&cntvCtl, &s.cntvCtl, intoCore)
        move(&cntvCval, &s.cntvCval, intoCore)
        move(&cntvoff, &s.cntvoff, intoCore)
    }

    @inline(__always)
    private func move<T>(_ mine: inout T, _ core: inout T, _ intoCore: Bool) {
        if intoCore { core = mine } else { mine = core }
    }
}

/// Guest floating-point state (filled once the core has VFP).
public struct VFPContext: Sendable, Equatable {
    public var d = [UInt64](repeating: 0, count: 32)
    public var fpscr: UInt32 = 0
    public var fpexc: UInt32 = 0x4000_0000   // EN: the guest's VFP is on from reset
    public init() {}
}

/// What the Hyp vector recorded about the last guest trap.
public struct TrapRecord: Sendable, Equatable {
    public var code: HypExitCode = .reset
    public var hsr: UInt32 = 0
    public var hdfar: UInt32 = 0
    public var hifar: UInt32 = 0
    /// HPFAR: IPA[39:12] in bits 31:4.
    public var hpfar: UInt32 = 0
    /// For a data abort without a valid instruction syndrome (ISV = 0): the
    /// faulting instruction, fetched by Hyp while the guest's translation
    /// regime was still loaded (nil if it could not be read).
    public var instruction: UInt32?
    public init() {}

    /// The faulting IPA of a stage-2 abort, combining HPFAR and HxFAR.
    public var faultIPA: UInt64 {
        let page = UInt64(hpfar >> 4) << 12
        let far = HSR(hsr).isClass(.prefetchAbortLower) ? hifar : hdfar
        return page | UInt64(far & 0xFFF)
    }
}

/// Per-VCPU counters (kvm_stat-like); KVM shows them as `VCPUStatistics`.
public struct HypStatistics: Sendable, Equatable {
    /// World switches into the guest.
    public var worldSwitches: UInt64 = 0
    /// Exits by world-switch exit code (reset, undefined, software, prefetch
    /// abort, data abort, IRQ, FIQ, Hyp trap).
    public var exitsByCode = [UInt64](repeating: 0, count: 8)
    /// Guest traps by HSR exception class (64 classes; see `HSRClass`).
    public var trapsByClass = [UInt64](repeating: 0, count: 64)
    /// Lazy VFP switches (first VFP use in a run).
    public var vfpSwitches: UInt64 = 0
    /// Permission faults re-entered because the IPA could not be resolved.
    public var faultReentries: UInt64 = 0
    public init() {}
}
