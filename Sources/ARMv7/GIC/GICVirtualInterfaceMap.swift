/// Where the GICv2 virtualization hardware of every core sits in the host's
/// physical address space, and its register offsets (ARM IHI 0048B
/// chapter 5). The addresses are QEMU `virt`'s host layout.
///
/// Each core answers these windows with its own bank, as a real GIC banks
/// GICH/GICV by the accessing CPU: a core checks them in its memory-access
/// slow path before the shared `PhysicalMemory` MMIO dispatch.
public enum GICVirtualInterfaceMap {
    /// Physical base of the virtual interface control registers (GICH).
    public static let controlBase: UInt64 = 0x0803_0000
    /// Size of the GICH window.
    public static let controlSize: UInt64 = 0x1000
    /// Physical base of the virtual CPU interface (GICV), the page the
    /// hypervisor maps into a guest's stage 2 at the guest's GICC address.
    public static let cpuInterfaceBase: UInt64 = 0x0804_0000
    /// Size of the GICV window (two pages: GICV_DIR is at 0x1000).
    public static let cpuInterfaceSize: UInt64 = 0x2000

    /// One compare that is false for every address outside both windows
    /// (the slow path's cheap pre-check).
    @inline(__always) static func mayContain(_ pa: UInt64) -> Bool {
        pa &- controlBase < cpuInterfaceBase &+ cpuInterfaceSize &- controlBase
    }
}

/// Offsets of the GICH registers from `GICVirtualInterfaceMap.controlBase`.
public enum GICHOffset {
    public static let hcr: UInt32 = 0x000
    public static let vtr: UInt32 = 0x004
    public static let vmcr: UInt32 = 0x008
    public static let misr: UInt32 = 0x010
    public static let eisr0: UInt32 = 0x020
    public static let eisr1: UInt32 = 0x024
    public static let elrsr0: UInt32 = 0x030
    public static let elrsr1: UInt32 = 0x034
    public static let apr: UInt32 = 0x0F0
    /// GICH_LR0; LRn is at `lr0 + 4 * n`.
    public static let lr0: UInt32 = 0x100
}

/// Offsets of the GICV registers from `GICVirtualInterfaceMap.cpuInterfaceBase`.
public enum GICVOffset {
    public static let ctlr: UInt32 = 0x00
    public static let pmr: UInt32 = 0x04
    public static let bpr: UInt32 = 0x08
    public static let iar: UInt32 = 0x0C
    public static let eoir: UInt32 = 0x10
    public static let rpr: UInt32 = 0x14
    public static let hppir: UInt32 = 0x18
    public static let abpr: UInt32 = 0x1C
    public static let aiar: UInt32 = 0x20
    public static let aeoir: UInt32 = 0x24
    public static let ahppir: UInt32 = 0x28
    public static let apr0: UInt32 = 0xD0
    public static let iidr: UInt32 = 0xFC
    public static let dir: UInt32 = 0x1000
}
