/// Transfers between ARM core registers and Advanced SIMD scalars, and VDUP
/// from a core register (ARM ARM A7.8; A8.8.341 VMOV (ARM core register to
/// scalar), A8.8.342 VMOV (scalar to ARM core register), A8.8.317 VDUP (ARM
/// core register)). The 32-bit scalar forms with bits 3:0 = 0000 decode as
/// VFP operations (`vmovCoreToScalar`, `vmovScalarToCore`); every other
/// cp11 word of this space arrives here.
extension Core {
    /// Dispatches on L (bit 20) and bit 23.
    func neonCoreTransfer(_ raw: UInt32) throws(CPUException) {
        // Bits 3:0 are (0)(0)(0)(0): qemu-arm makes other values UNDEFINED.
        if raw & 0xF != 0 { throw .undefined }
        let t = Int((raw >> 12) & 0xF)
        // Rt = PC is UNPREDICTABLE: UNDEFINED, as for the 32-bit VFP forms.
        if t == 15 { throw .undefined }
        // D:Vd for VMOV to a scalar and VDUP, N:Vn for VMOV from a scalar:
        // both are bit 7 and bits 19:16.
        let reg = Int((raw >> 3) & 0x10 | (raw >> 16) & 0xF)
        if raw & (1 << 20) != 0 {
            let unsigned = raw & (1 << 23) != 0
            let (esize, index) = try neonScalarShape(raw, unsigned: unsigned)
            let v = dReg(reg)
            r[t] = unsigned ? UInt32(truncatingIfNeeded: NEONLane.get(v, index, esize))
                            : UInt32(truncatingIfNeeded: NEONLane.getSigned(v, index, esize))
        } else if raw & (1 << 23) == 0 {
            let (esize, index) = try neonScalarShape(raw, unsigned: false)
            setDReg(reg, NEONLane.set(dReg(reg), index, esize, UInt64(r[t])))
        } else {
            try neonDuplicateCore(raw, d: reg, value: r[t])
        }
    }

    /// Element size and lane of a VMOV scalar from opc1 (bits 22:21) and
    /// opc2 (bits 6:5): 1xxx bytes, 0xx1 halfwords, 0x00 words (signed
    /// only: U = 1 is UNDEFINED), 0x10 UNDEFINED.
    @inline(__always)
    func neonScalarShape(_ raw: UInt32, unsigned: Bool) throws(CPUException) -> (esize: Int, index: Int) {
        let opc1 = Int((raw >> 21) & 3), opc2 = Int((raw >> 5) & 3)
        if opc1 & 2 != 0 { return (8, (opc1 & 1) << 2 | opc2) }
        if opc2 & 1 != 0 { return (16, (opc1 & 1) << 1 | opc2 >> 1) }
        if opc2 == 0 && !unsigned { return (32, opc1 & 1) }
        throw .undefined
    }

    /// VDUP (ARM core register): B (bit 22) and E (bit 5) select 8 (10),
    /// 16 (01) or 32 (00) bits, B:E = 11 is UNDEFINED; Q (bit 21) fills a Q
    /// register (UNDEFINED with an odd D register). Bit 6 must be 0.
    @inline(__always)
    func neonDuplicateCore(_ raw: UInt32, d: Int, value: UInt32) throws(CPUException) {
        let b = raw & (1 << 22) != 0, e = raw & (1 << 5) != 0, q = raw & (1 << 21) != 0
        if raw & (1 << 6) != 0 || (b && e) || (q && d & 1 != 0) { throw .undefined }
        let ebytes = b ? 1 : e ? 2 : 4
        let element = UInt64(value) & ((1 << UInt64(8 * ebytes)) - 1)
        let v = NEONBytes.replicate(element, ebytes)
        setDReg(d, v)
        if q { setDReg(d + 1, v) }
    }
}
