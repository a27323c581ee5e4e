import CHostMemory
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why ``ExecutableMemory`` could not be set up.
public enum ExecutableMemoryError: Error, CustomStringConvertible, Sendable {
    /// The requested size was zero or negative.
    case invalidSize(Int)
    /// A system call failed; `call` names it, `errno` is its error number.
    case systemCall(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .invalidSize(let size):
            return "executable memory size must be positive, got \(size)"
        case .systemCall(let call, let code):
            return "\(call) failed: \(String(cString: strerror(code))) (errno \(code))"
        }
    }
}

/// A W^X code cache: one memory file mapped twice, once read/write (where the
/// JIT writes) and once read/execute (where the CPU runs it). No page is ever
/// writable and executable at the same time, and no `mprotect` flips are needed.
///
/// Offsets are shared by both views: bytes written at offset `o` through
/// ``writableBase`` execute at ``executableAddress(_:)`` of `o`. On x86 the
/// instruction stream stays coherent with stores made through the other view.
public final class ExecutableMemory {
    /// Size of each view in bytes (the requested size rounded up to whole pages).
    public let size: Int
    /// The read/write view.
    public let writableBase: UnsafeMutableRawPointer
    /// The read/execute view.
    public let executableBase: UnsafeRawPointer
    /// Bytes handed out by ``allocate(_:alignment:)`` so far.
    public private(set) var used: Int = 0

    private let fd: Int32
    private let pageSize: Int
    /// Offset up to which the writable view's pages were last released.
    private var writableReleasedTo = 0
    /// How much is written between releases of the writable view.
    public static let writableReleaseInterval = 512 << 10

    /// Creates and double-maps a code cache of at least `size` bytes.
    ///
    /// - Throws: ``ExecutableMemoryError`` when the size is not positive or
    ///   `memfd_create`, `ftruncate` or `mmap` fail.
    public init(size: Int) throws {
        guard size > 0 else { throw ExecutableMemoryError.invalidSize(size) }
        let page = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)
        let (padded, overflow) = size.addingReportingOverflow(page - 1)
        guard !overflow else { throw ExecutableMemoryError.invalidSize(size) }
        let rounded = padded / page * page

        let fd = armvisor_memfd_create("armvisor-jit")
        guard fd >= 0 else { throw ExecutableMemoryError.systemCall(call: "memfd_create", errno: errno) }
        guard ftruncate(fd, off_t(rounded)) == 0 else {
            let code = errno
            close(fd)
            throw ExecutableMemoryError.systemCall(call: "ftruncate", errno: code)
        }
        guard let rw = Self.map(fd, rounded, PROT_READ | PROT_WRITE) else {
            let code = errno
            close(fd)
            throw ExecutableMemoryError.systemCall(call: "mmap (read/write view)", errno: code)
        }
        guard let rx = Self.map(fd, rounded, PROT_READ | PROT_EXEC) else {
            let code = errno
            munmap(rw, rounded)
            close(fd)
            throw ExecutableMemoryError.systemCall(call: "mmap (read/execute view)", errno: code)
        }
        self.fd = fd
        self.pageSize = page
        self.size = rounded
        self.writableBase = rw
        self.executableBase = UnsafeRawPointer(rx)
    }

    deinit {
        munmap(writableBase, size)
        munmap(UnsafeMutableRawPointer(mutating: executableBase), size)
        close(fd)
    }

    /// Maps the whole file shared (so both views see the same pages); nil on failure.
    private static func map(_ fd: Int32, _ size: Int, _ prot: Int32) -> UnsafeMutableRawPointer? {
        let p = mmap(nil, size, prot, MAP_SHARED, fd, 0)
        // MAP_FAILED is ((void *)-1), a macro Swift does not import.
        guard let p, p != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        return p
    }

    /// Reserves `count` bytes aligned to `alignment` (a power of two).
    ///
    /// - Returns: the offset of the block, or nil when the cache is full or
    ///   the arguments are invalid.
    public func allocate(_ count: Int, alignment: Int = 16) -> Int? {
        guard count >= 0, alignment > 0, alignment & (alignment - 1) == 0 else { return nil }
        let start = (used + alignment - 1) & ~(alignment - 1)
        guard start <= size, count <= size - start else { return nil }
        used = start + count
        return start
    }

    /// Forgets every allocation (the JIT flushes its whole cache at once).
    /// Code must no longer be running from the cache.
    public func reset() {
        used = 0
        writableReleasedTo = 0
    }

    /// Copies `bytes` to `offset` through the writable view.
    ///
    /// - Returns: false (writing nothing) if the range is outside the cache.
    @discardableResult
    public func write(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, offset <= size, bytes.count <= size - offset else { return false }
        bytes.withUnsafeBytes { src in
            guard let base = src.baseAddress else { return }
            (writableBase + offset).copyMemory(from: base, byteCount: src.count)
        }
        releaseWritableView(before: offset)
        return true
    }

    /// Drops the writable view's page-table entries below `offset`'s page
    /// every `writableReleaseInterval` bytes. The memory file keeps the
    /// bytes (a later write, such as a chain patch, faults the page back
    /// in), and the process's resident set counts the code once, through
    /// the executable view, instead of twice.
    private func releaseWritableView(before offset: Int) {
        let end = offset & ~(pageSize - 1)
        guard end - writableReleasedTo >= Self.writableReleaseInterval else { return }
        _ = madvise(writableBase, end, Int32(MADV_DONTNEED))
        writableReleasedTo = end
    }

    /// Repoints a `rel32` jump: writes `target - (fieldOffset + 4)` into the
    /// 4-byte field at `fieldOffset` (offsets in this cache) as one aligned
    /// atomic store, so a thread running the jump sees the old or the new
    /// destination, never a torn one.
    ///
    /// - Returns: false if the field is not 4-aligned, not inside the cache,
    ///   or the target is out of range.
    public func patchRel32(fieldOffset: Int, target: Int) -> Bool {
        guard fieldOffset >= 0, fieldOffset % 4 == 0, fieldOffset <= size - 4,
              target >= 0, target <= size,
              let rel = X86Assembler.rel32(from: fieldOffset, to: target) else { return false }
        armvisor_store32_atomic(writableBase + fieldOffset, UInt32(bitPattern: rel))
        return true
    }

    /// The address at which the CPU executes the byte at `offset`.
    public func executableAddress(_ offset: Int) -> UnsafeRawPointer {
        executableBase + offset
    }
}
