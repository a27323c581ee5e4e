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
    /// The host side of a virtio-net device (slirp, TAP), if the guest gets
    /// one. `VirtioDevices` starts it once the device is wired and stops it
    /// in `shutdown()`.
    public var network: NetworkBackend?
    /// The virtio-net device's MAC address (QEMU's default, 52:54:00:12:34:56).
    public var macAddress = VirtioNet.MACAddress.qemuDefault

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
    public var transportCount: Int { disks.count + (network != nil ? 1 : 0) + (rng ? 1 : 0) + (console ? 1 : 0) }
}

/// The board's virtio-mmio transports in their fixed order (the disks,
/// network, entropy, console): transport n at 0x0a000000 + 0x200·n with SPI 16 + n.
public final class VirtioDevices {
    public let transports: [VirtioMMIOTransport]
    /// The disks, in ``VirtioOptions/disks`` order.
    public let blocks: [VirtioBlock]
    /// The first disk.
    public var block: VirtioBlock? { blocks.first }
    public let net: VirtioNet?
    public let rng: VirtioRNG?
    public let console: VirtioConsole?

    /// Guest-physical base and SPI number of transport `n`.
    public static func base(_ n: Int) -> UInt64 { VirtMemoryMap.virtioBase + VirtMemoryMap.virtioStride * UInt64(n) }
    public static func spi(_ n: Int) -> Int { 16 + n }

    /// Creates the devices; `setIRQ(spi, level)` drives an SPI of the interrupt controller.
    /// The network backend, if any, is started here (last, once its device
    /// can take frames); a backend that fails to start makes this throw.
    public init(_ options: VirtioOptions, ram: GuestRAM, consoleOutput: @escaping (UInt8) -> Void,
                setIRQ: @escaping @Sendable (Int, Bool) -> Void) throws {
        blocks = try options.disks.map { try VirtioBlock(path: $0.path, readOnly: $0.readOnly, serial: $0.serial) }
        net = options.network.map { VirtioNet(macAddress: options.macAddress, backend: $0) }
        rng = options.rng ? VirtioRNG(seed: options.rngSeed) : nil
        console = options.console ? VirtioConsole(output: consoleOutput) : nil
        let devices: [VirtioDevice] = (blocks as [VirtioDevice]) + [net as VirtioDevice?, rng, console].compactMap { $0 }
        let version: VirtioMMIOTransport.Version = options.legacy ? .legacy : .modern
        transports = devices.enumerated().map { n, device in
            VirtioMMIOTransport(device: device, ram: ram, version: version) { setIRQ(Self.spi(n), $0) }
        }
        console?.transport = transports.first { $0.device === console }
        net?.transport = transports.first { $0.device === net }
        try net?.backend.start()
    }

    /// (base, size, device) windows for the board's MMIO dispatch.
    public var windows: [(base: UInt64, size: UInt64, device: any MMIODevice)] {
        transports.enumerated().map { (Self.base($0.offset), VirtMemoryMap.virtioStride, $0.element) }
    }

    /// A machine that failed to finish building (or was never shut down)
    /// does not leave the backend's event loop running.
    deinit { net?.backend.stop() }

    /// Flushes and closes the disk images and stops the network backend (clean power-off).
    public func shutdown() {
        blocks.forEach { $0.shutdown() }
        net?.backend.stop()
    }
}
