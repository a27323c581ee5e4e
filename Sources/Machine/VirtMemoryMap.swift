import ARMv7

/// The QEMU `virt`-compatible physical memory map (32-bit ARM).
public enum VirtMemoryMap {
    public static let gicDistributor: UInt64 = 0x0800_0000
    public static let gicCPUInterface: UInt64 = 0x0801_0000
    /// The GIC virtualization windows (GICH at 0x08030000, GICV at
    /// 0x08040000) that a bare-metal guest running in Hyp mode sees.
    public static let gicVirtualInterface = GICVirtualInterfaceWindows(controlBase: 0x0803_0000,
                                                                      cpuInterfaceBase: 0x0804_0000)
    public static let uart: UInt64 = 0x0900_0000
    public static let rtc: UInt64 = 0x0901_0000
    public static let virtioBase: UInt64 = 0x0A00_0000
    public static let virtioStride: UInt64 = 0x200
    /// First byte of guest RAM.
    public static let ramBase: UInt64 = 0x4000_0000
    /// Largest RAM this map allows below 4 GiB... and above: 0x40000000 + 3 GiB.
    public static let ramLimit: UInt64 = 0x1_0000_0000 - 0x4000_0000
    /// Where a flat image (zImage or bare-metal binary) is loaded by default.
    public static let defaultFlatLoadOffset: UInt64 = 0x1_0000
}
