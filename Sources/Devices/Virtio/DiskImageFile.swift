import Foundation

/// Opening a raw disk image for virtio-blk: a regular file of whole
/// 512-byte sectors, locked against other users (see ``DiskImageLock``).
/// Nothing is written to the file here, whatever fails.
enum DiskImageFile {
    struct Opened {
        let fd: Int32
        /// Size in 512-byte sectors.
        let sectors: UInt64
        /// False when the filesystem does not support locks.
        let locked: Bool
        /// The host filesystem's block size: the unit in which holes are punched.
        let hostBlockSize: Int
    }

    static func open(path: String, readOnly: Bool) throws(DiskImageError) -> Opened {
        // O_NONBLOCK: a FIFO given by mistake must not hang the open before
        // it is refused; it changes nothing for the regular files kept.
        let fd = Glibc.open(path, (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        do throws(DiskImageError) {
            var st = stat()
            guard fstat(fd, &st) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
            guard st.st_mode & S_IFMT == S_IFREG else { throw .unreadable(path: path, reason: "not a regular file") }
            let size = Int64(st.st_size)
            guard size > 0, size % Int64(VirtioBlock.sectorSize) == 0 else { throw .badSize(path: path, size: size) }
            let outcome = DiskImageLock.acquire(fd, exclusive: !readOnly)
            if case let .conflict(heldReadWrite) = outcome { throw .locked(path: path, heldReadWrite: heldReadWrite) }
            return Opened(fd: fd, sectors: UInt64(size) / UInt64(VirtioBlock.sectorSize), locked: outcome == .locked,
                          hostBlockSize: min(max(Int(st.st_blksize), VirtioBlock.sectorSize), 1 << 20))
        } catch {
            close(fd)
            throw error
        }
    }
}
