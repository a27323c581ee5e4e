/// Where the GICv2 virtualization hardware of every core sits in a
/// machine's physical address space (ARM IHI 0048B chapter 5). The board
/// that lays out the address space chooses the addresses; the sizes are
/// the architecture's.
///
/// Each core answers these windows with its own bank, as a real GIC banks
/// GICH/GICV by the accessing CPU: a core checks them in its memory-access
/// slow path before the shared `PhysicalMemory` MMIO dispatch.
public struct GICVirtualInterfaceWindows: Sendable, Equatable {
    /// Physical base of the virtual interface control registers (GICH).
    public let controlBase: UInt64
    /// Physical base of the virtual CPU interface (GICV), the page the
    /// hypervisor maps into a guest's stage 2 at the guest's GICC address.
    public let cpuInterfaceBase: UInt64
    /// Size of the GICH window.
    public static let controlSize: UInt64 = 0x1000
    /// Size of the GICV window (two pages: GICV_DIR is at 0x1000).
    public static let cpuInterfaceSize: UInt64 = 0x2000
    /// `mayContain`'s span: from the lower window's base to the end of the higher.
    private let spanBase: UInt64
    private let spanSize: UInt64

    /// Windows at `controlBase` (GICH) and `cpuInterfaceBase` (GICV), which
    /// must not overlap.
    public init(controlBase: UInt64, cpuInterfaceBase: UInt64) {
        precondition(controlBase + Self.controlSize <= cpuInterfaceBase
                     || cpuInterfaceBase + Self.cpuInterfaceSize <= controlBase, "GICH and GICV overlap")
        self.controlBase = controlBase
        self.cpuInterfaceBase = cpuInterfaceBase
        spanBase = min(controlBase, cpuInterfaceBase)
        spanSize = max(controlBase + Self.controlSize, cpuInterfaceBase + Self.cpuInterfaceSize) - spanBase
    }

    /// No virtualization windows (a machine without GICv2 virtualization,
    /// or whose board does not expose it): every check is false.
    public static let absent = GICVirtualInterfaceWindows()

    private init() {
        controlBase = .max
        cpuInterfaceBase = .max
        spanBase = .max
        spanSize = 0
    }

    /// One compare that is false for every address outside both windows
    /// (the slow path's cheap pre-check).
    @inline(__always) func mayContain(_ pa: UInt64) -> Bool { pa &- spanBase < spanSize }

    /// The offset of `pa` in the GICH window, if it is there.
    @inline(__always) func controlOffset(_ pa: UInt64) -> UInt64? {
        let o = pa &- controlBase
        return o < Self.controlSize && spanSize != 0 ? o : nil
    }

    /// The offset of `pa` in the GICV window, if it is there.
    @inline(__always) func cpuInterfaceOffset(_ pa: UInt64) -> UInt64? {
        let o = pa &- cpuInterfaceBase
        return o < Self.cpuInterfaceSize && spanSize != 0 ? o : nil
    }
}

/// Offsets of the GICH registers from `GICVirtualInterfaceWindows.controlBase`.
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

/// Offsets of the GICV registers from `GICVirtualInterfaceWindows.cpuInterfaceBase`.
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
