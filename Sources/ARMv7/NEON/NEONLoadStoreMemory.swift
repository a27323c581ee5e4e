/// Memory side of the Advanced SIMD element and structure loads/stores
/// (ARM ARM A7.7): alignment checks, element accesses in the data
/// endianness, a host-memory fast path for transfers inside one mapped page,
/// and the base register writeback.

/// Up to four D registers of one transfer, kept aside so a load that aborts
/// part-way leaves the register file untouched (the ARM ARM allows partly
/// loaded registers; keeping none is simpler to reason about).
struct NEONRegisterBuffer {
    var r0: UInt64 = 0, r1: UInt64 = 0, r2: UInt64 = 0, r3: UInt64 = 0

    @inline(__always) subscript(i: Int) -> UInt64 {
        get {
            switch i {
            case 0: return r0
            case 1: return r1
            case 2: return r2
            default: return r3
            }
        }
        set {
            switch i {
            case 0: r0 = newValue
            case 1: r1 = newValue
            case 2: r2 = newValue
            default: r3 = newValue
            }
        }
    }
}

/// Byte-level helpers on 64-bit register images.
enum NEONBytes {
    /// Reverses the bytes of each `ebytes`-byte element of `v` (a big-endian
    /// load or store swaps every element on its own).
    @inline(__always) static func swapElements(_ v: UInt64, _ ebytes: Int) -> UInt64 {
        switch ebytes {
        case 1: return v
        case 2: return (v & 0x00FF_00FF_00FF_00FF) << 8 | (v >> 8) & 0x00FF_00FF_00FF_00FF
        case 4: let s = v.byteSwapped; return s << 32 | s >> 32
        default: return v.byteSwapped
        }
    }

    /// `x` (an `ebytes`-byte element, zero-extended) copied to every lane.
    @inline(__always) static func replicate(_ x: UInt64, _ ebytes: Int) -> UInt64 {
        switch ebytes {
        case 1: return x &* 0x0101_0101_0101_0101
        case 2: return x &* 0x0001_0001_0001_0001
        case 4: return x &* 0x0000_0001_0000_0001
        default: return x
        }
    }
}

extension Core {
    /// The alignment check of every element or structure transfer: the
    /// alignment the instruction's `align` field asks for (an Alignment
    /// fault whatever SCTLR.A), and with SCTLR.A set the element size
    /// (MemU). Later elements sit at multiples of the element size from
    /// `address`, so checking the first one covers them all.
    @inline(__always)
    func neonCheckAlignment(_ address: UInt32, alignment: Int, ebytes: Int, write: Bool) throws(CPUException) {
        let required = sys.alignmentCheck ? max(alignment, ebytes) : alignment
        if required > 1 { try requireAlignment(address, UInt32(required), write: write) }
    }

    /// Host address of the `count` bytes at `va` when they lie in one page the
    /// software TLB maps for this access (for a store: and hold no decoded
    /// code), else nil: the caller then uses the translated accessors.
    @inline(__always)
    func neonHostBytes(_ va: UInt32, count: Int, write: Bool) -> UnsafeMutableRawPointer? {
        let offset = va & 0xFFF
        guard Int(offset) + count <= 0x1000 else { return nil }
        let e = softTable(false) + Int((va >> 12) & 0xFF)
        if write {
            guard e.pointee.writeTag == va & 0xFFFF_F000,
                  e.pointee.codeMask.pointee & PhysicalMemory.granuleBits(offset: offset, size: UInt32(count)) == 0
            else { return nil }
        } else {
            guard e.pointee.readTag == va & 0xFFFF_F000 else { return nil }
        }
        return UnsafeMutableRawPointer(bitPattern: e.pointee.addend &+ Int(va))
    }

    /// Loads the `ebytes`-byte element at `base + offset` (from `host + offset`
    /// when the transfer is host-mapped), in the data endianness.
    @inline(__always)
    func neonLoadElement(_ base: UInt32, _ offset: Int, _ ebytes: Int,
                         host: UnsafeMutableRawPointer?) throws(CPUException) -> UInt64 {
        if let host {
            switch ebytes {
            case 1:
                return UInt64(host.load(fromByteOffset: offset, as: UInt8.self))
            case 2:
                let v = host.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
                return UInt64(bigEndian ? v.byteSwapped : v)
            case 4:
                let v = host.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
                return UInt64(bigEndian ? v.byteSwapped : v)
            default:
                let v = host.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                return bigEndian ? v.byteSwapped : v
            }
        }
        let va = base &+ UInt32(truncatingIfNeeded: offset)
        switch ebytes {
        case 1: return UInt64(try read8(va))
        case 2: return UInt64(try read16(va))
        case 4: return UInt64(try read32(va))
        default:
            // Two words, the first in memory holding the high half when big-endian.
            let w1 = UInt64(try read32(va)), w2 = UInt64(try read32(va &+ 4))
            return bigEndian ? w1 << 32 | w2 : w2 << 32 | w1
        }
    }

    /// Stores the low `ebytes` bytes of `value` at `base + offset` (to
    /// `host + offset` when host-mapped), in the data endianness.
    @inline(__always)
    func neonStoreElement(_ base: UInt32, _ offset: Int, _ ebytes: Int, _ value: UInt64,
                          host: UnsafeMutableRawPointer?) throws(CPUException) {
        if let host {
            switch ebytes {
            case 1: host.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: offset, as: UInt8.self)
            case 2:
                let v = UInt16(truncatingIfNeeded: value)
                host.storeBytes(of: bigEndian ? v.byteSwapped : v, toByteOffset: offset, as: UInt16.self)
            case 4:
                let v = UInt32(truncatingIfNeeded: value)
                host.storeBytes(of: bigEndian ? v.byteSwapped : v, toByteOffset: offset, as: UInt32.self)
            default:
                host.storeBytes(of: bigEndian ? value.byteSwapped : value, toByteOffset: offset, as: UInt64.self)
            }
            return
        }
        let va = base &+ UInt32(truncatingIfNeeded: offset)
        switch ebytes {
        case 1: try write8(va, UInt32(truncatingIfNeeded: value))
        case 2: try write16(va, UInt32(truncatingIfNeeded: value))
        case 4: try write32(va, UInt32(truncatingIfNeeded: value))
        default:
            let lo = UInt32(truncatingIfNeeded: value), hi = UInt32(truncatingIfNeeded: value >> 32)
            try write32(va, bigEndian ? hi : lo)
            try write32(va &+ 4, bigEndian ? lo : hi)
        }
    }

    /// The writeback of every element or structure transfer, after all its
    /// accesses (so an abort leaves Rn as it was): Rm = 15 none, Rm = 13 by
    /// the transfer size, otherwise post-indexed by Rm.
    @inline(__always)
    func neonWriteback(_ raw: UInt32, transferBytes: Int) {
        let m = Int(raw & 0xF)
        if m == 15 { return }
        let n = Int((raw >> 16) & 0xF)
        r[n] = r[n] &+ (m == 13 ? UInt32(transferBytes) : r[m])
    }

    /// The base register of a transfer, UNDEFINED for Rn = PC with writeback
    /// (UNPREDICTABLE in the ARM ARM, as is Rn = PC without writeback, which
    /// uses the PC's value as qemu-arm does).
    @inline(__always)
    func neonBaseAddress(_ raw: UInt32) throws(CPUException) -> UInt32 {
        let n = Int((raw >> 16) & 0xF)
        if n == 15 && raw & 0xF != 15 { throw .undefined }
        return r[n]
    }
}
