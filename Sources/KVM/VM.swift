import ARMv7
import Devices
import Foundation
import Hyp
import Synchronization

/// A guest-physical RAM range backed by host RAM.
public struct MemorySlot: @unchecked Sendable {
    /// First guest-physical address (IPA).
    public let guestBase: UInt64
    public let size: UInt64
    /// Host physical base of the backing region.
    public let hostBase: UInt64
    /// Host pointer to the first byte (for the VMM's loaders and devices).
    public let pointer: UnsafeMutableRawPointer
    public let readOnly: Bool

    func contains(_ ipa: UInt64) -> Bool { ipa &- guestBase < size }
}

/// One virtual machine: memory slots, stage-2 tables, VMID, VCPUs.
public final class VM: @unchecked Sendable {
    public let system: KVMSystem
    public let stage2: Stage2Tables
    public private(set) var slots: [MemorySlot] = []
    /// The VMID and the generation it belongs to, as one word
    /// (generation << 8 | VMID; 0 = never assigned). One atomic word: a VCPU
    /// entering while another VCPU of the VM takes a new VMID must see a
    /// VMID and its generation together, never a new generation with an old
    /// VMID (VMIDAllocator writes it under its lock).
    let vmidState = Atomic<UInt64>(0)
    /// Current VMID (0 = never assigned).
    public var vmid: UInt8 { UInt8(truncatingIfNeeded: vmidState.load(ordering: .acquiring)) }
    /// The VM's VCPUs, held weakly: a VCPU keeps its VM alive, not the reverse.
    private var vcpus: [WeakVCPU] = []
    private struct WeakVCPU { weak var vcpu: VCPU? }
    private let lock = NSLock()
    /// VCPUs created so far: what ACTLR and L2CTLR report, read on CP15
    /// traps without taking `lock`.
    private let createdVCPUs = Atomic<Int>(0)
    /// Serialises PSCI power-state changes of this VM's VCPUs (CPU_ON races).
    let powerLock = NSLock()
    /// The instruction-driven clock of a deterministic VM (see
    /// `useInstructionCounter`), nil when the counter follows host time.
    public private(set) var virtualClock: VirtualClock?
    /// The in-kernel interrupt controller, once created.
    public private(set) var vgic: VGIC?
    /// Windows of the devices emulated in the kernel side (KernelMMIO.swift);
    /// filled before the VCPUs first run, read-only after.
    private(set) var kernelDevices = MMIOBus<KernelDevice>()

    /// CNTVOFF of every VCPU: the system count when the VM was created, so
    /// the guest's virtual counter starts near zero and is the same on all
    /// its VCPUs (arch_timer.c's per-VM offset).
    public private(set) var cntvoff: UInt64

    init(system: KVMSystem) throws {
        self.system = system
        stage2 = try Stage2Tables(host: system.host)
        if case .hostMonotonic(let start) = system.counter {
            cntvoff = (hostMonotonicNanos() &- start) / CounterSource.hostNanosPerTick
        } else {
            cntvoff = 0
        }
    }

    /// VTTBR for this VM's current VMID.
    /// VTTBR for VMID `vmid` (a snapshot the entry path checked).
    func vttbr(vmid: UInt8) -> UInt64 { UInt64(vmid) << 48 | stage2.root }

    /// Adds `size` bytes of RAM at guest-physical `guestBase`; returns the
    /// slot (its `pointer` is where the VMM writes images).
    @discardableResult
    public func addMemory(guestBase: UInt64, size: UInt64, readOnly: Bool = false) throws -> MemorySlot {
        guard size > 0, size & 0xFFF == 0, guestBase & 0xFFF == 0, guestBase + size <= 1 << 40 else {
            throw KVMError.badMemorySlot("0x\(String(guestBase, radix: 16)) + \(size) is not page aligned or exceeds 40 bits")
        }
        lock.lock(); defer { lock.unlock() }
        for s in slots where guestBase < s.guestBase + s.size && s.guestBase < guestBase + size {
            throw KVMError.badMemorySlot("0x\(String(guestBase, radix: 16)) overlaps another slot")
        }
        let region = try system.host.allocateRAM(size: size)
        let slot = MemorySlot(guestBase: guestBase, size: size, hostBase: region.base, pointer: region.host,
                              readOnly: readOnly)
        slots.append(slot)
        return slot
    }

    /// The slot holding `ipa`.
    public func slot(containing ipa: UInt64) -> MemorySlot? {
        slots.first { $0.contains(ipa) }
    }

    /// Creates VCPU number `vcpus.count`, running on its own physical core
    /// (cores share the host's physical memory).
    public func createVCPU() -> VCPU {
        lock.lock(); defer { lock.unlock() }
        let v = VCPU(vm: self, id: vcpus.count)
        vcpus.append(WeakVCPU(vcpu: v))
        createdVCPUs.add(1, ordering: .relaxed)
        return v
    }

    /// Creates the in-kernel GICv2 for the VCPUs created so far (like
    /// KVM_CREATE_DEVICE + KVM_DEV_ARM_VGIC_CTRL_INIT, which come after the
    /// VCPUs). Guest accesses to the distributor are emulated without VMM
    /// exits. With `hardwareCPUInterface` (the default, as KVM on a
    /// Cortex-A15) stage 2 maps the core's GICV page at `cpuInterfaceBase`
    /// and interrupts travel through list registers; otherwise the CPU
    /// interface is trapped and emulated, driving HCR.VI.
    @discardableResult
    public func createInterruptController(distributorBase: UInt64, cpuInterfaceBase: UInt64,
                                          hardwareCPUInterface: Bool = true) throws -> VGIC {
        let cpus = vcpuList()
        guard vgic == nil else { throw KVMError.badDevice("the VM already has an interrupt controller") }
        guard (1...8).contains(cpus.count) else {
            throw KVMError.badDevice("a GICv2 serves 1 to 8 VCPUs, not \(cpus.count)")
        }
        guard distributorBase & 0xFFF == 0, cpuInterfaceBase & 0xFFF == 0,
              slot(containing: distributorBase) == nil, slot(containing: cpuInterfaceBase) == nil,
              slot(containing: cpuInterfaceBase + 0x1000) == nil else {
            throw KVMError.badDevice("the GIC windows must be page aligned and outside guest RAM")
        }
        let g = VGIC(cpus: cpus.count, distributorBase: distributorBase, cpuInterfaceBase: cpuInterfaceBase,
                     hardwareCPUInterface: hardwareCPUInterface)
        var devices = kernelDevices
        do {
            try devices.map(.gicDistributor(g), base: distributorBase, size: VGIC.distributorSize)
            if !hardwareCPUInterface {
                try devices.map(.gicCPUInterface(g), base: cpuInterfaceBase, size: VGIC.cpuInterfaceSize)
            }
        } catch {
            throw KVMError.badDevice("the GIC windows overlap: \(error)")
        }
        if hardwareCPUInterface {
            guard system.host.physical.gicVirtualInterface != .absent else {
                throw KVMError.badDevice("the host has no GIC virtualization hardware to map")
            }
            let hostGICV = system.host.physical.gicVirtualInterface.cpuInterfaceBase
            for page in stride(from: UInt64(0), to: VGIC.cpuInterfaceSize, by: 0x1000) {
                try stage2.mapPage(ipa: cpuInterfaceBase + page, pa: hostGICV + page,
                                   writable: true, executable: false)
            }
        }
        let sinks = cpus.map { WeakVCPU(vcpu: $0) }
        g.notify = { cpu in sinks[cpu].vcpu?.interruptStateChanged() }
        kernelDevices = devices
        vgic = g
        return g
    }

    /// Deterministic mode (like QEMU's -icount): every VCPU's system counter
    /// advances `ticksPerInstruction` per executed guest instruction, and an
    /// idle WFI skips the clock to the next timer deadline instead of
    /// sleeping. Call before the first run.
    public func useInstructionCounter(ticksPerInstruction: UInt64) {
        let clock = VirtualClock(ticksPerInstruction: ticksPerInstruction)
        virtualClock = clock
        cntvoff = 0   // the count starts at zero with the first instruction
        for v in vcpuList() {
            v.core.counterSource = .virtualClock(clock)
            v.context.cp15.cntvoff = 0
        }
    }

    /// Whether PSCI has powered off every VCPU (so none can run again).
    public var everyVCPUIsOff: Bool {
        let all = vcpuList()
        return !all.isEmpty && all.allSatisfy { $0.powerState == .off }
    }

    /// The number of VCPUs (at least 1), as the guest's CP15 reports it.
    var vcpuCount: UInt32 { UInt32(max(createdVCPUs.load(ordering: .relaxed), 1)) }

    func vcpuList() -> [VCPU] {
        lock.lock(); defer { lock.unlock() }
        return vcpus.compactMap(\.vcpu)
    }

    /// Sum of every VCPU's counters.
    public var statistics: VCPUStatistics {
        var total = VCPUStatistics()
        for v in vcpuList() { total.add(v.statistics) }
        return total
    }
}
