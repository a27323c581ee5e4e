import KVM

/// The device tree of the `virt` board, as Linux needs it for a console and
/// initramfs boot (see docs/ARCHITECTURE.md, "What the Debian guest needs"): memory, cpus with PSCI, psci, the
/// generic timer, a GICv2, a fixed clock, the PL011 and PL031, chosen.
/// Only the virtio-mmio transports the board populates are listed.
public struct VirtDeviceTree {
    public var ramSize: UInt64
    public var cpus: Int
    public var bootargs: String
    /// Guest-physical initrd range, if any.
    public var initrd: (start: UInt64, end: UInt64)?
    /// Seed for the guest's entropy pool (chosen/rng-seed).
    public var rngSeed: [UInt8]
    /// Number of virtio-mmio transports (at 0x0a000000 + 0x200·n, SPI 16 + n).
    public var virtioTransports: Int

    public init(ramSize: UInt64, cpus: Int = 1, bootargs: String = "console=ttyAMA0",
                initrd: (start: UInt64, end: UInt64)? = nil, rngSeed: [UInt8] = [], virtioTransports: Int = 0) {
        self.virtioTransports = virtioTransports
        self.ramSize = ramSize
        self.cpus = cpus
        self.bootargs = bootargs
        self.initrd = initrd
        self.rngSeed = rngSeed
    }

    // Phandles.
    static let gicPhandle: UInt32 = 1
    static let clockPhandle: UInt32 = 2

    // GIC interrupt specifier: type (0 SPI, 1 PPI), number, flags.
    static func spi(_ n: UInt32, level: Bool = true) -> [UInt32] { [0, n, level ? 4 : 1] }
    static func ppi(_ n: UInt32) -> [UInt32] { [1, n, 0xF04] }   // all CPUs, level-high

    /// The DTB blob.
    public func blob() -> [UInt8] {
        var w = FDTWriter()
        w.beginNode("")
        w.property("#address-cells", cells: [2])
        w.property("#size-cells", cells: [2])
        w.property("compatible", strings: ["linux,dummy-virt"])
        w.property("model", string: "Armvisor virt (Cortex-A15)")
        w.property("interrupt-parent", cells: [Self.gicPhandle])

        w.beginNode("memory@\(hex(VirtMemoryMap.ramBase))")
        w.property("device_type", string: "memory")
        w.property("reg", u64: [VirtMemoryMap.ramBase, ramSize])
        w.endNode()

        w.beginNode("cpus")
        w.property("#address-cells", cells: [1])
        w.property("#size-cells", cells: [0])
        for i in 0..<cpus {
            w.beginNode("cpu@\(i)")
            w.property("device_type", string: "cpu")
            w.property("compatible", string: "arm,cortex-a15")
            w.property("reg", cells: [UInt32(i)])       // MPIDR affinity (Aff0 = vcpu id)
            w.property("enable-method", string: "psci")
            w.endNode()
        }
        w.endNode()

        w.beginNode("psci")
        w.property("compatible", strings: ["arm,psci-1.0", "arm,psci-0.2", "arm,psci"])
        w.property("method", string: "hvc")
        w.property("cpu_suspend", cells: [PSCIFunction.cpuSuspend.rawValue])
        w.property("cpu_off", cells: [PSCIFunction.cpuOff.rawValue])
        w.property("cpu_on", cells: [PSCIFunction.cpuOn.rawValue])
        w.property("migrate", cells: [PSCIFunction.migrateID])
        w.endNode()

        w.beginNode("timer")
        w.property("compatible", strings: ["arm,armv7-timer"])
        // Secure, non-secure, virtual and hypervisor physical timer PPIs.
        w.property("interrupts", cells: Self.ppi(13) + Self.ppi(14) + Self.ppi(11) + Self.ppi(10))
        w.property("always-on")
        w.endNode()

        // The Cortex-A15's PMUv2: its overflow interrupt is PPI 7 (INTID 23).
        w.beginNode("pmu")
        w.property("compatible", strings: ["arm,cortex-a15-pmu"])
        w.property("interrupts", cells: Self.ppi(7))
        w.endNode()

        w.beginNode("intc@\(hex(VirtMemoryMap.gicDistributor))")
        w.property("compatible", strings: ["arm,cortex-a15-gic"])
        w.property("#interrupt-cells", cells: [3])
        w.property("interrupt-controller")
        w.property("#address-cells", cells: [2])
        w.property("#size-cells", cells: [2])
        // Distributor, CPU interface, virtual interface control, virtual CPU interface.
        w.property("reg", u64: [VirtMemoryMap.gicDistributor, 0x10000, VirtMemoryMap.gicCPUInterface, 0x10000,
                                0x0803_0000, 0x10000, 0x0804_0000, 0x10000])
        w.property("interrupts", cells: Self.ppi(9))
        w.property("phandle", cells: [Self.gicPhandle])
        w.endNode()

        w.beginNode("apb-pclk")
        w.property("compatible", string: "fixed-clock")
        w.property("#clock-cells", cells: [0])
        w.property("clock-frequency", cells: [24_000_000])
        w.property("clock-output-names", string: "clk24mhz")
        w.property("phandle", cells: [Self.clockPhandle])
        w.endNode()

        w.beginNode("pl011@\(hex(VirtMemoryMap.uart))")
        w.property("compatible", strings: ["arm,pl011", "arm,primecell"])
        w.property("reg", u64: [VirtMemoryMap.uart, 0x1000])
        w.property("interrupts", cells: Self.spi(1))
        w.property("clocks", cells: [Self.clockPhandle, Self.clockPhandle])
        w.property("clock-names", strings: ["uartclk", "apb_pclk"])
        w.endNode()

        w.beginNode("pl031@\(hex(VirtMemoryMap.rtc))")
        w.property("compatible", strings: ["arm,pl031", "arm,primecell"])
        w.property("reg", u64: [VirtMemoryMap.rtc, 0x1000])
        w.property("interrupts", cells: Self.spi(2))
        w.property("clocks", cells: [Self.clockPhandle])
        w.property("clock-names", strings: ["apb_pclk"])
        w.endNode()

        for n in 0..<virtioTransports {
            let base = VirtioDevices.base(n)
            w.beginNode("virtio_mmio@\(hex(base))")
            w.property("compatible", string: "virtio,mmio")
            w.property("reg", u64: [base, VirtMemoryMap.virtioStride])
            w.property("interrupts", cells: Self.spi(UInt32(VirtioDevices.spi(n)), level: false))
            w.property("dma-coherent")
            w.endNode()
        }

        w.beginNode("chosen")
        w.property("bootargs", string: bootargs)
        w.property("stdout-path", string: "/pl011@\(hex(VirtMemoryMap.uart))")
        if let i = initrd {
            w.property("linux,initrd-start", u64: [i.start])
            w.property("linux,initrd-end", u64: [i.end])
        }
        if !rngSeed.isEmpty { w.property("rng-seed", bytes: rngSeed) }
        w.endNode()

        w.endNode()
        return w.finish()
    }
}
