import ARMv7

/// The hypervisor's own physical memory: a RAM region of the physical
/// machine from which stage-2 tables and VM RAM are carved. Guest-physical
/// (IPA) space is separate; stage 2 maps it onto these host addresses.
public final class HostMemory: @unchecked Sendable {
    /// The physical address space shared by every core of the host.
    public let physical: PhysicalMemory
    /// Physical window used for stage-2 tables (bump-allocated pages).
    let tableBase: UInt64
    let tableSize: UInt64
    private var nextTable: UInt64
    /// Next physical address for VM RAM regions.
    private var nextRAM: UInt64

    /// Host physical map: tables at 4 GiB, VM RAM from 8 GiB upward (above
    /// anything a 32-bit guest could name, to make stray identity mappings
    /// obvious).
    public static let tableWindow: UInt64 = 0x1_0000_0000
    public static let ramWindow: UInt64 = 0x2_0000_0000

    /// Where the host's cores answer with their GICH/GICV banks: QEMU
    /// `virt`'s host layout, the hardware this hypervisor runs on.
    public static let gicVirtualInterface = GICVirtualInterfaceWindows(controlBase: 0x0803_0000,
                                                                      cpuInterfaceBase: 0x0804_0000)

    public init(tablePoolSize: UInt64 = 64 << 20,
                gicVirtualInterface: GICVirtualInterfaceWindows = HostMemory.gicVirtualInterface) throws {
        physical = PhysicalMemory(gicVirtualInterface: gicVirtualInterface)
        tableBase = HostMemory.tableWindow
        tableSize = tablePoolSize
        nextTable = tableBase
        nextRAM = HostMemory.ramWindow
        try physical.addRAM(base: tableBase, size: tableSize)
    }

    /// A zeroed, `alignment`-aligned block of table memory.
    func allocateTable(bytes: UInt64 = 4096, alignment: UInt64 = 4096) throws -> UInt64 {
        let p = (nextTable + alignment - 1) & ~(alignment - 1)
        guard p + bytes <= tableBase + tableSize else { throw KVMError.outOfTableMemory }
        nextTable = p + bytes
        zero(p, bytes)
        return p
    }

    private func zero(_ p: UInt64, _ bytes: UInt64) {
        physical.hostPointer(p, length: Int(bytes))?.initializeMemory(as: UInt8.self, repeating: 0, count: Int(bytes))
    }

    /// Allocates a RAM region of `size` bytes for a VM; returns its host
    /// physical base.
    func allocateRAM(size: UInt64) throws -> RAMRegion {
        let base = nextRAM
        let region = try physical.addRAM(base: base, size: size)
        nextRAM = (base + size + 0x20_0000 + 0x1F_FFFF) & ~0x1F_FFFF   // guard gap, 2 MiB aligned
        return region
    }

    func read64(_ pa: UInt64) -> UInt64 { physical.read(pa, size: 8) ?? 0 }
    func write64(_ pa: UInt64, _ v: UInt64) { physical.write(pa, size: 8, value: v) }
}

/// Errors of the KVM layer, each a sentence for the user.
public enum KVMError: Error, Equatable, CustomStringConvertible, Sendable {
    case outOfTableMemory
    case badMemorySlot(String)
    case badRegister(String)
    case vcpuBusy
    case hypPanic(String)
    case badDevice(String)

    public var description: String {
        switch self {
        case .outOfTableMemory: return "out of stage-2 table memory"
        case .badMemorySlot(let s): return "bad memory slot: \(s)"
        case .badRegister(let s): return "bad register: \(s)"
        case .vcpuBusy: return "the VCPU is running on another thread"
        case .hypPanic(let s): return "hypervisor panic: \(s)"
        case .badDevice(let s): return s
        }
    }
}
