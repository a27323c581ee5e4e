import Foundation

/// One pre-decoded instruction. `op == 0` means "not decoded yet".
public struct DecodedInstruction: Sendable {
    /// The raw instruction word (for Thumb: first halfword in the low 16 bits,
    /// second halfword in the high 16 bits).
    public var raw: UInt32
    /// A precomputed immediate (rotated constant, branch offset, ...).
    public var imm: UInt32
    /// Index into the instruction set's operation table.
    public var op: UInt16
    /// Condition field (0xE for unconditional).
    public var cond: UInt8
    /// Per-operation extra bits (carry-out of a rotated immediate, ...).
    public var extra: UInt8
}

/// Decoded instructions of one 4 KiB physical page, plus what is needed to
/// re-flag the page as code when it is decoded again after an invalidation.
struct DecodedPage {
    /// 2048 slots: one per halfword, so Thumb and A32 share the page.
    let slots: UnsafeMutablePointer<DecodedInstruction>
    /// The RAM region's code-granule bits for this page.
    let codeMask: UnsafeMutablePointer<UInt16>
    let physicalPage: UInt64
    static let slotCount = 2048
}

/// Per-core cache of decoded pages keyed by physical page number.
final class DecodeCache {
    private var pages: [UInt64: DecodedPage] = [:]
    /// Other cores' stores invalidate this cache while its own core looks
    /// pages up and adds them: the dictionary needs a lock (taken on page
    /// changes and invalidations, never per instruction).
    private let lock = NSLock()
    /// The slot memory of this cache's pages (freed with the cache).
    private let arena = DecodeSlotArena()
    /// The core's translator: told of every invalidation, also of pages this
    /// cache no longer holds (translations outlive decoded pages).
    weak var jit: JITEngine?
    /// Most pages kept decoded at once (bounds host memory: at most 24 KiB
    /// each, less where only part of a page ran).
    static let pageLimit = 512

    /// Returns the decoded page for `physicalPage`, creating it empty.
    func page(_ physicalPage: UInt64, codeMask: UnsafeMutablePointer<UInt16>) -> DecodedPage {
        lock.lock(); defer { lock.unlock() }
        if let p = pages[physicalPage] { return p }
        if pages.count >= Self.pageLimit {
            // Full: start over, as QEMU flushes its translation cache. The
            // caller (fetchPage) replaces its only pointer into the old slots.
            pages.removeAll(keepingCapacity: true)
            arena.reset()
        }
        let slots = arena.allocate()   // zero-filled: nothing decoded yet
        let p = DecodedPage(slots: slots, codeMask: codeMask, physicalPage: physicalPage)
        pages[physicalPage] = p
        return p
    }

    /// Forgets every decode of `physicalPage` (they are re-decoded lazily).
    func invalidate(physicalPage: UInt64) {
        jit?.post(page: physicalPage, granule: -1)
        lock.lock(); defer { lock.unlock() }
        guard let p = pages[physicalPage] else { return }
        arena.clear(p.slots)
    }

    /// Forgets the decodes of one 256-byte granule (128 slots) of a page.
    /// Only `op` is cleared (one aligned 2-byte store per slot): the owning
    /// core, reading a slot concurrently, sees either the whole old decode
    /// or "not decoded", never a mix.
    func invalidate(physicalPage: UInt64, granule: Int) {
        jit?.post(page: physicalPage, granule: granule)
        lock.lock(); defer { lock.unlock() }
        guard let p = pages[physicalPage] else { return }
        let first = p.slots + granule * 128
        for i in 0..<128 { (first + i).pointee.op = 0 }
    }

    /// Forgets every decode of every page.
    func invalidateAll() {
        lock.lock(); defer { lock.unlock() }
        arena.clearAll()
    }
}

/// The decode caches of all cores attached to one `PhysicalMemory`, so that
/// a store by any core invalidates stale decodes everywhere.
struct CodeCacheRegistry {
    private var caches: [Weak] = []
    private struct Weak { weak var cache: DecodeCache? }

    mutating func register(_ cache: DecodeCache) {
        caches.removeAll { $0.cache == nil }
        caches.append(Weak(cache: cache))
    }

    func invalidate(physicalPage: UInt64) {
        for c in caches { c.cache?.invalidate(physicalPage: physicalPage) }
    }

    func invalidate(physicalPage: UInt64, granule: Int) {
        for c in caches { c.cache?.invalidate(physicalPage: physicalPage, granule: granule) }
    }
}
