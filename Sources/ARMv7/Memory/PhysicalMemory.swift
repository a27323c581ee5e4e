import CHostAtomics
import Devices
import Foundation

/// One contiguous block of guest RAM backed by zero-filled host memory.
public final class RAMRegion: @unchecked Sendable {
    /// First guest-physical address of the region.
    public let base: UInt64
    /// Size in bytes (a multiple of 4 KiB).
    public let size: UInt64
    /// Host memory backing the region.
    public let host: UnsafeMutableRawPointer
    /// Per 4 KiB page: bit g set when 256-byte granule g holds cached
    /// decodes. Stores to such a granule drop them; stores elsewhere in the
    /// page (data next to code) stay on the fast path.
    let codePages: UnsafeMutablePointer<UInt16>

    init(base: UInt64, size: UInt64) {
        self.base = base
        self.size = size
        // Anonymous mapping: zero-filled lazily by the host kernel, so a large
        // guest RAM costs nothing until it is touched.
        let p = mmap(nil, Int(size), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        if let p, p != MAP_FAILED {
            host = p
        } else {
            host = UnsafeMutableRawPointer.allocate(byteCount: Int(size), alignment: 4096)
            host.initializeMemory(as: UInt8.self, repeating: 0, count: Int(size))
            mapped = false
        }
        let pages = Int(size >> 12)
        codePages = .allocate(capacity: pages)
        codePages.initialize(repeating: 0, count: pages)
    }

    private var mapped = true

    deinit {
        if mapped { munmap(host, Int(size)) } else { host.deallocate() }
        codePages.deallocate()
    }

    @inline(__always) func contains(_ pa: UInt64) -> Bool { pa &- base < size }
}

/// The physical address space seen by every core of a machine: RAM regions
/// and MMIO windows. Anything else is unbacked and raises a synchronous
/// external abort in the accessing core.
public final class PhysicalMemory: @unchecked Sendable {
    public private(set) var ram: [RAMRegion] = []
    /// The device windows (the slow path: only addresses outside RAM get here).
    var mmio = MMIOBus<any MMIODevice>()
    /// Where each core answers with its own GICH/GICV bank; chosen by the
    /// board that lays out this address space.
    public let gicVirtualInterface: GICVirtualInterfaceWindows
    /// Serialises MMIO dispatch: devices are not required to be thread-safe.
    let mmioLock = NSLock()
    /// Cores sharing this memory, so code-page invalidation reaches them all.
    var codeCaches = CodeCacheRegistry()
    /// Asynchronous inputs of every core on this memory (for SEV and
    /// broadcast TLB maintenance).
    private(set) var coreLines: [InterruptLines] = []
    private let coreLinesLock = NSLock()

    func register(lines: InterruptLines) {
        coreLinesLock.lock(); coreLines.append(lines); coreLinesLock.unlock()
    }

    /// Wakes every core waiting in WFE.
    func broadcastEvent() {
        coreLinesLock.lock(); defer { coreLinesLock.unlock() }
        for l in coreLines { l.event.store(true, ordering: .releasing) }
    }

    /// Asks every core except `except` to flush its TLBs before its next block.
    func broadcastTLBFlush(except: InterruptLines) {
        coreLinesLock.lock(); defer { coreLinesLock.unlock() }
        for l in coreLines where l !== except {
            l.tlbFlush.store(true, ordering: .releasing)
            l.kickTranslatedCode()
        }
    }

    /// An empty address space; `gicVirtualInterface` places the cores' GIC
    /// virtualization windows (none by default).
    public init(gicVirtualInterface: GICVirtualInterfaceWindows = .absent) {
        self.gicVirtualInterface = gicVirtualInterface
    }

    /// Adds a RAM region. Fails if it overlaps something already mapped.
    @discardableResult
    public func addRAM(base: UInt64, size: UInt64) throws -> RAMRegion {
        guard size > 0, size & 0xFFF == 0, base & 0xFFF == 0 else {
            throw MemoryMapError.misaligned(base: base, size: size)
        }
        try checkFree(base: base, size: size)
        let region = RAMRegion(base: base, size: size)
        ram.append(region)
        return region
    }

    /// Maps a device at `base` for `size` bytes; `rules` says which access
    /// sizes reach it (all by default).
    public func addDevice(_ device: any MMIODevice, base: UInt64, size: UInt64,
                          rules: MMIOAccessRules = .any) throws {
        try checkFree(base: base, size: size)
        try mmio.map(device, base: base, size: size, rules: rules)
    }

    private func checkFree(base: UInt64, size: UInt64) throws {
        let end = base &+ size
        guard end > base else { throw MemoryMapError.misaligned(base: base, size: size) }
        for r in ram where base < r.base + r.size && r.base < end {
            throw MemoryMapError.overlap(base: base)
        }
        if mmio.overlaps(base: base, size: size) { throw MemoryMapError.overlap(base: base) }
    }

    /// The RAM region holding `pa`, if any.
    @inline(__always) public func region(containing pa: UInt64) -> RAMRegion? {
        for r in ram where r.contains(pa) { return r }
        return nil
    }

    /// Host pointer for `pa` when `pa ..< pa+length` is entirely RAM.
    public func hostPointer(_ pa: UInt64, length: Int = 1) -> UnsafeMutableRawPointer? {
        guard let r = region(containing: pa), pa - r.base + UInt64(length) <= r.size else { return nil }
        return r.host + Int(pa - r.base)
    }

    /// Copies `bytes` into RAM at `pa`; fails if any byte falls outside RAM.
    public func load(_ bytes: [UInt8], at pa: UInt64) throws {
        guard let p = hostPointer(pa, length: max(bytes.count, 1)) else {
            throw MemoryMapError.outsideRAM(address: pa, length: bytes.count)
        }
        bytes.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        invalidateCode(pa: pa, length: bytes.count)
    }

    /// Physical read of `size` bytes (little-endian), RAM or MMIO.
    /// Returns nil for an unbacked address (the caller raises an external abort).
    public func read(_ pa: UInt64, size: Int) -> UInt64? {
        if let p = hostPointer(pa, length: size) {
            switch size {
            case 1: return UInt64(p.load(as: UInt8.self))
            case 2: return UInt64(p.loadUnaligned(as: UInt16.self))
            case 4: return UInt64(p.loadUnaligned(as: UInt32.self))
            default: return p.loadUnaligned(as: UInt64.self)
            }
        }
        mmioLock.lock(); defer { mmioLock.unlock() }
        return mmio.read(pa, size: size)
    }

    /// Physical write; returns false for an unbacked address.
    @discardableResult
    public func write(_ pa: UInt64, size: Int, value: UInt64) -> Bool {
        if let r = region(containing: pa), pa - r.base + UInt64(size) <= r.size {
            let p = r.host + Int(pa - r.base)
            switch size {
            case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: value), as: UInt8.self)
            case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: value), toByteOffset: 0, as: UInt16.self)
            case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: value), toByteOffset: 0, as: UInt32.self)
            default: p.storeBytes(of: value, toByteOffset: 0, as: UInt64.self)
            }
            let page = Int((pa - r.base) >> 12)
            if armv_load16(r.codePages + page) != 0 { invalidateCodeIfNeeded(pa: pa, length: size) }
            return true
        }
        mmioLock.lock(); defer { mmioLock.unlock() }
        return mmio.write(pa, size: size, value: value)
    }

    /// True when `pa` is inside an MMIO window.
    public func isMMIO(_ pa: UInt64) -> Bool {
        mmio.contains(pa)
    }

    /// Drops cached decodes if `pa` lies in a page holding code.
    @inline(__always) func invalidateCodeIfNeeded(pa: UInt64, length: Int) {
        if let r = region(containing: pa), armv_load16(r.codePages + Int((pa - r.base) >> 12)) != 0 {
            invalidateCode(pa: pa, length: length)
        }
    }

    /// The code-granule bits of a store of `size` bytes at page offset
    /// `offset`, including the granule before when a 32-bit Thumb instruction
    /// starting there could end in the written bytes.
    @inline(__always) static func granuleBits(offset: UInt32, size: UInt32) -> UInt16 {
        let first = (offset &- 2) >> 8 & 15
        let last = ((offset &+ size &- 1) >> 8) & 15
        return UInt16(1) << first | UInt16(1) << last | UInt16(1) << (offset >> 8 & 15)
    }

    /// Drops cached decodes of every page in `pa ..< pa+length` on every core.
    public func invalidateCode(pa: UInt64, length: Int) {
        guard let r = region(containing: pa) else { return }
        // Granules from the one holding pa - 2 (a Thumb instruction may start
        // there) to the last byte written.
        let start = max(pa, r.base + 2) - 2
        let end = min(pa + UInt64(max(length, 1)), r.base + r.size)
        var g = (start - r.base) >> 8
        let lastGranule = (end - 1 - r.base) >> 8
        while g <= lastGranule {
            let page = Int(g >> 4), bit = UInt16(1) << UInt16(g & 15)
            // Exactly one of concurrent storers clears the bit and invalidates.
            if armv_load16(r.codePages + page) & bit != 0, armv_fetch_and16(r.codePages + page, ~bit) & bit != 0 {
                codeCaches.invalidate(physicalPage: (r.base >> 12) + UInt64(page), granule: Int(g & 15))
            }
            g += 1
        }
    }
}

/// Errors in building a memory map or loading into it.
public enum MemoryMapError: Error, CustomStringConvertible {
    case misaligned(base: UInt64, size: UInt64)
    case overlap(base: UInt64)
    case outsideRAM(address: UInt64, length: Int)

    public var description: String {
        switch self {
        case let .misaligned(base, size):
            return "region at 0x\(String(base, radix: 16)) of \(size) bytes is not 4 KiB aligned"
        case let .overlap(base):
            return "region at 0x\(String(base, radix: 16)) overlaps an existing region"
        case let .outsideRAM(address, length):
            return "\(length) bytes at 0x\(String(address, radix: 16)) do not fit in guest RAM"
        }
    }
}
