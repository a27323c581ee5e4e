import Devices

/// Which virtio devices the `virt` board gets.
public struct VirtioOptions: Sendable {
    /// virtio-blk disks, in order (vda, vdb…): their transports come first.
    public var disks: [DiskOptions] = []
    public var rng = true
    public var console = true
    /// Offer the legacy (version 1) virtio-mmio interface instead of version 2.
    public var legacy = false
    /// Seed of virtio-rng's reproducible sequence (deterministic machines);
    /// nil: the host's entropy.
    public var rngSeed: UInt64?

    public init(diskPath: String? = nil, diskReadOnly: Bool = false, rng: Bool = true, console: Bool = true,
                legacy: Bool = false) {
        disks = diskPath.map { [DiskOptions(path: $0, readOnly: diskReadOnly)] } ?? []
        self.rng = rng
        self.console = console
        self.legacy = legacy
    }

    /// No virtio devices at all.
    public static let none = VirtioOptions(rng: false, console: false)

    /// Number of transports, i.e. of `virtio_mmio` nodes in the device tree.
    public var transportCount: Int { disks.count + (rng ? 1 : 0) + (console ? 1 : 0) }
}

/// The board's virtio-mmio transports in their fixed order (the disks,
/// entropy, console): transport n at 0x0a000000 + 0x200·n with SPI 16 + n.
public final class VirtioDevices {
    public let transports: [VirtioMMIOTransport]
    /// The disks, in ``VirtioOptions/disks`` order.
    public let blocks: [VirtioBlock]
    /// The first disk.
    public var block: VirtioBlock? { blocks.first }
    public let rng: VirtioRNG?
    public let console: VirtioConsole?

    /// Guest-physical base and SPI number of transport `n`.
    public static func base(_ n: Int) -> UInt64 { VirtMemoryMap.virtioBase + VirtMemoryMap.virtioStride * UInt64(n) }
    public static func spi(_ n: Int) -> Int { 16 + n }

    /// Creates the devices; `setIRQ(spi, level)` drives an SPI of the interrupt controller.
    public init(_ options: VirtioOptions, ram: GuestRAM, consoleOutput: @escaping (UInt8) -> Void,
                setIRQ: @escaping @Sendable (Int, Bool) -> Void) throws {
        blocks = try options.disks.map { try VirtioBlock(path: $0.path, readOnly: $0.readOnly, serial: $0.serial) }
        rng = options.rng ? VirtioRNG(seed: options.rngSeed) : nil
        console = options.console ? VirtioConsole(output: consoleOutput) : nil
        let devices: [VirtioDevice] = (blocks as [VirtioDevice]) + [rng as VirtioDevice?, console].compactMap { $0 }
        let version: VirtioMMIOTransport.Version = options.legacy ? .legacy : .modern
        transports = devices.enumerated().map { n, device in
            VirtioMMIOTransport(device: device, ram: ram, version: version) { setIRQ(Self.spi(n), $0) }
        }
        console?.transport = transports.first { $0.device === console }
    }

    /// (base, size, device) windows for the board's MMIO dispatch.
    public var windows: [(base: UInt64, size: UInt64, device: any MMIODevice)] {
        transports.enumerated().map { (Self.base($0.offset), VirtMemoryMap.virtioStride, $0.element) }
    }

    /// Flushes and closes the disk images (clean power-off).
    public func shutdown() { blocks.forEach { $0.shutdown() } }
}
