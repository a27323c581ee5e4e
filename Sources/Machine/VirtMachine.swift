import ARMv7
import Devices
import Foundation
import Synchronization
import KVM

/// The `virt` board as a virtual machine under the hypervisor: guest RAM at
/// 0x40000000 in a memory slot, the GICv2 and the timers in the KVM layer,
/// other devices emulated by this VMM through MMIO exits, PSCI answered by
/// the KVM layer. Every guest runs as a VCPU of a VM under Hyp, never
/// directly on the core; each VCPU has its own host thread.
public final class VirtMachine: @unchecked Sendable {
    public let system: KVMSystem
    public let vm: VM
    public let vcpus: [VCPU]
    public let uart: PL011
    /// The interrupt controller (in the KVM layer, like KVM's in-kernel vGIC).
    public let gic: VGIC
    public let ramSize: UInt64
    let ram: MemorySlot
    /// The virtio-mmio transports and their devices.
    public let virtio: VirtioDevices
    /// Stop requests, idle waits, shutdown handlers (MachineLifecycle.swift).
    public let lifecycle = MachineLifecycle()
    /// Device windows in guest-physical space.
    var devices = MMIOBus<any MMIODevice>()
    /// Serialises device emulation across VCPU threads.
    private let deviceLock = NSLock()
    /// Consecutive WFIs per VCPU that nothing could end (reset by any other exit).
    private var haltStreaks: [HaltStreak] = []
    /// How the run ended (the first VCPU to decide wins).
    private var outcome: RunOutcome?
    private let outcomeLock = NSLock()

    /// Whether the machine is deterministic (`--icount`).
    public let deterministic: Bool
    /// Where a deterministic machine's RTC starts: 2026-01-01T00:00:00Z.
    public static let deterministicEpoch: Int64 = 1_767_225_600

    /// Builds the board with `ramSize` bytes of RAM and `cpus` VCPUs;
    /// `console` gets UART and virtio-console output. `deterministic` is
    /// QEMU's -icount: the counter advances one tick per guest instruction,
    /// idle time is skipped, the RTC, the boot entropy seed and virtio-rng
    /// are fixed, so a boot is reproducible bit for bit (one VCPU only).
    public init(ramSize: UInt64, cpus: Int = 1, deterministic: Bool = false,
                engine: ExecutionEngine = .default,
                virtio virtioOptions: VirtioOptions = VirtioOptions(),
                console: @escaping (UInt8) -> Void) throws {
        guard ramSize >= 0x10_0000, ramSize <= VirtMemoryMap.ramLimit, ramSize & 0xFFF == 0 else {
            throw LoadError.doesNotFit(what: "RAM", address: VirtMemoryMap.ramBase, size: Int(ramSize))
        }
        try BoardOptions.validate(cpus: cpus, deterministic: deterministic)
        self.deterministic = deterministic
        self.ramSize = ramSize
        system = try KVMSystem()
        vm = try system.createVM()
        ram = try vm.addMemory(guestBase: VirtMemoryMap.ramBase, size: ramSize)
        let vm = self.vm
        vcpus = (0..<cpus).map { _ in vm.createVCPU() }
        haltStreaks = vcpus.map { _ in HaltStreak() }
        for v in vcpus { try v.setEngine(engine) }
        uart = PL011(output: console)
        gic = try vm.createInterruptController(distributorBase: VirtMemoryMap.gicDistributor,
                                               cpuInterfaceBase: VirtMemoryMap.gicCPUInterface)
        try devices.map(uart, base: VirtMemoryMap.uart, size: 0x1000)
        let rtc: PL031
        if deterministic {
            vm.useInstructionCounter(ticksPerInstruction: 1)
            let boot = vcpus[0]
            // Virtual time: no host timer; the match is seen at RTC accesses.
            rtc = PL031(clock: {
                Self.deterministicEpoch + Int64(boot.physicalCount / UInt64(CounterSource.hostFrequency))
            }, schedule: nil)
        } else {
            rtc = PL031()
        }
        try devices.map(rtc, base: VirtMemoryMap.rtc, size: 0x1000)
        let gic = self.gic
        rtc.interruptLine = { gic.setSPI(32 + 2, $0) }    // SPI 2
        uart.interruptLine = { gic.setSPI(32 + 1, $0) }   // SPI 1
        var virtioOptions = virtioOptions
        if deterministic { virtioOptions.rngSeed = 0x4172_6D76_6973_6F72 }
        virtio = try VirtioDevices(virtioOptions, ram: GuestRAM(ram), consoleOutput: console) { gic.setSPI(32 + $0, $1) }
        let virtio = self.virtio
        lifecycle.addShutdownHandler { virtio.shutdown() }   // the disk image is flushed and closed
        for w in virtio.windows { try devices.map(w.device, base: w.base, size: w.size) }
    }

    /// Where the initrd goes, the way QEMU places it for 32-bit `virt`: RAM
    /// base + min(RAM / 2, 128 MiB); the DTB follows it.
    public var initrdAddress: UInt64 { VirtMemoryMap.ramBase + min(ramSize / 2, 128 << 20) }
    /// Where the DTB goes (after the initrd, if any, 4 KiB aligned).
    public private(set) var dtbAddress: UInt64 = 0

    /// Places `image`, the initrd and the board's device tree in guest RAM
    /// and sets the boot state the way QEMU's -kernel does for 32-bit ARM.
    public func load(_ image: GuestImage, bootargs: String, initrd: [UInt8]? = nil) throws {
        var initrdRange: (start: UInt64, end: UInt64)?
        dtbAddress = initrdAddress
        if let rd = initrd {
            let start = initrdAddress
            guard start - ram.guestBase + UInt64(rd.count) + 0x10000 <= ram.size else {
                throw LoadError.doesNotFit(what: "initrd", address: start, size: rd.count)
            }
            rd.withUnsafeBytes { src in
                (ram.pointer + Int(start - ram.guestBase)).copyMemory(from: src.baseAddress!, byteCount: rd.count)
            }
            initrdRange = (start, start + UInt64(rd.count))
            dtbAddress = (start + UInt64(rd.count) + 0xFFF) & ~0xFFF
        }
        var seed = [UInt8](repeating: 0, count: 32)
        for i in seed.indices { seed[i] = deterministic ? UInt8(truncatingIfNeeded: i &* 151 &+ 7) : UInt8.random(in: 0...255) }
        let dtb = VirtDeviceTree(ramSize: ramSize, cpus: vcpus.count, bootargs: bootargs, initrd: initrdRange,
                                 rngSeed: seed, virtioTransports: virtio.transports.count).blob()
        guard dtbAddress - ram.guestBase + UInt64(dtb.count) <= ram.size else {
            throw LoadError.doesNotFit(what: "device tree", address: dtbAddress, size: dtb.count)
        }
        for s in image.segments where s.address < dtbAddress + UInt64(dtb.count) && dtbAddress < s.address + UInt64(s.bytes.count) {
            throw LoadError.doesNotFit(what: "image segment (it overlaps the device tree)", address: s.address,
                                       size: s.bytes.count)
        }
        dtb.withUnsafeBytes { src in
            (ram.pointer + Int(dtbAddress - ram.guestBase)).copyMemory(from: src.baseAddress!, byteCount: dtb.count)
        }
        try load(image, dtbAddress: UInt32(dtbAddress))
    }

    /// Places `image` in guest RAM and sets the boot state the way QEMU's
    /// -kernel does for 32-bit ARM: SVC mode, MMU off, A/I/F masked,
    /// r0 = 0, r1 = 0xffffffff, r2 = DTB address.
    public func load(_ image: GuestImage, dtbAddress: UInt32 = 0) throws {
        for s in image.segments {
            guard s.address >= ram.guestBase, s.address - ram.guestBase + UInt64(s.bytes.count) <= ram.size else {
                throw LoadError.doesNotFit(what: "image segment", address: s.address, size: s.bytes.count)
            }
        }
        guard image.entry >= ram.guestBase, image.entry - ram.guestBase < ram.size else {
            throw LoadError.entryOutsideRAM(image.entry)
        }
        for s in image.segments {
            s.bytes.withUnsafeBytes { src in
                (ram.pointer + Int(s.address - ram.guestBase)).copyMemory(from: src.baseAddress!, byteCount: s.bytes.count)
            }
        }
        let boot = vcpus[0]
        boot.resetCoreRegisters()
        try boot.setRegister(.core(0), 0)
        try boot.setRegister(.core(1), 0xFFFF_FFFF)
        try boot.setRegister(.core(2), UInt64(dtbAddress))
        try boot.setRegister(.pc, UInt64(UInt32(truncatingIfNeeded: image.entry) & ~1))
        if image.entry & 1 != 0 { try boot.setRegister(.cpsr, try boot.register(.cpsr) | UInt64(PSR.t)) }
    }

    /// Runs every VCPU on its own host thread (VCPU 0 on the caller's)
    /// until power-off, reset, the instruction limit, or a guest error.
    public func run(maxInstructions: UInt64 = .max) -> RunOutcome {
        outcomeLock.lock(); outcome = nil; outcomeLock.unlock()
        let done = DispatchGroup()
        for vcpu in vcpus.dropFirst() {
            done.enter()
            let thread = Thread { [self] in
                runVCPU(vcpu, maxInstructions: maxInstructions)
                done.leave()
            }
            thread.stackSize = 8 << 20
            thread.name = "vcpu\(vcpu.id)"
            thread.start()
        }
        runVCPU(vcpus[0], maxInstructions: maxInstructions)
        done.wait()
        outcomeLock.lock(); defer { outcomeLock.unlock() }
        return outcome ?? .guestError("the machine stopped without a reason")
    }

    /// Ends the run with `result` (the first call wins) and stops every VCPU.
    func finish(_ result: RunOutcome) {
        outcomeLock.lock()
        if outcome == nil { outcome = result }
        outcomeLock.unlock()
        for v in vcpus { v.kick() }
    }

    private var finished: Bool {
        outcomeLock.lock(); defer { outcomeLock.unlock() }
        return outcome != nil
    }

    /// One VCPU's thread: run, handle the exit, repeat.
    private func runVCPU(_ vcpu: VCPU, maxInstructions: UInt64) {
        vcpu.instructionLimit = maxInstructions
        while !finished {
            let exit: VCPUExit
            if vcpu.id == 0 { lifecycle.noteGuestEntry() }
            do { exit = try vcpu.run() } catch { finish(.guestError(error.description)); return }
            if exit != .halted { haltStreaks[vcpu.id].count.store(0, ordering: .relaxed) }
            switch exit {
            case .mmio(let access):
                handleMMIO(vcpu, access)
            case .hypercall:
                // Not PSCI: the SMC Calling Convention's NOT_SUPPORTED.
                vcpu.completeHypercall(result: PSCIReturn.notSupported)
            case .systemEvent(.shutdown):
                finish(.powerOff)
            case .systemEvent(.reset):
                finish(.reset)
            case .halted:
                halted(vcpu)
                continue
            case .interrupted:
                if let why = lifecycle.stopReason { finish(.stopped(why)) }
                if vcpu.instructionCount >= maxInstructions { finish(.instructionLimit) }
            case .internalError(let message):
                finish(.guestError(message))
            }
        }
    }

    /// A WFI that no interrupt can end, or a VCPU powered off with every
    /// other one off too. While console input could still raise the UART's
    /// interrupt, wait for it; while another VCPU runs, it may yet enable an
    /// interrupt or power this one on; when none can, the guest is hung and
    /// the run ends with an error instead of hanging the host.
    private func halted(_ vcpu: VCPU) {
        if vm.everyVCPUIsOff {
            finish(.guestError("every VCPU is powered off (PSCI CPU_OFF): nothing can turn one back on"))
            return
        }
        if lifecycle.hasExternalInput {
            lifecycle.idleWait(nanoseconds: 50_000_000) { true }
            return
        }
        haltStreaks[vcpu.id].count.add(1, ordering: .relaxed)
        let stuck = vcpus.allSatisfy { $0.isPoweredOff || haltStreaks[$0.id].count.load(ordering: .relaxed) >= 20 }
        if stuck {
            finish(.guestError("guest waits for an interrupt at 0x\(hex(vcpu.location.pc &- 4)) that nothing can raise (no timer armed, no interrupt enabled)"))
        } else {
            usleep(1000)
        }
    }

    /// Dispatches one MMIO access to the device at its address; nothing
    /// there means a synchronous external abort for the guest.
    private func handleMMIO(_ vcpu: VCPU, _ a: MMIOAccess) {
        switch devices.decode(a.address, size: a.size) {
        case let .device(device, offset):
            deviceLock.lock(); defer { deviceLock.unlock() }
            if a.isWrite {
                device.mmioWrite(offset: offset, size: a.size, value: a.value)
            } else {
                vcpu.completeMMIORead(device.mmioRead(offset: offset, size: a.size))
            }
        case .ignored:
            if !a.isWrite { vcpu.completeMMIORead(0) }
        case .fault:
            vcpu.failMMIO()
        }
    }

    /// kvm_stat-like counters of the whole VM.
    public var statistics: VCPUStatistics { vm.statistics }

    /// Where the boot VCPU is (PC and CPSR), for diagnostics.
    public var bootVCPUState: (pc: UInt32, cpsr: UInt32) { vcpus[0].location }

    /// Guest instructions executed.
    public var instructionCount: UInt64 { vcpus.reduce(0) { $0 + $1.instructionCount } }
}

/// A VCPU's count of consecutive `.halted` exits, read by the other VCPUs' threads.
private final class HaltStreak: Sendable {
    let count = Atomic<Int>(0)
}
