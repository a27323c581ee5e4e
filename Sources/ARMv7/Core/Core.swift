import CGuestState
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

    // MARK: Register file (in the fixed-layout guest-state block)
    /// The guest-state block: every register the instruction stream reads
    /// and writes, at offsets fixed by the C ABI (see GuestState.h), so that
    /// generated code can address it from one base pointer. The properties
    /// below are views of its fields.
    public let state: UnsafeMutablePointer<ARMGuestState>
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
    public var elrHyp: UInt32 {
        @inline(__always) get { state.pointee.elr_hyp }
        @inline(__always) set { state.pointee.elr_hyp = newValue }
    }

    // Flags in computation-friendly form: N = nf bit 31, Z = (zf == 0),
    // C = cf (0 or 1), V = vf bit 31, Q = qf (0 or 1), GE = ge (4 bits).
    var nf: UInt32 {
        @inline(__always) get { state.pointee.nf }
        @inline(__always) set { state.pointee.nf = newValue }
    }
    var zf: UInt32 {
        @inline(__always) get { state.pointee.zf }
        @inline(__always) set { state.pointee.zf = newValue }
    }
    var cf: UInt32 {
        @inline(__always) get { state.pointee.cf }
        @inline(__always) set { state.pointee.cf = newValue }
    }
    var vf: UInt32 {
        @inline(__always) get { state.pointee.vf }
        @inline(__always) set { state.pointee.vf = newValue }
    }
    var qf: UInt32 {
        @inline(__always) get { state.pointee.qf }
        @inline(__always) set { state.pointee.qf = newValue }
    }
    var ge: UInt32 {
        @inline(__always) get { state.pointee.ge }
        @inline(__always) set { state.pointee.ge = newValue }
    }
    /// The current mode. Only `switchMode` changes it, and it keeps the
    /// block's `mode` field (CPSR.M) equal to it.
    public internal(set) var mode: ProcessorMode = .supervisor
    /// CPSR.T
    public internal(set) var thumb: Bool {
        @inline(__always) get { state.pointee.thumb }
        @inline(__always) set { state.pointee.thumb = newValue }
    }
    /// CPSR.E: data accesses are big-endian.
    var bigEndian: Bool {
        @inline(__always) get { state.pointee.big_endian }
        @inline(__always) set { state.pointee.big_endian = newValue }
    }
    /// CPSR.A, I, F as a mask in their PSR positions.
    var aif: UInt32 {
        @inline(__always) get { state.pointee.aif }
        @inline(__always) set { state.pointee.aif = newValue }
    }
    /// ITSTATE (8 bits).
    var itState: UInt32 {
        @inline(__always) get { state.pointee.it_state }
        @inline(__always) set { state.pointee.it_state = newValue }
    }

    /// The CP15 system registers.
    public var sys = SystemRegisters()

    // MARK: VFP (see VFPRegisters.swift)
    /// D0–D31; S(2n) and S(2n+1) are the low and high halves of D(n).
    public let vfpRegs: UnsafeMutablePointer<UInt64>
    /// FPSCR (only the bits a Cortex-A15 implements; see `FPSCRBit.writable`).
    public var fpscr: UInt32 {
        @inline(__always) get { state.pointee.fpscr }
        @inline(__always) set { state.pointee.fpscr = newValue }
    }
    /// FPEXC (EN and DEX; EX is RAZ/WI). EN is clear at reset.
    public var fpexc: UInt32 {
        @inline(__always) get { state.pointee.fpexc }
        @inline(__always) set { state.pointee.fpexc = newValue }
    }

    // MARK: Execution
    /// Address of the instruction being executed.
    public internal(set) var pc: UInt32 {
        @inline(__always) get { state.pointee.pc }
        @inline(__always) set { state.pointee.pc = newValue }
    }
    /// Where execution continues after the current instruction.
    var nextPC: UInt32 {
        @inline(__always) get { state.pointee.next_pc }
        @inline(__always) set { state.pointee.next_pc = newValue }
    }
    /// Instructions retired since creation.
    public internal(set) var instructionCount: UInt64 {
        @inline(__always) get { state.pointee.instruction_count }
        @inline(__always) set { state.pointee.instruction_count = newValue }
    }
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

    // MARK: JIT (see Sources/ARMv7/JIT)
    /// The translator, when the JIT engine is selected.
    var jit: JITEngine?
    /// The JIT's per-operation interpretation counts and exit-request word,
    /// held without reference counting for the interpreter-call path.
    var jitInterpretedByOp: UnsafeMutablePointer<Int>?
    var jitExitRequestWord: UnsafeMutablePointer<UInt32>?
    /// Whether the current chunk's last block may run past the chunk's end
    /// (`run`; the JIT's dispatcher reads it).
    var jitChunkMayOverrun = false
    /// The exception a helper called from translated code caught, for the
    /// dispatcher to enter.
    var jitPendingException = CPUException.undefined
    /// The instruction of `jitPendingException`, as the translator decoded
    /// it: its length and data-abort syndrome. Exception entry reads these
    /// from the fetch page otherwise, which translated code does not keep
    /// (its slot may be undecoded, or its page untranslatable by now under
    /// another TTBCR that a global TLB entry outlived).
    var jitFaultingInstruction: FaultingInstruction?

    /// Called for every exception the core takes, before it is entered.
    /// Returning true stops `run` with `.hookStop` instead (the exception is
    /// then not entered, and `pc` is the faulting instruction).
    public var exceptionHook: ((Core, ExceptionEvent) -> Bool)?
    /// A CPSR write just unmasked a pending interrupt (see
    /// `BlockEndSignal.interruptWindow`).
    var interruptWindowOpened = false
    /// A signal that ends the block at the next instruction fetch (see
    /// `BlockEndSignal`, `endBlockAfterInstruction`, `blockEndSignal`).
    var pendingBlockEnd: BlockEndSignal?
    /// `fetchVPage` as it was when an instruction raised `pendingBlockEnd`,
    /// put back when the signal is consumed (the fetch page stays valid).
    var fetchVPageBeforeBlockEnd: UInt32 = 1
    /// Set when the hook declined an exception entry.
    var hookStopped = false
    /// The PMU's overflow interrupt request (PMUCounting.swift), sampled by
    /// KVM into the vGIC as PPI 7 (INTID 23).
    public internal(set) var pmuInterruptRequest = false
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

    /// Creates a core in its reset state (SVC mode, A/I/F masked, MMU off,
    /// ARM state) with `pc` = `resetVector`.
    public init(memory: PhysicalMemory, coreID: Int = 0,
                resetVector: UInt32 = 0) {
        self.memory = memory
        self.coreID = coreID
        state = .allocate(capacity: 1)
        state.initialize(to: ARMGuestState())   // all zero
        let base = UnsafeMutableRawPointer(state)
        func words(_ field: PartialKeyPath<ARMGuestState>) -> UnsafeMutablePointer<UInt32> {
            (base + MemoryLayout<ARMGuestState>.offset(of: field)!).assumingMemoryBound(to: UInt32.self)
        }
        r = words(\ARMGuestState.r)
        bankedSP = words(\ARMGuestState.banked_sp)
        bankedLR = words(\ARMGuestState.banked_lr)
        bankedSPSR = words(\ARMGuestState.banked_spsr)
        otherR8to12 = words(\ARMGuestState.other_r8_12)
        vfpRegs = (base + MemoryLayout<ARMGuestState>.offset(of: \ARMGuestState.d)!)
            .assumingMemoryBound(to: UInt64.self)
        state.pointee.zf = 1
        state.pointee.aif = PSR.a | PSR.i | PSR.f
        state.pointee.mode = ProcessorMode.supervisor.rawValue
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
        // The lines outlive the core (its memory keeps them): no other core
        // may raise this JIT's exit request once it is freed.
        lines.setJITExitRequest(nil)
        state.deallocate(); emptySlots.deallocate(); emptyFlag.deallocate()
    }

    /// The MPIDR this core reports to Hyp (and to software when not virtualised).
    public var mpidr: UInt32 { 0x8000_0000 | UInt32(coreID & 0xFF) }

    /// The engine executing this core's instructions.
    public var engine: ExecutionEngine { jit == nil ? .interpreter : .jit }

    /// Selects the execution engine. Call it before the core runs (not from
    /// another thread while it runs). Throws when the JIT cannot be set up on
    /// this host; the core then keeps its current engine.
    ///
    /// `translationThreshold`: how many times the JIT lets the interpreter
    /// run a block before it translates it (1: at once; tests of the
    /// translator use that). `codeCacheSize`: bytes of host code the JIT
    /// keeps before it empties its cache and starts over (tests make it
    /// small to exercise that); it applies when the JIT is first set up.
    public func setEngine(_ engine: ExecutionEngine,
                          translationThreshold: Int = ExecutionEngine.defaultTranslationThreshold,
                          codeCacheSize: Int = ExecutionEngine.defaultCodeCacheSize) throws {
        switch engine {
        case .interpreter:
            lines.setJITExitRequest(nil)
            jitInterpretedByOp = nil
            jitExitRequestWord = nil
            jit = nil
            decodeCache.jit = nil
        case .jit:
            if jit == nil {
                let j = try JITEngine(core: self, codeCacheSize: codeCacheSize)
                j.selectJumpCache(set: softTLB.currentSet, emptied: true)
                jit = j
                jitInterpretedByOp = j.interpretedByOp
                jitExitRequestWord = j.exitRequestWord.assumingMemoryBound(to: UInt32.self)
                decodeCache.jit = j
                lines.setJITExitRequest(j.exitRequestWord)
            }
            jit?.translationThreshold = UInt8(clamping: max(1, translationThreshold))
        }
    }

    /// The JIT's counters (all zero under the interpreter).
    public var jitStatistics: JITStatistics { jit?.report ?? JITStatistics() }

    /// Asks `run` to return at the next check (safe from any thread).
    public func requestStop() { lines.stop.store(true, ordering: .releasing) }

    @inline(__always) func stopRequested() -> Bool { lines.stop.load(ordering: .relaxed) }
    func clearStop() { lines.stop.store(false, ordering: .relaxed) }
}
