import ARMv7
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Errors from loading a guest image. Each reads as one line for the user.
public enum LoadError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case empty(path: String)
    case doesNotFit(what: String, address: UInt64, size: Int)
    case entryOutsideRAM(UInt64)
    case badELF(String)
    case badOption(String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read \(path): \(reason)"
        case let .empty(path): return "\(path) is empty"
        case let .doesNotFit(what, address, size):
            return "\(what) of \(size) bytes at 0x\(String(address, radix: 16)) does not fit in guest RAM"
        case let .entryOutsideRAM(a): return "entry point 0x\(String(a, radix: 16)) is outside guest RAM"
        case let .badELF(why): return "bad ELF image: \(why)"
        case let .badOption(why): return why
        }
    }
}

/// A guest image in memory, ready to be placed in guest RAM.
public struct GuestImage: Sendable {
    /// Segments to copy: (physical address, bytes).
    public var segments: [(address: UInt64, bytes: [UInt8])]
    /// Where execution starts.
    public var entry: UInt64

    /// Reads a file; fails with a `LoadError` the user can act on.
    public static func read(path: String) throws -> [UInt8] {
        // Straight into one array (no Data in between): a kernel is megabytes,
        // and a second copy would count in the VMM's peak memory.
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw LoadError.unreadable(path: path, reason: errno == ENOENT ? "no such file" : String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            throw LoadError.unreadable(path: path, reason: "not a regular file")
        }
        let size = Int(st.st_size)
        if size == 0 { throw LoadError.empty(path: path) }
        // Nothing larger than the biggest guest RAM can be loaded; refusing
        // here also keeps a huge file from exhausting host memory.
        guard UInt64(size) <= VirtMemoryMap.ramLimit else {
            throw LoadError.doesNotFit(what: path, address: VirtMemoryMap.ramBase, size: size)
        }
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let n = Glibc.read(fd, buffer.baseAddress! + done, size - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { failure = n < 0 ? errno : EIO; break }
                done += n
            }
            count = done
        }
        guard failure == 0, bytes.count == size else {
            throw LoadError.unreadable(path: path, reason: String(cString: strerror(failure == 0 ? EIO : failure)))
        }
        return bytes
    }

    /// A flat binary loaded at `address` and entered at `entry` (default: `address`).
    public static func flat(_ bytes: [UInt8], at address: UInt64, entry: UInt64? = nil) -> GuestImage {
        GuestImage(segments: [(address, bytes)], entry: entry ?? address)
    }

    /// Whether `bytes` start with the ELF magic.
    public static func isELF(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x7F && bytes[1] == 0x45 && bytes[2] == 0x4C && bytes[3] == 0x46
    }

    /// Parses a 32-bit little-endian ARM ELF executable: PT_LOAD segments at
    /// their physical addresses (zero-filled up to p_memsz), entry e_entry.
    public static func elf(_ b: [UInt8]) throws -> GuestImage {
        func u16(_ o: Int) throws -> UInt16 {
            guard o >= 0, o + 2 <= b.count else { throw LoadError.badELF("truncated header") }
            return UInt16(b[o]) | UInt16(b[o + 1]) << 8
        }
        func u32(_ o: Int) throws -> UInt32 {
            guard o >= 0, o + 4 <= b.count else { throw LoadError.badELF("truncated header") }
            return UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
        }
        guard b.count >= 52 else { throw LoadError.badELF("file too short") }
        guard b[4] == 1 else { throw LoadError.badELF("not a 32-bit ELF") }
        guard b[5] == 1 else { throw LoadError.badELF("not little-endian") }
        guard try u16(18) == 40 else { throw LoadError.badELF("not an ARM executable") }
        let entry = try u32(24)
        let phoff = Int(try u32(28))
        let phentsize = Int(try u16(42))
        let phnum = Int(try u16(44))
        guard phentsize >= 32, phnum > 0, phnum < 4096 else { throw LoadError.badELF("no program headers") }
        var segs: [(UInt64, [UInt8])] = []
        for i in 0..<phnum {
            let o = phoff + i * phentsize
            guard try u32(o) == 1 else { continue }   // PT_LOAD
            let off = Int(try u32(o + 4)), paddr = UInt64(try u32(o + 12))
            let filesz = Int(try u32(o + 16)), memsz = Int(try u32(o + 20))
            guard off >= 0, filesz <= memsz, off + filesz <= b.count, memsz < 1 << 30 else {
                throw LoadError.badELF("segment \(i) lies outside the file")
            }
            var bytes = Array(b[off ..< off + filesz])
            bytes.append(contentsOf: repeatElement(0, count: memsz - filesz))
            if !bytes.isEmpty { segs.append((paddr, bytes)) }
        }
        guard !segs.isEmpty else { throw LoadError.badELF("no loadable segments") }
        return GuestImage(segments: segs.map { (address: $0.0, bytes: $0.1) }, entry: UInt64(entry))
    }

    /// Copies the image into `memory`, checking every byte lands in RAM.
    public func place(in memory: PhysicalMemory) throws {
        for s in segments {
            guard memory.hostPointer(s.address, length: max(s.bytes.count, 1)) != nil else {
                throw LoadError.doesNotFit(what: "image segment", address: s.address, size: s.bytes.count)
            }
        }
        guard memory.hostPointer(entry & ~1, length: 2) != nil else { throw LoadError.entryOutsideRAM(entry) }
        for s in segments { try memory.load(s.bytes, at: s.address) }
    }
}
