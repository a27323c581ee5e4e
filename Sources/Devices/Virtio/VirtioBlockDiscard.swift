import Foundation

/// DISCARD and WRITE_ZEROES (virtio 1.2 §5.2.6): the data after the header
/// is a list of 16-byte segments (sector le64, num_sectors le32, flags le32).
extension VirtioBlock {
    /// The only defined segment flag: the device may deallocate the range.
    static let segmentUnmap: UInt32 = 1

    /// Validates every segment before touching the file, so a bad request
    /// changes nothing: unknown flags (or UNMAP on a discard) → UNSUPP,
    /// a malformed list, too many segments or sectors, or a range past the
    /// end → IOERR.
    func discardOrZero(_ chain: DescriptorChain, writeZeroes: Bool) -> UInt8 {
        let bytes = chain.readableLength - 16
        let maxSegments = writeZeroes ? Self.maxWriteZeroesSegments : Self.maxDiscardSegments
        let maxSectors = writeZeroes ? Self.maxWriteZeroesSectors : Self.maxDiscardSectors
        guard fd >= 0, bytes > 0, bytes % 16 == 0, bytes / 16 <= Int(maxSegments),
              let raw = chain.read(bytes, from: 16) else { return Self.statusIOError }
        func le(_ at: Int, _ n: Int) -> UInt64 {
            raw[at..<at + n].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        var segments: [(sector: UInt64, count: UInt64, unmap: Bool)] = []
        for at in stride(from: 0, to: bytes, by: 16) {
            let sector = le(at, 8), count = le(at + 8, 4), flags = UInt32(le(at + 12, 4))
            guard flags & ~Self.segmentUnmap == 0, writeZeroes || flags == 0 else { return Self.statusUnsupported }
            guard count <= UInt64(maxSectors), inRange(sector, count) else { return Self.statusIOError }
            segments.append((sector, count, flags & Self.segmentUnmap != 0))
        }
        for s in segments where s.count > 0 {
            let offset = off_t(s.sector) * off_t(Self.sectorSize), length = off_t(s.count) * off_t(Self.sectorSize)
            let outcome: HostFileSpace.Outcome
            if writeZeroes {
                // With UNMAP a hole is the cheapest way to read zeroes; without
                // it (or if holes are refused) the blocks stay allocated.
                let punched = s.unmap ? HostFileSpace.deallocate(fd, offset: offset, length: length) : .unsupported
                outcome = punched == .unsupported ? HostFileSpace.zero(fd, offset: offset, length: length) : punched
            } else {
                // A discard is a hint: a filesystem without holes keeps the data.
                let punched = HostFileSpace.deallocate(fd, offset: offset, length: length)
                outcome = punched == .unsupported ? .done : punched
            }
            guard outcome == .done else { return Self.statusIOError }
        }
        return Self.statusOK
    }
}
