/// Advanced SIMD element and structure loads and stores (ARM ARM A7.7):
/// the dispatch on A (bit 23) and B (bits 11:8), and VLDn/VSTn (multiple
/// n-element structures), A8.8.320-A8.8.327 and A8.8.391-A8.8.398.
/// The single-structure forms are in NEONLoadStoreSingle.swift.
extension Core {
    /// A7.7: A = 0 multiple structures; A = 1 with B = 11xx a load to all
    /// lanes (UNDEFINED as a store), otherwise one lane.
    func neonElementLoadStore(_ raw: UInt32) throws(CPUException) {
        let load = raw & (1 << 21) != 0
        if raw & (1 << 23) == 0 {
            try neonLoadStoreMultiple(raw, load: load)
        } else if (raw >> 10) & 3 == 3 {
            guard load else { throw .undefined }
            try neonLoadAllLanes(raw)
        } else {
            try neonLoadStoreLane(raw, load: load)
        }
    }

    /// VLD1-VLD4 / VST1-VST4 (multiple structures). `type` (bits 11:8) gives
    /// the shape: `regs` blocks, each of `interleave` registers `spacing`
    /// apart whose elements alternate in memory (VLD1: interleave 1).
    func neonLoadStoreMultiple(_ raw: UInt32, load: Bool) throws(CPUException) {
        let type = (raw >> 8) & 0xF
        let size = Int((raw >> 6) & 3), align = Int((raw >> 4) & 3)
        let regs: Int, interleave: Int, spacing: Int
        switch type {
        case 0b0111: (regs, interleave, spacing) = (1, 1, 1)                 // VLD1, one register
            if align & 2 != 0 { throw .undefined }
        case 0b1010: (regs, interleave, spacing) = (2, 1, 1)                 // VLD1, two
            if align == 3 { throw .undefined }
        case 0b0110: (regs, interleave, spacing) = (3, 1, 1)                 // VLD1, three
            if align & 2 != 0 { throw .undefined }
        case 0b0010: (regs, interleave, spacing) = (4, 1, 1)                 // VLD1, four
        case 0b1000, 0b1001: (regs, interleave, spacing) = (1, 2, Int(type & 1) + 1)   // VLD2
            if align == 3 || size == 3 { throw .undefined }
        case 0b0011: (regs, interleave, spacing) = (2, 2, 2)                 // VLD2, four registers
            if size == 3 { throw .undefined }
        case 0b0100, 0b0101: (regs, interleave, spacing) = (1, 3, Int(type & 1) + 1)   // VLD3
            if align & 2 != 0 || size == 3 { throw .undefined }
        case 0b0000, 0b0001: (regs, interleave, spacing) = (1, 4, Int(type & 1) + 1)   // VLD4
            if size == 3 { throw .undefined }
        default: throw .undefined
        }
        let d = Int((raw >> 18) & 0x10 | (raw >> 12) & 0xF)
        // Past D31 is UNPREDICTABLE; UNDEFINED here, as qemu-arm makes the
        // single-structure forms (for these it transfers what exists).
        if d + regs - 1 + spacing * (interleave - 1) > 31 { throw .undefined }
        let address = try neonBaseAddress(raw)
        let ebytes = 1 << size
        try neonCheckAlignment(address, alignment: align == 0 ? 1 : 4 << align, ebytes: ebytes, write: !load)
        let bytes = 8 * regs * interleave
        let host = neonHostBytes(address, count: bytes, write: !load)
        if interleave == 1 {
            if let host {
                neonWholeRegistersHost(host, d: d, regs: regs, ebytes: ebytes, load: load)
            } else {
                try neonStructures(address, d: d, regs: regs, interleave: 1, spacing: 1, ebytes: ebytes,
                                   load: load, host: nil)
            }
        } else {
            try neonStructures(address, d: d, regs: regs, interleave: interleave, spacing: spacing,
                               ebytes: ebytes, load: load, host: host)
        }
        neonWriteback(raw, transferBytes: bytes)
    }

    /// VLD1/VST1 of whole D registers from host memory: one 64-bit access per
    /// register (each element byte-swapped when big-endian). Cannot fault.
    @inline(__always)
    func neonWholeRegistersHost(_ host: UnsafeMutableRawPointer, d: Int, regs: Int, ebytes: Int, load: Bool) {
        let swap = bigEndian
        for i in 0..<regs {
            if load {
                let v = host.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)
                setDReg(d + i, swap ? NEONBytes.swapElements(v, ebytes) : v)
            } else {
                let v = dReg(d + i)
                host.storeBytes(of: swap ? NEONBytes.swapElements(v, ebytes) : v, toByteOffset: 8 * i,
                                as: UInt64.self)
            }
        }
    }

    /// The element-by-element transfer of multiple structures: for each block,
    /// for each element index, one element of each of the block's registers.
    /// Loads gather into a buffer and write the registers only when every
    /// access has succeeded.
    func neonStructures(_ address: UInt32, d: Int, regs: Int, interleave: Int, spacing: Int, ebytes: Int,
                        load: Bool, host: UnsafeMutableRawPointer?) throws(CPUException) {
        let elements = 8 / ebytes, esize = 8 * ebytes
        var buffer = NEONRegisterBuffer()
        var offset = 0
        for block in 0..<regs {
            for e in 0..<elements {
                for s in 0..<interleave {
                    // Register d + block + spacing * s; buffer slots are dense.
                    let slot = block * interleave + s
                    if load {
                        let x = try neonLoadElement(address, offset, ebytes, host: host)
                        buffer[slot] = NEONLane.set(buffer[slot], e, esize, x)
                    } else {
                        let x = NEONLane.get(dReg(d + block + spacing * s), e, esize)
                        try neonStoreElement(address, offset, ebytes, x, host: host)
                    }
                    offset += ebytes
                }
            }
        }
        guard load else { return }
        for block in 0..<regs {
            for s in 0..<interleave {
                setDReg(d + block + spacing * s, buffer[block * interleave + s])
            }
        }
    }
}
