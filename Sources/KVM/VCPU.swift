import ARMv7
import Foundation
import Hyp
import Synchronization

/// A virtual CPU. Shaped like Hypervisor.framework's: owned by one thread,
/// `run()` blocks until the next exit and returns it.
public final class VCPU: @unchecked Sendable {
    /// Index in the VM (MPIDR.Aff0 as the guest sees it).
    public let id: Int
    /// The VM (kept alive by its VCPUs, as a VCPU file descriptor keeps a KVM VM).
    public let vm: VM
    /// The physical core this VCPU runs on and its Hyp software. Not
    /// public: a VMM reaches guest state through the register interface
    /// (RegisterAccess.swift) and exits, as through KVM's ioctls.
    let core: Core
    let hyp: Hyp
    /// Saved guest state (the seed's struct kvm_vcpu_arch).
    let context: VCPUContext
    let handle: UInt32

    /// A read MMIO access waiting for the VMM's value, and any remaining
    /// accesses of the same instruction.
    var mmio = MMIOEmulation()
    /// PSCI power state.
    var power: PowerState
    private let runLock = NSLock()
    private let wake = NSCondition()
    private let kicked = Atomic<Bool>(false)
    /// The thread inside `run()` (interrupts raised on it need no kick), 0
    /// outside; atomic because other threads ask (ThreadSanitizer found the
    /// plain optional read racing with its write).
    private let runThread = Atomic<UInt>(0)
    /// The emulated physical timer and the timer levels last given to the vGIC.
    var ptimer = EmulatedPhysicalTimer()
    var timerLevels = (virtual: false, physical: false, pmu: false)
    /// The vGIC version and leftovers of this VCPU's last list-register flush.
    var flushCache = FlushCache()

    /// PSCI power state. `onPending` holds the CPU_ON arguments until the
    /// VCPU's own thread picks them up (AFFINITY_INFO says ON_PENDING).
    enum PowerState: Equatable { case on, off, onPending(entry: UInt32, contextID: UInt32) }

    /// WFI sleeps in the kernel side until a virtual interrupt arrives
    /// (true), or exits with `.halted` (false, for VMMs without interrupt
    /// sources of their own).
    public var blockOnWFI = true
    /// `run()` returns `.interrupted` once the VCPU has executed this many
    /// guest instructions (checked at every exit).
    public var instructionLimit: UInt64 = .max

    /// Guest instructions per slice before the host's tick forces an exit.
    public var hypSlice: Int {
        get { hyp.guestSlice }
        set { hyp.guestSlice = max(1000, newValue) }
    }

    /// Guest instructions executed on this VCPU's core.
    public var instructionCount: UInt64 { core.instructionCount }

    /// The system counter (CNTPCT) as this VCPU's core reads it: host time,
    /// or instructions in a deterministic VM.
    public var physicalCount: UInt64 { core.physicalCount }

    static let physicalCoreCounter = Atomic<Int>(0)

    init(vm: VM, id: Int) {
        self.vm = vm
        self.id = id
        let physicalID = VCPU.physicalCoreCounter.add(1, ordering: .relaxed).oldValue
        core = Core(memory: vm.system.host.physical, coreID: physicalID & 0xFF)
        core.counterSource = vm.virtualClock.map { .virtualClock($0) } ?? vm.system.counter
        hyp = Hyp(core: core)
        context = VCPUContext(vcpuID: id)
        context.cp15 = GuestCP15Table.resetState(cntvoff: vm.cntvoff)
        // VMPIDR: the host MPIDR with the affinity-0 field replaced by the vcpu id.
        context.mpidr = (core.mpidr & ~0xFF) | UInt32(id & 0xFF)
        handle = hyp.register(context)
        core.sys.vtcr = Stage2Tables.vtcr
        power = id == 0 ? .on : .off
    }

    /// Selects how this VCPU's guest instructions execute (before it first
    /// runs). Throws when the JIT cannot be set up on this host.
    public func setEngine(_ engine: ExecutionEngine) throws {
        try core.setEngine(engine)
    }

    /// The engine this VCPU runs on, and its JIT's counters.
    public var engine: ExecutionEngine { core.engine }
    public var jitStatistics: JITStatistics { core.jitStatistics }

    /// Counters of this VCPU.
    public var statistics: VCPUStatistics { context.stats }

    /// Makes `run()` return `.interrupted` soon (safe from any thread).
    public func kick() {
        kicked.store(true, ordering: .releasing)
        core.requestStop()
        wake.lock(); wake.broadcast(); wake.unlock()
    }

    /// Drives the guest's virtual IRQ line (HCR.VI at the next entry).
    public func setIRQLine(_ level: Bool) { setVirtualLine(HCR.vi, level) }

    private func setVirtualLine(_ bit: UInt32, _ level: Bool) {
        wake.lock()
        if level { context.virtualLines |= bit } else { context.virtualLines &= ~bit }
        wake.broadcast()
        wake.unlock()
        // A running guest re-enters so that HCR picks the line up; on the
        // VCPU's own thread the next entry does that anyway.
        if level && !onRunThread { core.requestStop() }
    }

    private var onRunThread: Bool {
        let t = runThread.load(ordering: .acquiring)
        return t != 0 && pthread_equal(pthread_t(t), pthread_self()) != 0
    }

    /// The vGIC's state for this VCPU changed: drive the virtual IRQ line
    /// from its CPU interface and wake the VCPU if it waits for interrupts.
    func interruptStateChanged() {
        guard let g = vm.vgic else { return }
        if g.hardwareCPUInterface {
            // The next entry flushes it into a list register: make a running
            // guest exit, and wake a sleeping WFI.
            if !onRunThread { core.requestStop() }
            wakeUp()
        } else {
            setIRQLine(g.irqOutput(cpu: id))
        }
    }

    /// List registers in, before an entry (hardware CPU interface).
    func flushInterrupts() {
        guard let g = vm.vgic, g.hardwareCPUInterface else { return }
        g.flush(cpu: id, into: &context.vgic, cache: &flushCache)
    }

    /// List registers out, after an exit.
    func syncInterrupts() {
        guard let g = vm.vgic, g.hardwareCPUInterface else { return }
        g.sync(cpu: id, from: &context.vgic)
    }

    /// Something the guest's WFI waits for: a virtual interrupt line.
    func hasWakeupEvent() -> Bool {
        // What the guest's CPU interface signals (priority mask and running
        // priority included), as WFI's wake-up condition on a real GIC.
        if context.virtualLines & (HCR.vi | HCR.vf | HCR.va) != 0 { return true }
        guard let g = vm.vgic, g.hardwareCPUInterface else { return false }
        return Self.signals(context.vgic)
    }

    /// Whether anything could ever end this VCPU's WFI: an armed timer, or an
    /// enabled interrupt it receives (an SGI needs another VCPU to send it).
    func canBeWoken() -> Bool {
        if nextTimerDeadline() != nil { return true }
        return vm.vgic?.canSignal(cpu: id) ?? false
    }

    /// WFI with nothing pending: sleep on this thread until an interrupt is
    /// pending for the VCPU, one of its timers fires, or a kick.
    func waitForInterrupt() {
        while true {
            syncTimers()
            flushInterrupts()
            if kicked.load(ordering: .acquiring) || hasWakeupEvent() { return }
            var timeout = 0.1
            let now = core.physicalCount
            if let clock = vm.virtualClock, let deadline = nextTimerDeadline(), deadline > now {
                clock.advance(by: deadline - now)   // icount: skip the idle time
                continue
            }
            if let deadline = nextTimerDeadline(), deadline > now {
                timeout = min(timeout, Double(deadline - now) * Double(CounterSource.hostNanosPerTick) * 1e-9)
            }
            wake.lock()
            if !kicked.load(ordering: .acquiring) && !hasWakeupEvent() {
                _ = wake.wait(until: Date().addingTimeInterval(timeout))
            }
            wake.unlock()
        }
    }

    /// Runs the guest until something needs the VMM.
    public func run() throws(KVMError) -> VCPUExit {
        guard runLock.try() else { throw .vcpuBusy }
        runThread.store(UInt(pthread_self()), ordering: .releasing)
        defer { runThread.store(0, ordering: .releasing); runLock.unlock() }
        if let pending = try mmio.nextAccess(self) { return pending }
        // Time passed in the VMM: sample the timers again before the first entry.
        var timersFresh = false
        while true {
            if kicked.exchange(false, ordering: .acquiring) || core.instructionCount >= instructionLimit {
                return .interrupted
            }
            switch powerState {
            case .off:
                // Nobody left to power this VCPU on: the VMM decides.
                if vm.everyVCPUIsOff { return .halted }
                waitForWake { self.powerState != .off || self.vm.everyVCPUIsOff }
                timersFresh = false
                continue
            case .onPending(let entry, let contextID):
                completePowerOn(entry: entry, contextID: contextID)
            case .on:
                break
            }
            context.vttbr = vm.vttbr(vmid: try refreshVMID())
            if !timersFresh { syncTimers() }
            timersFresh = false
            flushInterrupts()
            let code: HypExitCode
            do throws(HypPanic) {
                code = HypExitCode(rawValue: try hyp.call(.runVCPU, handle)) ?? .reset
            } catch {
                throw .hypPanic(error.description)
            }
            syncInterrupts()
            syncTimers()
            timersFresh = true
            switch code {
            case .irq, .fiq:
                continue   // the host tick, a timer or a kick: loop checks for kicks
            case .hypTrap:
                if let exit = try handleTrap() { return exit }
            default:
                return .internalError("unexpected exit code \(code) from the world switch")
            }
        }
    }

    /// Blocks the VCPU thread until `ready` holds or a kick arrives.
    func waitForWake(_ ready: () -> Bool) {
        wake.lock()
        while !ready() && !kicked.load(ordering: .acquiring) {
            _ = wake.wait(until: Date().addingTimeInterval(0.05))
        }
        wake.unlock()
    }

    /// Before every entry: the VM's VMID must belong to the current
    /// generation. Returns it (one consistent snapshot for VTTBR).
    private func refreshVMID() throws(KVMError) -> UInt8 {
        let system = vm.system
        if let vmid = system.vmids.currentVMID(vm) { return vmid }
        do {
            return try system.vmids.refresh(vm, flushAll: {
                _ = try self.hyp.call(.flushAllGuestTLBs)
            }, forceOut: {
                for v in system.allVCPUs() where v !== self { v.core.requestStop() }
            })
        } catch let e as HypPanic {
            throw .hypPanic(e.description)
        } catch {
            throw .hypPanic("\(error)")
        }
    }

    /// Abandons the MMIO access the last exit asked for (no device answers
    /// at that address): the guest takes a synchronous external abort.
    public func failMMIO() {
        guard mmio.active else { return }
        let write = mmio.steps[min(mmio.index, mmio.steps.count - 1)].access.isWrite
        mmio.steps.removeAll(keepingCapacity: true)
        mmio.inFlight = false
        context.inject(.dataAbort, address: context.exit.hdfar, write: write)
    }

    /// Whether PSCI has this VCPU powered off (CPU_OFF, or a secondary not
    /// yet started).
    public var isPoweredOff: Bool { powerState == .off }

    /// The PSCI power state (read under the VM's power lock).
    var powerState: PowerState {
        vm.powerLock.lock(); defer { vm.powerLock.unlock() }
        return power
    }

    /// On the VCPU's own thread: the reset state CPU_ON asked for (SVC mode,
    /// MMU off, entry in ARM or Thumb state, context id in r0), then ON.
    private func completePowerOn(entry: UInt32, contextID: UInt32) {
        context.regs = GuestRegisters()
        context.cp15 = GuestCP15Table.resetState(cntvoff: vm.cntvoff)
        context.virtualLines = 0
        ptimer = EmulatedPhysicalTimer()
        context.regs.pc = entry & ~1
        if entry & 1 != 0 { context.regs.cpsr |= PSR.t }
        context.regs.setArgument(0, contextID)
        vm.powerLock.lock()
        power = .on
        vm.powerLock.unlock()
    }

    /// Wakes the VCPU's thread after its power state changed.
    func wakeUp() {
        wake.lock(); wake.broadcast(); wake.unlock()
    }
}
