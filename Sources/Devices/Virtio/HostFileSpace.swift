import Foundation

/// Deallocating and zeroing byte ranges of a host file with `fallocate(2)`,
/// for virtio-blk DISCARD and WRITE_ZEROES. The file never changes size.
enum HostFileSpace {
    // fallocate mode bits (linux/falloc.h), a stable kernel ABI.
    static let keepSize: Int32 = 0x01, punchHole: Int32 = 0x02, zeroRange: Int32 = 0x10

    private typealias Fallocate = @convention(c) (Int32, Int32, off_t, off_t) -> Int32
    /// glibc's `fallocate`, looked up at run time: Swift's Glibc module does
    /// not import it (it is declared only under _GNU_SOURCE).
    private static let fallocate: Fallocate? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "fallocate") else { return nil }
        return unsafeBitCast(symbol, to: Fallocate.self)
    }()

    /// Result of a space operation: `errno` on failure.
    enum Outcome: Equatable { case done, unsupported, failed(Int32) }

    private static func call(_ fd: Int32, _ mode: Int32, _ offset: off_t, _ length: off_t) -> Outcome {
        guard let fallocate else { return .unsupported }
        while true {
            if fallocate(fd, mode, offset, length) == 0 { return .done }
            switch errno {
            case EINTR: continue
            case EOPNOTSUPP, ENOSYS, EINVAL: return .unsupported
            case let e: return .failed(e)
            }
        }
    }

    /// Deallocates the range; it reads back as zeroes afterwards.
    static func deallocate(_ fd: Int32, offset: off_t, length: off_t) -> Outcome {
        call(fd, punchHole | keepSize, offset, length)
    }

    /// Makes the range read as zeroes: ZERO_RANGE (no data written, blocks
    /// stay allocated), else writing zeroes. Returns `.done` or `.failed`.
    static func zero(_ fd: Int32, offset: off_t, length: off_t) -> Outcome {
        let r = call(fd, zeroRange | keepSize, offset, length)
        return r == .unsupported ? writeZeroes(fd, offset: offset, length: length) : r
    }

    /// The fallback for filesystems without ZERO_RANGE (tmpfs, NFS…).
    static func writeZeroes(_ fd: Int32, offset: off_t, length: off_t) -> Outcome {
        let chunk = [UInt8](repeating: 0, count: 64 << 10)
        var position = offset, remaining = length
        while remaining > 0 {
            let n = Int(min(off_t(chunk.count), remaining))
            let done = chunk.withUnsafeBytes { pwrite(fd, $0.baseAddress, n, position) }
            if done < 0 && errno == EINTR { continue }
            guard done > 0 else { return .failed(done < 0 ? errno : EIO) }
            position += off_t(done)
            remaining -= off_t(done)
        }
        return .done
    }
}
