/// The VFP register file and system registers of a Cortex-A15 with VFPv4-D32
/// and Advanced SIMD (ARM ARM B4.1.x FPSID/FPSCR/FPEXC/MVFR0/MVFR1,
/// Cortex-A15 TRM chapter 14).

/// Identification registers of the floating-point unit.
public enum VFPID {
    /// FPSID: implementer 0x41, hardware (SW = 0), subarchitecture 0x04
    /// (VFPv3+ common subarchitecture v3), part 0x30, variant 0xF (A15), rev 0.
    public static let fpsid: UInt32 = 0x4104_30F0
    /// MVFR0: rounding modes all (1), short vectors none (0), square root (1),
    /// divide (1), exception trapping none (0), double v3+ (2), single v3+ (2),
    /// 32 x 64-bit registers (2).
    public static let mvfr0: UInt32 = 0x1011_0222
    /// MVFR1 of a Cortex-A15: fused multiply-add (1), VFP half-precision
    /// conversion (1), Advanced SIMD half-precision (1), single-precision (1),
    /// integer (1) and load/store (1) (so an OS reports `neon`), default NaN
    /// (1) and flush-to-zero (1) modes.
    public static let mvfr1: UInt32 = 0x1111_1111
}

/// FPEXC bits.
public enum FPEXCBit {
    public static let en: UInt32 = 1 << 30
    /// Set with the UNDEFINED exception of a data-processing instruction
    /// issued with nonzero FPSCR.Len/Stride (short vectors are not supported).
    public static let dex: UInt32 = 1 << 29
    /// EX (bit 31) is RAZ/WI: the A15 never has asynchronous VFP exceptions.
    public static let writable: UInt32 = en | dex
}

extension Core {
    /// S register `i` (0–31).
    @inline(__always) func sReg(_ i: Int) -> UInt32 {
        let d = vfpRegs[(i >> 1) & 15]
        return UInt32(truncatingIfNeeded: i & 1 == 0 ? d : d >> 32)
    }

    @inline(__always) func setSReg(_ i: Int, _ v: UInt32) {
        let p = vfpRegs + ((i >> 1) & 15)
        if i & 1 == 0 {
            p.pointee = (p.pointee & 0xFFFF_FFFF_0000_0000) | UInt64(v)
        } else {
            p.pointee = (p.pointee & 0x0000_0000_FFFF_FFFF) | UInt64(v) << 32
        }
    }

    /// D register `i` (0–31).
    @inline(__always) func dReg(_ i: Int) -> UInt64 { vfpRegs[i & 31] }
    @inline(__always) func setDReg(_ i: Int, _ v: UInt64) { vfpRegs[i & 31] = v }

    /// Single (low 32 bits) or double register as a bit pattern.
    @inline(__always) func vfpRead(_ i: Int, dp: Bool) -> UInt64 {
        dp ? dReg(i) : UInt64(sReg(i))
    }

    @inline(__always) func vfpWrite(_ i: Int, dp: Bool, _ v: UInt64) {
        if dp { setDReg(i, v) } else { setSReg(i, UInt32(truncatingIfNeeded: v)) }
    }

    // MARK: Public access (Hyp save/restore, debuggers, tests)

    /// Reads S0–S31.
    public func vfpSingle(_ i: Int) -> UInt32 { sReg(i) }
    /// Writes S0–S31.
    public func setVFPSingle(_ i: Int, _ v: UInt32) { setSReg(i, v) }
    /// Reads D0–D31.
    public func vfpDouble(_ i: Int) -> UInt64 { dReg(i) }
    /// Writes D0–D31.
    public func setVFPDouble(_ i: Int, _ v: UInt64) { setDReg(i, v) }
    /// Copies D0–D31 to `buffer` (32 values): the lazy VFP switch's save.
    public func saveVFPRegisters(to buffer: UnsafeMutablePointer<UInt64>) {
        buffer.update(from: vfpRegs, count: 32)
    }
    /// Loads D0–D31 from `buffer` (32 values).
    public func loadVFPRegisters(from buffer: UnsafePointer<UInt64>) {
        vfpRegs.update(from: buffer, count: 32)
    }
    /// Writes the FPSCR as VMSR does (unimplemented bits read as zero).
    public func setFPSCR(_ v: UInt32) { fpscr = v & FPSCRBit.writable }
    /// Writes FPEXC as VMSR does.
    public func setFPEXC(_ v: UInt32) { fpexc = v & FPEXCBit.writable }
}
