import ARMv7
import Devices
import Foundation

/// A single-core `virt` board that runs a guest directly on the ARMv7 core
/// (no hypervisor): RAM at 0x40000000, a PL011 at 0x09000000, and PSCI
/// through HVC answered as firmware would.
public final class BareMetalMachine {
    public let memory = PhysicalMemory(gicVirtualInterface: VirtMemoryMap.gicVirtualInterface)
    public let core: Core
    public let uart: PL011
    public let ramSize: UInt64
    private var hypCall: UInt32?
    private var fatal: String?

    /// Builds the board with `ramSize` bytes of RAM; `console` gets UART output.
    public init(ramSize: UInt64, engine: ExecutionEngine = .default, console: @escaping (UInt8) -> Void) throws {
        guard ramSize >= 0x10_0000, ramSize <= VirtMemoryMap.ramLimit, ramSize & 0xFFF == 0 else {
            throw LoadError.doesNotFit(what: "RAM", address: VirtMemoryMap.ramBase, size: Int(ramSize))
        }
        self.ramSize = ramSize
        try memory.addRAM(base: VirtMemoryMap.ramBase, size: ramSize)
        uart = PL011(output: console)
        try memory.addDevice(uart, base: VirtMemoryMap.uart, size: 0x1000)
        core = Core(memory: memory)
        try core.setEngine(engine)
        core.exceptionHook = { [unowned self] core, event in self.observe(core, event) }
    }

    /// Places `image` in RAM and sets the boot state the way QEMU's -kernel
    /// does for 32-bit ARM: SVC mode, MMU off, A/I/F masked, r0 = 0,
    /// r1 = 0xffffffff (no machine type), r2 = DTB address (0 when none).
    public func load(_ image: GuestImage, dtbAddress: UInt32 = 0) throws {
        try image.place(in: memory)
        core.setRegister(0, 0)
        core.setRegister(1, 0xFFFF_FFFF)
        core.setRegister(2, dtbAddress)
        core.branch(to: UInt32(truncatingIfNeeded: image.entry), thumb: image.entry & 1 != 0)
    }

    /// Runs until power-off, the instruction limit, or a guest error.
    public func run(maxInstructions: UInt64 = .max) -> RunOutcome {
        while true {
            let left = maxInstructions &- core.instructionCount
            if core.instructionCount >= maxInstructions { return .instructionLimit }
            let reason = core.run(budget: Int(min(left, 10_000_000)))
            switch reason {
            case .hookStop:
                if let message = fatal { return .guestError(message) }
                if let function = hypCall {
                    hypCall = nil
                    switch BareMetalPSCI.handle(function: function) {
                    case .systemOff: return .powerOff
                    case .systemReset: return .reset
                    case .returnValue(let v):
                        core.setRegister(0, v)
                        core.setRegister(15, core.pc &+ 4)   // resume after the HVC
                    }
                }
            case .waitForInterrupt, .waitForEvent:
                if !core.interruptPending {
                    return .guestError("guest waits for an interrupt at 0x\(hex(core.pc)), but this board has no interrupt source")
                }
            case .budgetExhausted, .stopRequested:
                continue
            case .hypVector(let offset):
                return .guestError("unexpected Hyp vector 0x\(hex(offset)) without a hypervisor")
            }
        }
    }

    /// Exception hook: turns HVC into a PSCI call and detects crash loops.
    private func observe(_ core: Core, _ event: ExceptionEvent) -> Bool {
        switch event.kind {
        case .hyp(_, let syndrome) where HSR(syndrome).isClass(.hvc):
            hypCall = core.register(0)
            return true
        case .hyp(let offset, let syndrome):
            fatal = "guest took an exception to Hyp mode (vector 0x\(hex(offset)), HSR 0x\(hex(syndrome))) at 0x\(hex(event.address)), but no hypervisor is loaded"
            return true
        case .prefetchAbort:
            // A prefetch abort while fetching an exception vector means the
            // vectors are not in memory: the guest can never recover.
            let base = core.sys.sctlr & (1 << 13) != 0 ? 0xFFFF_0000 : core.sys.vbar & ~0x1F
            if event.address &- base < 0x20 {
                fatal = "guest crashed: exception vector at 0x\(hex(event.address)) is not executable memory (VBAR 0x\(hex(base)))"
                return true
            }
            return false
        default:
            return false
        }
    }
}

func hex<T: BinaryInteger>(_ v: T) -> String { String(v, radix: 16) }
