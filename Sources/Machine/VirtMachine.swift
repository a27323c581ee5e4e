import ARMv7
import Foundation
import Hyp
import KVM

/// The `virt` board as a virtual machine under the hypervisor: guest RAM at
/// 0x40000000 in a memory slot, devices emulated by this VMM through MMIO
/// exits, PSCI answered by the KVM layer. Every guest runs as a VCPU of a VM
/// under Hyp, never directly on the core.
public final class VirtMachine {
    public let system: KVMSystem
    public let vm: VM
    public let vcpus: [VCPU]
    public let uart: PL011
    /// The interrupt controller (emulated here in the VMM).
    public let gic: GICv2
    public let ramSize: UInt64
    let ram: MemorySlot
    /// Stop requests, idle waits, shutdown handlers (MachineLifecycle.swift).
    public let lifecycle = MachineLifecycle()
    /// Device windows in guest-physical space.
    var devices: [(base: UInt64, size: UInt64, device: MMIODevice)] = []

    /// Builds the board with `ramSize` bytes of RAM and `cpus` VCPUs;
    /// `console` gets UART output.
    public init(ramSize: UInt64, cpus: Int = 1, console: @escaping (UInt8) -> Void) throws {
        guard ramSize >= 0x10_0000, ramSize <= VirtMemoryMap.ramLimit, ramSize & 0xFFF == 0 else {
            throw LoadError.doesNotFit(what: "RAM", address: VirtMemoryMap.ramBase, size: Int(ramSize))
        }
        guard (1...8).contains(cpus) else { throw LoadError.badOption("--cpus must be 1 to 8") }
        self.ramSize = ramSize
        system = try KVMSystem()
        vm = try system.createVM()
        ram = try vm.addMemory(guestBase: VirtMemoryMap.ramBase, size: ramSize)
        let vm = self.vm
        vcpus = (0..<cpus).map { _ in vm.createVCPU() }
        uart = PL011(output: console)
        gic = GICv2(cpus: cpus)
        devices.append((VirtMemoryMap.uart, 0x1000, uart))
        devices.append((VirtMemoryMap.rtc, 0x1000, PL031()))
        devices.append((VirtMemoryMap.gicDistributor, 0x10000, gic.distributor))
        devices.append((VirtMemoryMap.gicCPUInterface, 0x10000, gic.cpuInterface))
        let vcpus = self.vcpus
        let lifecycle = self.lifecycle
        gic.output = { cpu, level in
            vcpus[cpu].setIRQLine(level)
            if level { lifecycle.wake() }
        }
        let gic = self.gic
        uart.interruptLine = { gic.setLevel(32 + 1, $0) }   // SPI 1
        // The interrupt controller lives in this VMM: a WFI comes back here,
        // which sleeps until the next timer deadline.
        for v in vcpus {
            v.blockOnWFI = false
            v.hypSlice = 500_000   // ~2 ms of guest time between timer checks
        }
    }

    /// PPI 27: the virtual timer of `vcpu`, from its saved CNTV_* state.
    private func updateVirtualTimer(_ vcpu: VCPU) -> UInt64? {
        let cp = vcpu.context.cp15
        let enabled = cp.cntvCtl & 1 != 0, masked = cp.cntvCtl & 2 != 0
        let now = vcpu.core.physicalCount &- cp.cntvoff
        let fires = enabled && now >= cp.cntvCval
        gic.setLevel(27, cpu: vcpu.id, fires && !masked)
        return enabled && !masked && !fires ? cp.cntvCval - now : nil
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
        for i in seed.indices { seed[i] = UInt8.random(in: 0...255) }
        let dtb = VirtDeviceTree(ramSize: ramSize, cpus: vcpus.count, bootargs: bootargs, initrd: initrdRange,
                                 rngSeed: seed).blob()
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
        let boot = vcpus[0].context
        boot.regs = GuestRegisters()
        boot.regs.usr[0] = 0
        boot.regs.usr[1] = 0xFFFF_FFFF
        boot.regs.usr[2] = dtbAddress
        boot.regs.pc = UInt32(truncatingIfNeeded: image.entry) & ~1
        if image.entry & 1 != 0 { boot.regs.cpsr |= PSR.t }
    }

    /// Runs the boot VCPU until power-off, the instruction limit, or a guest error.
    public func run(maxInstructions: UInt64 = .max) -> RunOutcome {
        let vcpu = vcpus[0]
        vcpu.instructionLimit = maxInstructions
        while true {
            let exit: VCPUExit
            lifecycle.noteGuestEntry()
            do { exit = try vcpu.run() } catch { return .guestError(error.description) }
            let ticksToTimer = updateVirtualTimer(vcpu)
            switch exit {
            case .mmio(let access):
                handleMMIO(vcpu, access)
            case .hypercall:
                // Not PSCI: the SMC Calling Convention's NOT_SUPPORTED.
                vcpu.context.regs.usr[0] = 0xFFFF_FFFF
            case .systemEvent(.shutdown):
                return .powerOff
            case .systemEvent(.reset):
                return .reset
            case .halted:
                guard let ticks = ticksToTimer else {
                    if vcpu.context.virtualLines != 0 { continue }
                    if lifecycle.hasExternalInput { lifecycle.idleWait(nanoseconds: nil) { vcpu.context.virtualLines == 0 }; continue }
                    return .guestError("guest waits for an interrupt at 0x\(hex(vcpu.context.regs.pc &- 4)) with no timer armed")
                }
                // 62.5 MHz counter: 16 ns per tick; sleep at most 50 ms at a time.
                lifecycle.idleWait(nanoseconds: min(ticks * 16, 50_000_000)) { vcpu.context.virtualLines == 0 }
            case .interrupted:
                if let why = lifecycle.stopReason { return .stopped(why) }
                if vcpu.instructionCount >= maxInstructions { return .instructionLimit }
            case .internalError(let message):
                return .guestError(message)
            }
        }
    }

    /// Dispatches one MMIO access to the device at its address; nothing
    /// there means a synchronous external abort for the guest.
    private func handleMMIO(_ vcpu: VCPU, _ a: MMIOAccess) {
        guard let d = devices.first(where: { a.address &- $0.base < $0.size }) else {
            vcpu.failMMIO()
            return
        }
        let offset = a.address - d.base
        if a.isWrite {
            d.device.mmioWrite(offset: offset, size: a.size, value: a.value)
        } else {
            vcpu.completeMMIORead(d.device.mmioRead(offset: offset, size: a.size))
        }
    }

    /// kvm_stat-like counters of the whole VM.
    public var statistics: HypStatistics { vm.statistics }

    /// Where the boot VCPU is (PC and CPSR), for diagnostics.
    public var bootVCPUState: (pc: UInt32, cpsr: UInt32) {
        (vcpus[0].context.regs.pc, vcpus[0].context.regs.cpsr)
    }

    /// Guest instructions executed.
    public var instructionCount: UInt64 { vcpus.reduce(0) { $0 + $1.instructionCount } }
}
