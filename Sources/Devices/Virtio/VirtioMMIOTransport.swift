import Foundation

/// A virtio-mmio transport (virtio 1.x §4.2): the 0x200-byte register
/// window through which the driver finds one virtio device, negotiates
/// features, places its split virtqueues and notifies the device. Version 2
/// is the modern interface; version 1 the legacy one (§4.2.4), whose queues
/// are given as a page frame number and laid out by the device.
///
/// Queues are served synchronously when the driver writes QueueNotify, on
/// the VCPU thread that wrote it. A ring the guest broke sets
/// DEVICE_NEEDS_RESET; the device then ignores notifications until reset.
public final class VirtioMMIOTransport: MMIODevice, @unchecked Sendable {
    /// The register layout offered to the driver.
    public enum Version: UInt32, Sendable {
        case legacy = 1
        case modern = 2
    }

    /// "virt" in little-endian ASCII.
    public static let magic: UInt32 = 0x7472_6976
    /// Vendor ID: "ARMV" in little-endian ASCII.
    public static let vendorID: UInt32 = 0x564D_5241
    /// Interrupt status bits: used buffer, configuration change.
    public static let usedBufferInterrupt: UInt32 = 1
    public static let configChangeInterrupt: UInt32 = 2

    /// The register layout this transport offers.
    public let version: Version
    /// The device behind the transport.
    public let device: VirtioDevice
    /// Drives the device's interrupt line (level: high while InterruptStatus ≠ 0).
    public var interruptLine: (Bool) -> Void
    /// The last error that made the device need a reset, for tests and diagnostics.
    public private(set) var lastRingError: VirtqueueError?

    private let ram: GuestRAM
    private let lock = NSLock()
    private var status: UInt32 = 0
    private var deviceFeaturesSelect: UInt32 = 0
    private var driverFeaturesSelect: UInt32 = 0
    private var driverFeatures: UInt64 = 0
    private var queueSelect: UInt32 = 0
    private var queues: [SplitVirtqueue]
    private var interruptStatus: UInt32 = 0
    // Legacy only.
    private var guestPageSize: UInt32 = 0
    private var queueAlign: [UInt32]
    private var queuePFN: [UInt32]

    /// A transport for `device` whose queues live in `ram`.
    public init(device: VirtioDevice, ram: GuestRAM, version: Version = .modern, queueSize: UInt16 = 256,
                interruptLine: @escaping (Bool) -> Void = { _ in }) {
        self.device = device
        self.ram = ram
        self.version = version
        self.interruptLine = interruptLine
        queues = Array(repeating: SplitVirtqueue(maxSize: queueSize), count: device.queueCount)
        queueAlign = Array(repeating: 4096, count: device.queueCount)
        queuePFN = Array(repeating: 0, count: device.queueCount)
    }

    /// Every feature the device offers through this transport.
    public var offeredFeatures: UInt64 {
        device.deviceFeatures | Virtio.indirectDescriptors | (version == .modern ? Virtio.version1 : 0)
    }

    // MARK: Registers

    public func mmioRead(offset: UInt64, size: Int) -> UInt64 {
        lock.lock(); defer { lock.unlock() }
        if offset >= 0x100 { return readConfig(Int(offset - 0x100), size) }
        let q = selectedQueue
        let value: UInt32
        switch offset {
        case 0x000: value = Self.magic
        case 0x004: value = version.rawValue
        case 0x008: value = device.deviceID
        case 0x00C: value = Self.vendorID
        case 0x010:
            // Legacy drivers see only the first 32 feature bits.
            value = deviceFeaturesSelect > 1 || (version == .legacy && deviceFeaturesSelect > 0)
                ? 0 : UInt32(truncatingIfNeeded: offeredFeatures >> (32 * UInt64(deviceFeaturesSelect)))
        case 0x034: value = q.map { UInt32(queues[$0].maxSize) } ?? 0
        case 0x040 where version == .legacy: value = q.map { queuePFN[$0] } ?? 0
        case 0x044 where version == .modern: value = q.map { queues[$0].ready ? 1 : 0 } ?? 0
        case 0x060: value = interruptStatus
        case 0x070: value = status
        case 0x0FC where version == .modern: value = 0   // the configuration never changes
        default: value = 0
        }
        return UInt64(value)
    }

    public func mmioWrite(offset: UInt64, size: Int, value: UInt64) {
        lock.lock(); defer { lock.unlock() }
        guard offset < 0x100 else { return }   // no writable configuration fields
        let v = UInt32(truncatingIfNeeded: value)
        let q = selectedQueue
        switch offset {
        case 0x014: deviceFeaturesSelect = v
        case 0x020:
            guard driverFeaturesSelect < 2, status & Virtio.statusFeaturesOK == 0 else { break }
            let shift = 32 * UInt64(driverFeaturesSelect)
            driverFeatures = driverFeatures & ~(0xFFFF_FFFF << shift) | UInt64(v) << shift
        case 0x024: driverFeaturesSelect = v
        case 0x028 where version == .legacy: guestPageSize = v
        case 0x030: queueSelect = v
        case 0x038:
            if let q, !queues[q].ready, v >= 1, v <= UInt32(queues[q].maxSize) { queues[q].size = UInt16(v) }
        case 0x03C where version == .legacy:
            // A power of two, as the legacy layout requires.
            if let q, v != 0, v & (v - 1) == 0 { queueAlign[q] = v }
        case 0x040 where version == .legacy:
            if let q { setLegacyPFN(q, v) }
        case 0x044 where version == .modern:
            if let q { queues[q].ready = v & 1 != 0 }
        case 0x050: notify(Int(v & 0xFFFF))
        case 0x064:
            interruptStatus &= ~v
            interruptLine(interruptStatus != 0)
        case 0x070: writeStatus(v)
        case 0x080, 0x084, 0x090, 0x094, 0x0A0, 0x0A4:
            guard version == .modern, let q, !queues[q].ready else { break }
            setAddressHalf(q, register: offset, v)
        default: break
        }
    }

    /// The queue QueueSel names, if it exists.
    private var selectedQueue: Int? { Int(queueSelect) < queues.count ? Int(queueSelect) : nil }

    private func readConfig(_ offset: Int, _ size: Int) -> UInt64 {
        let config = device.configSpace()
        var value: UInt64 = 0
        for i in (0..<min(size, 8)).reversed() {
            let at = offset + i
            value = value << 8 | UInt64(at < config.count ? config[at] : 0)
        }
        return value
    }

    private func setAddressHalf(_ q: Int, register: UInt64, _ v: UInt32) {
        func merged(_ old: UInt64) -> UInt64 {
            register & 4 == 0 ? old & ~0xFFFF_FFFF | UInt64(v) : old & 0xFFFF_FFFF | UInt64(v) << 32
        }
        switch register & ~4 {
        case 0x080: queues[q].descriptorTable = merged(queues[q].descriptorTable)
        case 0x090: queues[q].availableRing = merged(queues[q].availableRing)
        default: queues[q].usedRing = merged(queues[q].usedRing)
        }
    }

    /// Legacy layout (§2.7.2 with the legacy alignment): descriptor table at
    /// the page, the available ring right after it, the used ring at the
    /// next QueueAlign boundary. PFN 0 stops the queue.
    private func setLegacyPFN(_ q: Int, _ pfn: UInt32) {
        queuePFN[q] = pfn
        let n = UInt64(queues[q].size), align = UInt64(queueAlign[q])
        let table = UInt64(pfn) * UInt64(guestPageSize == 0 ? 4096 : guestPageSize)
        let available = table + 16 * n
        queues[q].descriptorTable = table
        queues[q].availableRing = available
        queues[q].usedRing = (available + 6 + 2 * n + align - 1) & ~(align - 1)
        queues[q].ready = pfn != 0
    }

    private func writeStatus(_ v: UInt32) {
        if v == 0 { return resetDevice() }
        var new = v & ~Virtio.statusNeedsReset | status & Virtio.statusNeedsReset
        if new & Virtio.statusFeaturesOK != 0 && status & Virtio.statusFeaturesOK == 0 && !featuresAcceptable {
            new &= ~Virtio.statusFeaturesOK
        }
        let becameLive = new & Virtio.statusDriverOK != 0 && status & Virtio.statusDriverOK == 0
        status = new
        guard becameLive else { return }
        device.activate(negotiatedFeatures: driverFeatures)
        // Buffers the driver queued before DRIVER_OK are served now.
        for q in queues.indices { serve(q) }
    }

    /// The driver accepted only offered features (and VERSION_1 on the modern interface).
    private var featuresAcceptable: Bool {
        driverFeatures & ~offeredFeatures == 0 && (version == .legacy || driverFeatures & Virtio.version1 != 0)
    }

    private func resetDevice() {
        status = 0
        driverFeatures = 0
        deviceFeaturesSelect = 0
        driverFeaturesSelect = 0
        queueSelect = 0
        for q in queues.indices {
            queues[q].reset()
            queueAlign[q] = 4096
            queuePFN[q] = 0
        }
        device.reset()
        if interruptStatus != 0 {
            interruptStatus = 0
            interruptLine(false)
        }
    }

    // MARK: Queues

    /// Serves queue `index` as if the driver had notified it: the host side
    /// calls this when a device has new input for the guest.
    public func hostNotify(queue index: Int) {
        lock.lock(); defer { lock.unlock() }
        serve(index)
    }

    private func notify(_ index: Int) {
        guard index < queues.count else { return }
        serve(index)
    }

    /// Lets the device serve the available chains of queue `index` until the
    /// ring is empty or the device defers; interrupts once if any were used.
    private func serve(_ index: Int) {
        guard index < queues.count, queues[index].ready, status & Virtio.statusDriverOK != 0,
              status & Virtio.statusNeedsReset == 0 else { return }
        let indirect = driverFeatures & Virtio.indirectDescriptors != 0
        var session = VirtqueueSession(queue: queues[index], ram: ram, indirectAllowed: indirect)
        do {
            try device.serve(queue: index, session: &session)
            queues[index] = session.queue
        } catch {
            queues[index] = session.queue
            return needsReset(error)
        }
        if session.usedCount > 0 && !queues[index].driverSuppressesInterrupts(ram) {
            interruptStatus |= Self.usedBufferInterrupt
            interruptLine(true)
        }
    }

    /// The guest broke a ring: stop using the device and tell the driver (§2.1.1).
    private func needsReset(_ error: VirtqueueError) {
        lastRingError = error
        status |= Virtio.statusNeedsReset
        if status & Virtio.statusDriverOK != 0 {
            interruptStatus |= Self.configChangeInterrupt
            interruptLine(true)
        }
    }
}
