/// Advanced SIMD single-structure loads and stores (ARM ARM A7.7, A = 1):
/// VLDn/VSTn (single n-element structure to one lane) and VLDn (single
/// n-element structure to all lanes), n = 1-4.
extension Core {
    /// VLD1-VLD4 / VST1-VST4 (single structure to one lane): one element of
    /// each of `n` registers `inc` apart, all at lane `index`. `index_align`
    /// (bits 7:4) holds the index, the spacing and the alignment qualifier.
    func neonLoadStoreLane(_ raw: UInt32, load: Bool) throws(CPUException) {
        let size = Int((raw >> 10) & 3)           // 0-2 (3 is "to all lanes")
        let n = Int((raw >> 8) & 3) + 1
        let ia = Int((raw >> 4) & 0xF)
        // Per the VLDn/VSTn (single element to one lane) decode pseudocode.
        let index = ia >> (size + 1)
        var inc = 1, alignment = 1
        switch (n, size) {
        case (1, 0):
            if ia & 1 != 0 { throw .undefined }
        case (1, 1):
            if ia & 2 != 0 { throw .undefined }
            if ia & 1 != 0 { alignment = 2 }
        case (1, 2):
            if ia & 4 != 0 || (ia & 3 != 0 && ia & 3 != 3) { throw .undefined }
            if ia & 3 == 3 { alignment = 4 }
        case (2, 0):
            if ia & 1 != 0 { alignment = 2 }
        case (2, 1):
            if ia & 2 != 0 { inc = 2 }
            if ia & 1 != 0 { alignment = 4 }
        case (2, 2):
            if ia & 2 != 0 { throw .undefined }
            if ia & 4 != 0 { inc = 2 }
            if ia & 1 != 0 { alignment = 8 }
        case (3, 0):
            if ia & 1 != 0 { throw .undefined }
        case (3, 1):
            if ia & 1 != 0 { throw .undefined }
            if ia & 2 != 0 { inc = 2 }
        case (3, 2):
            if ia & 3 != 0 { throw .undefined }
            if ia & 4 != 0 { inc = 2 }
        case (4, 0):
            if ia & 1 != 0 { alignment = 4 }
        case (4, 1):
            if ia & 2 != 0 { inc = 2 }
            if ia & 1 != 0 { alignment = 8 }
        default:   // (4, 2)
            if ia & 3 == 3 { throw .undefined }
            if ia & 4 != 0 { inc = 2 }
            if ia & 3 != 0 { alignment = 4 << (ia & 3) }
        }
        let d = Int((raw >> 18) & 0x10 | (raw >> 12) & 0xF)
        // Past D31 is UNPREDICTABLE; UNDEFINED here as in qemu-arm.
        if d + inc * (n - 1) > 31 { throw .undefined }
        let address = try neonBaseAddress(raw)
        let ebytes = 1 << size, esize = 8 << size
        try neonCheckAlignment(address, alignment: alignment, ebytes: ebytes, write: !load)
        let host = neonHostBytes(address, count: n * ebytes, write: !load)
        if load {
            var buffer = NEONRegisterBuffer()
            for k in 0..<n {
                let x = try neonLoadElement(address, k * ebytes, ebytes, host: host)
                buffer[k] = NEONLane.set(dReg(d + k * inc), index, esize, x)
            }
            for k in 0..<n { setDReg(d + k * inc, buffer[k]) }
        } else {
            for k in 0..<n {
                try neonStoreElement(address, k * ebytes, ebytes, NEONLane.get(dReg(d + k * inc), index, esize),
                                     host: host)
            }
        }
        neonWriteback(raw, transferBytes: n * ebytes)
    }

    /// VLD1-VLD4 (single structure to all lanes): element k of the structure
    /// is replicated to every lane of register d + k * inc (T selects inc, or
    /// for VLD1 whether one or two registers receive the element).
    func neonLoadAllLanes(_ raw: UInt32) throws(CPUException) {
        let n = Int((raw >> 8) & 3) + 1
        let size = Int((raw >> 6) & 3)
        let t = raw & (1 << 5) != 0, a = raw & (1 << 4) != 0
        var ebytes = 1 << size, alignment = 1
        // Registers written: VLD1 repeats the element in `regs` registers.
        var regs = 1, inc = t ? 2 : 1
        switch n {
        case 1:
            if size == 3 || (size == 0 && a) { throw .undefined }
            if a { alignment = ebytes }
            regs = t ? 2 : 1
            inc = 1
        case 2:
            if size == 3 { throw .undefined }
            if a { alignment = 2 * ebytes }
        case 3:
            if size == 3 || a { throw .undefined }
        default:
            if size == 3 {
                // VLD4.32 with 16-byte alignment.
                if !a { throw .undefined }
                ebytes = 4
                alignment = 16
            } else if a {
                alignment = size == 2 ? 8 : 4 * ebytes
            }
        }
        let d = Int((raw >> 18) & 0x10 | (raw >> 12) & 0xF)
        // Past D31 is UNPREDICTABLE; UNDEFINED here as in qemu-arm.
        if d + (n == 1 ? regs - 1 : inc * (n - 1)) > 31 { throw .undefined }
        let address = try neonBaseAddress(raw)
        try neonCheckAlignment(address, alignment: alignment, ebytes: ebytes, write: false)
        let host = neonHostBytes(address, count: n * ebytes, write: false)
        var buffer = NEONRegisterBuffer()
        for k in 0..<n {
            buffer[k] = NEONBytes.replicate(try neonLoadElement(address, k * ebytes, ebytes, host: host), ebytes)
        }
        if n == 1 {
            for k in 0..<regs { setDReg(d + k, buffer[0]) }
        } else {
            for k in 0..<n { setDReg(d + k * inc, buffer[k]) }
        }
        neonWriteback(raw, transferBytes: n * ebytes)
    }
}
