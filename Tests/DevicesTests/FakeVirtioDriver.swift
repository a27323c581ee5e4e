import Foundation
@testable import Devices

/// A minimal virtio driver written from the virtio 1.x spec (§3.1, §4.2.3,
/// §2.7) for tests: it owns a block of "guest RAM", initialises a
/// virtio-mmio transport through its registers and builds split rings by
/// hand, so tests can also break them on purpose.
final class FakeVirtioDriver {
    static let ramBase: UInt64 = 0x4000_0000
    static let ramSize = 1 << 20
    /// Queue size the driver chooses.
    static let queueSize: UInt16 = 8
    /// Where test data buffers go.
    static let dataArea: UInt64 = ramBase + 0x8_0000

    let memory: UnsafeMutableRawPointer
    let ram: GuestRAM
    var transport: VirtioMMIOTransport!
    var interruptLevel = false
    var interruptEdges = 0
    private var nextDescriptor: [UInt16] = []
    private var availableIndex: [UInt16] = []
    private var lastUsed: [UInt16] = []

    init() {
        memory = UnsafeMutableRawPointer.allocate(byteCount: Self.ramSize, alignment: 4096)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: Self.ramSize)
        ram = GuestRAM(guestBase: Self.ramBase, size: UInt64(Self.ramSize), pointer: memory)
    }

    deinit { memory.deallocate() }

    /// Creates a transport for `device` wired to this driver's RAM and interrupt flag.
    func attach(_ device: VirtioDevice, version: VirtioMMIOTransport.Version) -> VirtioMMIOTransport {
        transport = VirtioMMIOTransport(device: device, ram: ram, version: version) { [unowned self] level in
            if level && !interruptLevel { interruptEdges += 1 }
            interruptLevel = level
        }
        return transport
    }

    // MARK: Registers

    func read(_ offset: UInt64) -> UInt32 { UInt32(transport.mmioRead(offset: offset, size: 4)) }
    func write(_ offset: UInt64, _ value: UInt32) { transport.mmioWrite(offset: offset, size: 4, value: UInt64(value)) }

    /// The 64 feature bits the device offers.
    func deviceFeatures() -> UInt64 {
        write(0x014, 0)
        let low = UInt64(read(0x010))
        write(0x014, 1)
        return low | UInt64(read(0x010)) << 32
    }

    /// Descriptor table, available ring and used ring of queue `q` (modern layout chosen by the driver).
    func modernLayout(_ q: Int) -> (desc: UInt64, avail: UInt64, used: UInt64) {
        let base = Self.ramBase + 0x1_0000 * UInt64(q + 1)
        return (base, base + 0x1000, base + 0x2000)
    }

    /// Legacy layout (§2.7.2 legacy interfaces, QueueAlign 4096): table at the
    /// page, available ring after it, used ring at the next 4096 boundary.
    func legacyLayout(_ q: Int) -> (desc: UInt64, avail: UInt64, used: UInt64) {
        let desc = Self.ramBase + 0x1_0000 * UInt64(q + 1)
        let n = UInt64(Self.queueSize)
        let avail = desc + 16 * n
        let used = (avail + 6 + 2 * n + 4095) / 4096 * 4096
        return (desc, avail, used)
    }

    func layout(_ q: Int) -> (desc: UInt64, avail: UInt64, used: UInt64) {
        transport.version == .legacy ? legacyLayout(q) : modernLayout(q)
    }

    /// The initialisation sequence of §3.1.1 (and §4.2.4 for legacy);
    /// returns the status the device reports at the end.
    @discardableResult
    func initialize(features: UInt64? = nil) -> UInt32 {
        write(0x070, 0)
        write(0x070, Virtio.statusAcknowledge)
        write(0x070, Virtio.statusAcknowledge | Virtio.statusDriver)
        let accepted = features ?? deviceFeatures()
        write(0x024, 0); write(0x020, UInt32(truncatingIfNeeded: accepted))
        write(0x024, 1); write(0x020, UInt32(truncatingIfNeeded: accepted >> 32))
        var status = Virtio.statusAcknowledge | Virtio.statusDriver
        if transport.version == .modern {
            write(0x070, status | Virtio.statusFeaturesOK)
            guard read(0x070) & Virtio.statusFeaturesOK != 0 else { return read(0x070) }
            status |= Virtio.statusFeaturesOK
        } else {
            write(0x028, 4096)   // GuestPageSize
        }
        let queues = transport.device.queueCount
        nextDescriptor = Array(repeating: 0, count: queues)
        availableIndex = Array(repeating: 0, count: queues)
        lastUsed = Array(repeating: 0, count: queues)
        for q in 0..<queues {
            write(0x030, UInt32(q))
            precondition(read(0x034) >= UInt32(Self.queueSize))
            write(0x038, UInt32(Self.queueSize))
            let l = layout(q)
            // Fresh rings, as a driver allocates them (zeroed).
            host(l.desc).initializeMemory(as: UInt8.self, repeating: 0, count: Int(l.used - l.desc) + 0x1000)
            if transport.version == .modern {
                write(0x080, UInt32(truncatingIfNeeded: l.desc)); write(0x084, UInt32(l.desc >> 32))
                write(0x090, UInt32(truncatingIfNeeded: l.avail)); write(0x094, UInt32(l.avail >> 32))
                write(0x0A0, UInt32(truncatingIfNeeded: l.used)); write(0x0A4, UInt32(l.used >> 32))
                write(0x044, 1)
            } else {
                write(0x03C, 4096)
                write(0x040, UInt32(l.desc / 4096))
            }
        }
        write(0x070, status | Virtio.statusDriverOK)
        return read(0x070)
    }

    // MARK: Rings

    /// Writes one 16-byte descriptor at index `i` of the table at `table`.
    func putDescriptor(table: UInt64, _ i: UInt16, address: UInt64, length: UInt32, flags: UInt16, next: UInt16) {
        let d = table + 16 * UInt64(i)
        store64(d, address); store32(d + 8, length); store16(d + 12, flags); store16(d + 14, next)
    }

    /// Chains `buffers` (address, length, device-writable) in consecutive
    /// descriptors and makes the chain available; returns the head. With
    /// `indirect`, the buffers go in an indirect table at `indirectTable`
    /// and the ring gets a single INDIRECT descriptor.
    @discardableResult
    func submit(_ q: Int, _ buffers: [(UInt64, Int, Bool)], indirectTable: UInt64? = nil, notify: Bool = true) -> UInt16 {
        let l = layout(q)
        let head = nextDescriptor[q]
        if let table = indirectTable {
            for (i, b) in buffers.enumerated() {
                let last = i == buffers.count - 1
                putDescriptor(table: table, UInt16(i), address: b.0, length: UInt32(b.1),
                              flags: (last ? 0 : 1) | (b.2 ? 2 : 0), next: last ? 0 : UInt16(i + 1))
            }
            putDescriptor(table: l.desc, head, address: table, length: UInt32(16 * buffers.count), flags: 4, next: 0)
            nextDescriptor[q] = (head + 1) % Self.queueSize
        } else {
            for (i, b) in buffers.enumerated() {
                let index = (head + UInt16(i)) % Self.queueSize
                let last = i == buffers.count - 1
                putDescriptor(table: l.desc, index, address: b.0, length: UInt32(b.1),
                              flags: (last ? 0 : 1) | (b.2 ? 2 : 0), next: (index + 1) % Self.queueSize)
            }
            nextDescriptor[q] = (head + UInt16(buffers.count)) % Self.queueSize
        }
        makeAvailable(q, head: head, notify: notify)
        return head
    }

    /// Puts `head` in the next available-ring slot, publishes the index and notifies.
    func makeAvailable(_ q: Int, head: UInt16, notify: Bool = true) {
        let l = layout(q)
        store16(l.avail + 4 + 2 * UInt64(availableIndex[q] % Self.queueSize), head)
        availableIndex[q] &+= 1
        store16(l.avail + 2, availableIndex[q])
        if notify { write(0x050, UInt32(q)) }
    }

    /// Sets the available index directly (to break the ring).
    func setAvailableIndex(_ q: Int, _ value: UInt16) {
        availableIndex[q] = value
        store16(layout(q).avail + 2, value)
    }

    /// Used elements (id, length) published since the last call.
    func takeUsed(_ q: Int) -> [(id: UInt32, length: UInt32)] {
        let l = layout(q)
        var out: [(UInt32, UInt32)] = []
        while lastUsed[q] != load16(l.used + 2) {
            let e = l.used + 4 + 8 * UInt64(lastUsed[q] % Self.queueSize)
            out.append((load32(e), load32(e + 4)))
            lastUsed[q] &+= 1
        }
        return out
    }

    // MARK: Memory

    func host(_ address: UInt64) -> UnsafeMutableRawPointer { memory + Int(address - Self.ramBase) }
    func store16(_ a: UInt64, _ v: UInt16) { host(a).storeBytes(of: v.littleEndian, as: UInt16.self) }
    func store32(_ a: UInt64, _ v: UInt32) { host(a).storeBytes(of: v.littleEndian, as: UInt32.self) }
    func store64(_ a: UInt64, _ v: UInt64) { host(a).storeBytes(of: v.littleEndian, as: UInt64.self) }
    func load16(_ a: UInt64) -> UInt16 { UInt16(littleEndian: host(a).loadUnaligned(as: UInt16.self)) }
    func load32(_ a: UInt64) -> UInt32 { UInt32(littleEndian: host(a).loadUnaligned(as: UInt32.self)) }
    func put(_ bytes: [UInt8], at a: UInt64) { bytes.withUnsafeBytes { host(a).copyMemory(from: $0.baseAddress!, byteCount: bytes.count) } }
    func get(_ a: UInt64, _ count: Int) -> [UInt8] { Array(UnsafeRawBufferPointer(start: host(a), count: count)) }

    /// A virtio-blk request header (§5.2.6): type, reserved, sector.
    static func blockHeader(type: UInt32, sector: UInt64) -> [UInt8] {
        withUnsafeBytes(of: type.littleEndian) { Array($0) } + [0, 0, 0, 0] + withUnsafeBytes(of: sector.littleEndian) { Array($0) }
    }
}
