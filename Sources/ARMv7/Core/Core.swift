import Foundation

/// Why `Core.run` returned.
public enum CoreStopReason: Equatable, Sendable {
    /// The instruction budget was used up.
    case budgetExhausted
    /// The core executed WFI with no interrupt pending.
    case waitForInterrupt
    /// The core executed WFE with no event pending.
    case waitForEvent
    /// Someone called `requestStop()`.
    case stopRequested
    /// A hook asked to stop (see `Core.exceptionHook`).
    case hookStop
    /// The core entered Hyp mode at HVBAR + `offset` while
    /// `interceptHypVectors` is set: the Hyp layer (Swift) handles the vector.
    case hypVector(offset: UInt32)
}

/// One ARMv7-A core (Cortex-A15 with the Virtualization and Large Physical
/// Address Extensions, non-secure only).
///
/// The core is owned by one host thread. Hot state is stored in the class but
/// the module is built with `-enforce-exclusivity=unchecked`, so accessing it
/// costs a plain load or store.
public final class Core {
    /// The physical address space this core reads and writes.
    public let memory: PhysicalMemory
    /// The core's number (MPIDR.Aff0).
    public let coreID: Int

    // MARK: Register file
    /// The sixteen registers of the current mode. R15 holds the address of the
    /// current instruction plus 8 (A32) or plus 4 (T32) while it executes.
    public let r: UnsafeMutablePointer<UInt32>
    /// Banked R13 per register bank (see `ProcessorMode.bank`).
    let bankedSP: UnsafeMutablePointer<UInt32>
    /// Banked R14 per bank (bank 6, Hyp, is unused: Hyp shares R14 with User).
    let bankedLR: UnsafeMutablePointer<UInt32>
    /// SPSR per bank (bank 0 unused).
    let bankedSPSR: UnsafeMutablePointer<UInt32>
    /// R8–R12 of the User bank when FIQ mode is current, and of FIQ otherwise.
    let otherR8to12: UnsafeMutablePointer<UInt32>
    /// ELR_hyp.
    public var elrHyp: UInt32 = 0

    // Flags in computation-friendly form: N = nf bit 31, Z = (zf == 0),
    // C = cf (0 or 1), V = vf bit 31, Q = qf (0 or 1), GE = ge (4 bits).
    var nf: UInt32 = 0
    var zf: UInt32 = 1
    var cf: UInt32 = 0
    var vf: UInt32 = 0
    var qf: UInt32 = 0
    var ge: UInt32 = 0
    /// The current mode.
    public internal(set) var mode: ProcessorMode = .supervisor
    /// CPSR.T
    public internal(set) var thumb = false
    /// CPSR.E: data accesses are big-endian.
    var bigEndian = false
    /// CPSR.A, I, F as a mask in their PSR positions.
    var aif: UInt32 = PSR.a | PSR.i | PSR.f
    /// ITSTATE (8 bits).
    var itState: UInt32 = 0

    /// The CP15 system registers.
    public var sys = SystemRegisters()

    // MARK: VFP (see VFPRegisters.swift)
    /// D0–D31; S(2n) and S(2n+1) are the low and high halves of D(n).
    public let vfpRegs: UnsafeMutablePointer<UInt64>
    /// FPSCR (only the bits a Cortex-A15 implements; see `FPSCRBit.writable`).
    public var fpscr: UInt32 = 0
    /// FPEXC (EN and DEX; EX is RAZ/WI). EN is clear at reset.
    public var fpexc: UInt32 = 0

    // MARK: Execution
    /// Address of the instruction being executed.
    public internal(set) var pc: UInt32 = 0
    /// Where execution continues after the current instruction.
    var nextPC: UInt32 = 0
    /// Instructions retired since creation.
    public internal(set) var instructionCount: UInt64 = 0
    /// Interrupt input lines (set by the interrupt controller).
    public let lines: InterruptLines
    /// What drives the generic timer's physical count (see GenericTimer.swift).
    public var counterSource: CounterSource = .hostMonotonic(startNanos: hostMonotonicNanos())
    /// Number of cores in this core's cluster, as L2CTLR reports it.
    public var clusterCoreCount = 1

    let decodeCache = DecodeCache()
    let softTLB: SoftTLB
    /// What the software TLB was filled under (see `revalidateSoftTLB`).
    var softTLBSignature = TranslationSignature()
    /// Last fetch page: virtual page, decoded slots and the page's valid range.
    var fetchVPage: UInt32 = 1
    var fetchSlots: UnsafeMutablePointer<DecodedInstruction>
    var fetchCodeMask: UnsafeMutablePointer<UInt16>
    var fetchPhysPage: UInt64 = 0
    /// A page of undecoded slots used before the first fetch.
    let emptySlots: UnsafeMutablePointer<DecodedInstruction>
    private let emptyFlag: UnsafeMutablePointer<UInt16>

    /// Translation lookaside buffer of stage-1/stage-2 walk results.
    public let tlb = TranslationTLB()
    /// The architectural event register (WFE/SEV).
    var eventRegister = false
    /// The local exclusive monitor (LDREX/STREX).
    var exclusive = ExclusiveMonitor()

    /// Called for every exception the core takes, before it is entered.
    /// Returning true stops `run` with `.hookStop` instead (the exception is
    /// then not entered, and `pc` is the faulting instruction).
    public var exceptionHook: ((Core, ExceptionEvent) -> Bool)?
    /// A CPSR write just unmasked a pending interrupt (see `.interruptWindow`).
    var interruptWindowOpened = false
    /// Set when the hook declined an exception entry.
    var hookStopped = false
    /// When set, every entry to a Hyp vector ends `run` with `.hypVector`
    /// after the architected entry (SPSR_hyp, ELR_hyp, HSR, mode) is done:
    /// the hypervisor's Hyp-mode software is Swift code, not guest code.
    public var interceptHypVectors = false
    /// The Hyp vector entered since the run loop last looked.
    var pendingHypVector: UInt32?

    // MARK: GIC virtual interface (see CoreGICVirtualInterface.swift)
    /// This core's bank of the GICv2 virtualization hardware (GICH/GICV).
    /// Read it freely; change it only through `writeGICH`, `restoreGICH` or
    /// guest accesses, which keep the signals below current.
    public internal(set) var gicVirtualInterface = GICVirtualInterface()
    /// The virtual lines the interface drives, as HCR.VI/VF bits: sampled
    /// with HCR's own between blocks, recomputed whenever the interface changes.
    var gicVirtualLines: UInt32 = 0
    /// The interface's maintenance interrupt, a physical IRQ of this core.
    var gicMaintenanceIRQ = false
    /// A guest write to the interface raised a signal: the next instruction
    /// fetch ends the block so the interrupt is taken before it.
    var endBlockBeforeNextFetch = false

    /// Creates a core in its reset state (SVC mode, A/I/F masked, MMU off,
    /// ARM state) with `pc` = `resetVector`.
    public init(memory: PhysicalMemory, coreID: Int = 0,
                resetVector: UInt32 = 0) {
        self.memory = memory
        self.coreID = coreID
        r = .allocate(capacity: 16); r.initialize(repeating: 0, count: 16)
        bankedSP = .allocate(capacity: 8); bankedSP.initialize(repeating: 0, count: 8)
        bankedLR = .allocate(capacity: 8); bankedLR.initialize(repeating: 0, count: 8)
        bankedSPSR = .allocate(capacity: 8); bankedSPSR.initialize(repeating: 0, count: 8)
        otherR8to12 = .allocate(capacity: 5); otherR8to12.initialize(repeating: 0, count: 5)
        vfpRegs = .allocate(capacity: 32); vfpRegs.initialize(repeating: 0, count: 32)
        lines = InterruptLines()
        softTLB = SoftTLB()
        emptySlots = .allocate(capacity: DecodedPage.slotCount)
        emptySlots.initialize(repeating: DecodedInstruction(raw: 0, imm: 0, op: 0, cond: 0, extra: 0),
                              count: DecodedPage.slotCount)
        emptyFlag = .allocate(capacity: 1); emptyFlag.initialize(to: 0)
        fetchSlots = emptySlots
        fetchCodeMask = emptyFlag
        sys.vmpidr = 0x8000_0000 | UInt32(coreID & 0xFF)
        memory.codeCaches.register(decodeCache)
        memory.register(lines: lines)
        pc = resetVector
    }

    deinit {
        r.deallocate(); bankedSP.deallocate(); bankedLR.deallocate(); bankedSPSR.deallocate()
        otherR8to12.deallocate(); emptySlots.deallocate(); emptyFlag.deallocate(); vfpRegs.deallocate()
    }

    /// The MPIDR this core reports to Hyp (and to software when not virtualised).
    public var mpidr: UInt32 { 0x8000_0000 | UInt32(coreID & 0xFF) }

    /// Asks `run` to return at the next check (safe from any thread).
    public func requestStop() { lines.stop.store(true, ordering: .releasing) }

    @inline(__always) func stopRequested() -> Bool { lines.stop.load(ordering: .relaxed) }
    func clearStop() { lines.stop.store(false, ordering: .relaxed) }
}
