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
    public let ramSize: UInt64
    let ram: MemorySlot
    /// Device windows in guest-physical space.
    private var devices: [(base: UInt64, size: UInt64, device: MMIODevice)] = []

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
        devices.append((VirtMemoryMap.uart, 0x1000, uart))
        // No interrupt controller yet: a WFI comes back to this VMM.
        for v in vcpus { v.blockOnWFI = false }
    }

    /// Where the DTB goes, the way QEMU places it for 32-bit `virt`: RAM base
    /// + min(RAM / 2, 128 MiB) (after an initrd, once there is one).
    public var dtbAddress: UInt64 { VirtMemoryMap.ramBase + min(ramSize / 2, 128 << 20) }

    /// Places `image` and the board's device tree in guest RAM and sets the
    /// boot state the way QEMU's -kernel does for 32-bit ARM.
    public func load(_ image: GuestImage, bootargs: String) throws {
        let dtb = VirtDeviceTree(ramSize: ramSize, cpus: vcpus.count, bootargs: bootargs).blob()
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
            do { exit = try vcpu.run() } catch { return .guestError(error.description) }
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
                return .guestError("guest waits for an interrupt at 0x\(hex(vcpu.context.regs.pc &- 4)), but this board has no interrupt source yet")
            case .interrupted:
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

    /// Guest instructions executed.
    public var instructionCount: UInt64 { vcpus.reduce(0) { $0 + $1.instructionCount } }
}
