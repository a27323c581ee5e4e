import Foundation

/// A virtio block device (virtio 1.2 §5.2) backed by a raw disk image file.
///
/// Reads and writes go straight between the file and guest buffers with
/// `pread`/`pwrite`, so a completed write is in the host's page cache (it
/// survives Armvisor being killed) and FLUSH (`fdatasync`) puts it on the
/// host's disk (it survives the host losing power). The file is only
/// written when the guest writes, discards or zeroes.
///
/// The image is locked while open (see ``DiskImageError/locked(path:heldReadWrite:)``):
/// read-write excludes every other user, read-only excludes writers.
public final class VirtioBlock: VirtioDevice, @unchecked Sendable {
    public static let sectorSize = 512
    /// Longest GET_ID answer (§5.2.6: 20 bytes, NUL-padded, not necessarily NUL-terminated).
    public static let serialLength = 20
    // Request types and status values (§5.2.6).
    static let requestIn: UInt32 = 0, requestOut: UInt32 = 1, requestFlush: UInt32 = 4, requestGetID: UInt32 = 8
    static let requestDiscard: UInt32 = 11, requestWriteZeroes: UInt32 = 13
    static let statusOK: UInt8 = 0, statusIOError: UInt8 = 1, statusUnsupported: UInt8 = 2

    /// The image file.
    public let path: String
    /// Whether the guest is told the disk is read-only (and writes fail).
    public let readOnly: Bool
    /// Capacity in 512-byte sectors.
    public let capacity: UInt64
    /// What GET_ID answers: at most ``serialLength`` bytes.
    public let serial: [UInt8]
    /// Whether the image holds a lock (false only on filesystems without locking).
    public let isLocked: Bool
    /// Most data buffers the driver may put in one request (seg_max).
    let segmentMax: UInt32
    /// discard_sector_alignment: the host filesystem's block in sectors, so
    /// the guest discards whole host blocks, which actually free space.
    let discardAlignment: UInt32
    var fd: Int32
    /// Set by the first failed flush. Linux may drop the dirty pages of a
    /// failed writeback and report success next time; every later flush
    /// fails too, so the guest never sees lost data acknowledged as durable.
    private var flushFailed = false
    /// How a flush reaches the disk (a seam for tests to inject failures).
    var syncFile: (Int32) -> Int32 = { fdatasync($0) }

    /// Opens and locks the raw image at `path`; throws a ``DiskImageError``
    /// the user can act on, having written nothing.
    /// - Parameters:
    ///   - serial: the GET_ID string, cut to 20 bytes; by default the
    ///     image's file name (cut to 20 bytes), which tells disks apart in
    ///     the guest's /dev/disk/by-id.
    public init(path: String, readOnly: Bool = false, serial: String? = nil, queueSize: UInt16 = 256) throws {
        let image = try DiskImageFile.open(path: path, readOnly: readOnly)
        self.path = path
        self.readOnly = readOnly
        fd = image.fd
        isLocked = image.locked
        capacity = image.sectors
        self.serial = Self.truncated(serial ?? Self.defaultSerial(path: path))
        segmentMax = UInt32(queueSize) - 2   // header and status take a descriptor each
        discardAlignment = UInt32(image.hostBlockSize / Self.sectorSize)
    }

    deinit { shutdown() }

    /// The file name, as the default serial.
    static func defaultSerial(path: String) -> String {
        (path as NSString).lastPathComponent
    }

    /// The first ``serialLength`` bytes of `s`, not splitting a UTF-8 character.
    static func truncated(_ s: String) -> [UInt8] {
        var bytes = [UInt8]()
        for c in s.unicodeScalars {
            let u = Array(String(c).utf8)
            guard bytes.count + u.count <= serialLength else { break }
            bytes += u
        }
        return bytes
    }

    public var deviceID: UInt32 { 2 }
    public var queueCount: Int { 1 }
    public var deviceFeatures: UInt64 {
        var f = Self.featureFlush | Self.featureSegmentMax | Self.featureBlockSize
        f |= readOnly ? Self.featureReadOnly : Self.featureDiscard | Self.featureWriteZeroes
        return f
    }

    public func configSpace() -> [UInt8] { makeConfigSpace() }

    public func reset() {}

    /// Flushes and closes the image (dropping its lock); later requests fail with IOERR.
    public func shutdown() {
        guard fd >= 0 else { return }
        if !readOnly { _ = syncFile(fd) }
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
            return finish(chain, flush(), dataWritten: 0)
        case Self.requestGetID:
            let id = serial + [UInt8](repeating: 0, count: Self.serialLength - serial.count)
            let n = min(Self.serialLength, writable - 1)
            chain.write(Array(id.prefix(n)))
            return finish(chain, Self.statusOK, dataWritten: n)
        case Self.requestDiscard, Self.requestWriteZeroes:
            let status = readOnly ? Self.statusIOError : discardOrZero(chain, writeZeroes: type == Self.requestWriteZeroes)
            return finish(chain, status, dataWritten: 0)
        default:
            return finish(chain, Self.statusUnsupported, dataWritten: 0)
        }
    }

    /// Writes the status into the last writable byte; the used length counts it.
    private func finish(_ chain: DescriptorChain, _ status: UInt8, dataWritten: Int) -> UInt32 {
        chain.write([status], at: chain.writableLength - 1)
        return UInt32(dataWritten + 1)
    }

    /// FLUSH: everything written so far onto the host's disk.
    private func flush() -> UInt8 {
        guard fd >= 0 else { return Self.statusIOError }
        if readOnly { return Self.statusOK }
        if !flushFailed && syncFile(fd) != 0 { flushFailed = true }
        return flushFailed ? Self.statusIOError : Self.statusOK
    }

    /// Whether `count` sectors from `sector` lie inside the disk (no overflow).
    func inRange(_ sector: UInt64, _ count: UInt64) -> Bool {
        sector <= capacity && count <= capacity - sector
    }

    /// Moves whole sectors between the image and the data buffers: for IN all
    /// writable bytes but the status, for OUT all readable bytes after the header.
    private func transfer(_ chain: DescriptorChain, sector: UInt64, toGuest: Bool) -> (UInt8, Int) {
        let total = toGuest ? chain.writableLength - 1 : chain.readableLength - 16
        guard fd >= 0, total % Self.sectorSize == 0, inRange(sector, UInt64(total / Self.sectorSize))
        else { return (Self.statusIOError, 0) }
        var position = off_t(sector) * off_t(Self.sectorSize)
        var remaining = total, skip = toGuest ? 0 : 16
        let io: (Int32, UnsafeMutableRawPointer, Int, off_t) -> Int =
            toGuest ? { pread($0, $1, $2, $3) } : { pwrite($0, $1, $2, $3) }
        for b in toGuest ? chain.writable : chain.readable where remaining > 0 {
            if skip >= b.length { skip -= b.length; continue }
            let n = min(b.length - skip, remaining)
            guard Self.fully(io, fd, b.pointer + skip, n, position) else { return (Self.statusIOError, 0) }
            skip = 0
            position += off_t(n)
            remaining -= n
        }
        return (Self.statusOK, toGuest ? total : 0)
    }

    /// Repeats a short or interrupted `pread`/`pwrite` until all `count` bytes moved.
    private static func fully(_ io: (Int32, UnsafeMutableRawPointer, Int, off_t) -> Int, _ fd: Int32,
                              _ p: UnsafeMutableRawPointer, _ count: Int, _ offset: off_t) -> Bool {
        var done = 0
        while done < count {
            let n = io(fd, p + done, count - done, offset + off_t(done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }
}
