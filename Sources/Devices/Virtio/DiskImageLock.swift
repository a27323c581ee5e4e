import Foundation

/// Whole-file advisory locks that keep two VMs from using one image at once
/// (as QEMU does): a read-write open takes an exclusive lock, a read-only
/// open a shared one, both without waiting. So any number of read-only
/// users may share an image, but a read-write user excludes everyone else,
/// read-only users included (a reader of a disk another VM is writing sees
/// a torn filesystem).
///
/// Open file description (OFD) locks, not `flock` or classic POSIX locks:
/// - they belong to the open file, not the process, so a second open in the
///   same process (the same image given twice) conflicts too, and closing
///   some other descriptor of the file does not silently drop the lock as it
///   does for classic `fcntl` locks;
/// - they conflict with QEMU's byte-range OFD locks on the same image (a
///   whole-file range covers QEMU's lock bytes), and they work over NFS,
///   where `flock` is emulated.
/// A filesystem that cannot lock at all (`ENOLCK`, `EINVAL`, `EOPNOTSUPP`)
/// leaves the image unlocked rather than unusable, as QEMU's default does.
enum DiskImageLock {
    // F_OFD_* are Linux fcntl commands Swift's Glibc module does not import
    // (they need _GNU_SOURCE); the values are the kernel ABI.
    static let getLock: Int32 = 36, setLock: Int32 = 37

    enum Outcome: Equatable {
        case locked
        /// The filesystem does not support locks; the image is used unlocked.
        case unsupported
        /// Someone holds a conflicting lock, read-write or read-only.
        case conflict(heldReadWrite: Bool)
    }

    /// Takes the lock on `fd` without blocking.
    static func acquire(_ fd: Int32, exclusive: Bool) -> Outcome {
        var request = wholeFile(exclusive ? F_WRLCK : F_RDLCK)
        if fcntl(fd, setLock, &request) == 0 { return .locked }
        let error = errno
        guard error == EAGAIN || error == EACCES else { return .unsupported }
        // Ask who is in the way: any lock conflicts with a write-lock probe.
        var probe = wholeFile(F_WRLCK)
        let heldReadWrite = fcntl(fd, getLock, &probe) != 0 || probe.l_type != Int16(F_RDLCK)
        return .conflict(heldReadWrite: heldReadWrite)
    }

    /// A lock description covering the whole file (length 0: to the end, however it grows).
    private static func wholeFile(_ type: Int32) -> Glibc.flock {
        var l = Glibc.flock()
        l.l_type = Int16(type)
        l.l_whence = Int16(SEEK_SET)
        l.l_start = 0
        l.l_len = 0
        l.l_pid = 0   // OFD locks require 0
        return l
    }
}
