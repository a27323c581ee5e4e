import Foundation

/// A virtio block device (virtio 1.x §5.2) backed by a raw disk image file.
/// Reads and writes go straight between the file and guest buffers; the
/// file is only written when the guest writes, and FLUSH is an fsync.
public final class VirtioBlock: VirtioDevice, @unchecked Sendable {
    public static let sectorSize = 512
    // Request types and status values (§5.2.6).
    static let requestIn: UInt32 = 0, requestOut: UInt32 = 1, requestFlush: UInt32 = 4, requestGetID: UInt32 = 8
    static let statusOK: UInt8 = 0, statusIOError: UInt8 = 1, statusUnsupported: UInt8 = 2
    // Feature bits (§5.2.3).
    public static let featureSegmentMax: UInt64 = 1 << 2
    public static let featureReadOnly: UInt64 = 1 << 5
    public static let featureFlush: UInt64 = 1 << 9

    /// The image file.
    public let path: String
    /// Whether the guest is told the disk is read-only (and writes fail).
    public let readOnly: Bool
    /// Capacity in 512-byte sectors (a partial last sector is not visible).
    public let capacity: UInt64
    /// Most data buffers the driver may put in one request (seg_max).
    let segmentMax: UInt32
    private var fd: Int32

    /// Opens the raw image at `path`; throws a `DiskImageError` the user can act on.
    public init(path: String, readOnly: Bool = false, queueSize: UInt16 = 256) throws {
        let fd = open(path, (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC)
        guard fd >= 0 else { throw DiskImageError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw DiskImageError.unreadable(path: path, reason: "not a regular file")
        }
        guard st.st_size >= Self.sectorSize else {
            close(fd)
            throw DiskImageError.unreadable(path: path, reason: "a disk image needs at least one 512-byte sector")
        }
        self.path = path
        self.readOnly = readOnly
        self.fd = fd
        capacity = UInt64(st.st_size) / UInt64(Self.sectorSize)
        segmentMax = UInt32(queueSize) - 2   // header and status take a descriptor each
    }

    deinit { shutdown() }

    public var deviceID: UInt32 { 2 }
    public var queueCount: Int { 1 }
    public var deviceFeatures: UInt64 {
        Self.featureFlush | Self.featureSegmentMax | (readOnly ? Self.featureReadOnly : 0)
    }

    /// capacity (le64), size_max (le32, unused), seg_max (le32).
    public func configSpace() -> [UInt8] {
        var c = [UInt8](repeating: 0, count: 24)
        for i in 0..<8 { c[i] = UInt8(truncatingIfNeeded: capacity >> (8 * UInt64(i))) }
        for i in 0..<4 { c[12 + i] = UInt8(truncatingIfNeeded: segmentMax >> (8 * UInt32(i))) }
        return c
    }

    public func reset() {}

    /// Flushes and closes the image; later requests fail with IOERR.
    public func shutdown() {
        guard fd >= 0 else { return }
        if !readOnly { fsync(fd) }
        close(fd)
        fd = -1
    }

    /// One request: a 16-byte header (type, reserved, sector) readable, data,
    /// and a status byte as the last writable byte.
    public func serve(queue: Int, chain: DescriptorChain) -> UInt32? {
        let writable = chain.writableLength
        guard writable >= 1 else { return 0 }   // nowhere to put a status: drop it
        guard let header = chain.read(16) else { return finish(chain, Self.statusIOError, dataWritten: 0) }
        let type = header[0..<4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let sector = header[8..<16].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        switch type {
        case Self.requestIn:
            let (status, n) = transfer(chain, sector: sector, toGuest: true)
            return finish(chain, status, dataWritten: n)
        case Self.requestOut:
            return finish(chain, readOnly ? Self.statusIOError : transfer(chain, sector: sector, toGuest: false).0,
                          dataWritten: 0)
        case Self.requestFlush:
            let ok = fd >= 0 && (readOnly || fsync(fd) == 0)
            return finish(chain, ok ? Self.statusOK : Self.statusIOError, dataWritten: 0)
        case Self.requestGetID:
            // A NUL-padded serial of at most 20 bytes.
            var id = Array("armvisor-disk".utf8)
            id += [UInt8](repeating: 0, count: 20 - id.count)
            let n = min(20, writable - 1)
            chain.write(Array(id.prefix(n)))
            return finish(chain, Self.statusOK, dataWritten: n)
        default:
            return finish(chain, Self.statusUnsupported, dataWritten: 0)
        }
    }

    /// Writes the status into the last writable byte; the used length counts it.
    private func finish(_ chain: DescriptorChain, _ status: UInt8, dataWritten: Int) -> UInt32 {
        chain.write([status], at: chain.writableLength - 1)
        return UInt32(dataWritten + 1)
    }

    /// Moves whole sectors between the image and the data buffers: for IN all
    /// writable bytes but the status, for OUT all readable bytes after the header.
    private func transfer(_ chain: DescriptorChain, sector: UInt64, toGuest: Bool) -> (UInt8, Int) {
        let total = toGuest ? chain.writableLength - 1 : chain.readableLength - 16
        guard fd >= 0, total % Self.sectorSize == 0, sector <= capacity,
              UInt64(total / Self.sectorSize) <= capacity - sector else { return (Self.statusIOError, 0) }
        var position = off_t(sector) * off_t(Self.sectorSize)
        var remaining = total, skip = toGuest ? 0 : 16
        for b in toGuest ? chain.writable : chain.readable where remaining > 0 {
            if skip >= b.length { skip -= b.length; continue }
            let n = min(b.length - skip, remaining)
            let p = b.pointer + skip
            skip = 0
            let done = toGuest ? pread(fd, p, n, position) : pwrite(fd, p, n, position)
            guard done == n else { return (Self.statusIOError, 0) }
            position += off_t(n)
            remaining -= n
        }
        return (Self.statusOK, toGuest ? total : 0)
    }
}
