import Foundation

/// Where decoded pages' slot arrays live: carved from large anonymous
/// mappings, which the kernel hands out zero-filled and commits only where
/// written. A decoded page (24 KiB of slots) therefore costs host memory
/// only for the parts holding instructions that actually ran, and an
/// all-zero slot is exactly the "not decoded" state, so nothing needs
/// initialising.
final class DecodeSlotArena {
    /// Bytes of one page's slots, rounded up to whole host pages.
    static let unitBytes = (DecodedPage.slotCount * MemoryLayout<DecodedInstruction>.stride + 4095) & ~4095
    /// Units per mapping (about 16 MiB of address space, committed lazily).
    static let unitsPerChunk = max(1, (16 << 20) / unitBytes)

    private var chunks: [UnsafeMutableRawPointer] = []
    /// The chunk being carved and how many of its units are handed out.
    private var chunkIndex = -1
    private var used = unitsPerChunk   // forces a chunk on first use
    /// Units from the heap fallback (when no mapping could be made).
    private var heapUnits: [UnsafeMutableRawPointer] = []

    deinit {
        for c in chunks { munmap(c, Self.unitBytes * Self.unitsPerChunk) }
        for u in heapUnits { u.deallocate() }
    }

    /// Zero-filled slots for one page.
    func allocate() -> UnsafeMutablePointer<DecodedInstruction> {
        if used == Self.unitsPerChunk {
            chunkIndex += 1
            used = 0
        }
        if chunkIndex == chunks.count {
            let size = Self.unitBytes * Self.unitsPerChunk
            let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
            guard let base = p, base != MAP_FAILED else {
                // No address space left: fall back to the heap (zeroed by
                // hand; kept for the cache's lifetime like the chunks).
                chunkIndex -= 1
                used = Self.unitsPerChunk
                let raw = UnsafeMutableRawPointer.allocate(byteCount: Self.unitBytes, alignment: 4096)
                raw.initializeMemory(as: UInt8.self, repeating: 0, count: Self.unitBytes)
                heapUnits.append(raw)
                return raw.bindMemory(to: DecodedInstruction.self, capacity: DecodedPage.slotCount)
            }
            chunks.append(base)
        }
        let unit = chunks[chunkIndex] + used * Self.unitBytes
        used += 1
        return unit.bindMemory(to: DecodedInstruction.self, capacity: DecodedPage.slotCount)
    }

    /// Forgets every page handed out: their memory reads as zero again and
    /// is reused from the first chunk on.
    func reset() {
        clearAll()
        chunkIndex = -1
        used = Self.unitsPerChunk
    }

    /// Drops every decode of every page, one call per mapping.
    func clearAll() {
        for c in chunks where madvise(c, Self.unitBytes * Self.unitsPerChunk, MADV_DONTNEED) != 0 {
            c.initializeMemory(as: UInt8.self, repeating: 0, count: Self.unitBytes * Self.unitsPerChunk)
        }
        for u in heapUnits { u.initializeMemory(as: UInt8.self, repeating: 0, count: Self.unitBytes) }
    }

    /// Drops every decode in `slots` and gives its host memory back (the
    /// range reads as zeroes again, i.e. "not decoded").
    func clear(_ slots: UnsafeMutablePointer<DecodedInstruction>) {
        let raw = UnsafeMutableRawPointer(slots)
        if chunks.contains(where: { raw >= $0 && raw < $0 + Self.unitBytes * Self.unitsPerChunk }),
           madvise(raw, Self.unitBytes, MADV_DONTNEED) == 0 {
            return
        }
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: Self.unitBytes)
    }
}
