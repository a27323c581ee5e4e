import X86Assembler

/// VFP instructions as host code. Only in blocks whose state key says the
/// VFP is usable (every enable and trap check passes, D16–D31 accessible),
/// so at run time only FPSCR is checked.
///
/// Arithmetic runs on SSE where x86 and ARM give the same bits and the same
/// FPSCR: round to nearest, no flush-to-zero or default-NaN mode, no short
/// vectors, IXC already set (inexactness then needs no detecting), and a
/// result that is a normal number above the smallest normal one or a zero
/// that is exact (`ZeroResult`). NaNs, infinities, underflowed zeros and
/// tiny results may carry IOC, DZC, OFC or UFC, which
/// the two architectures decide differently (NaN propagation, tininess
/// before or after rounding). Whatever misses those conditions, and every
/// access the inline software-TLB check does not cover, runs the whole
/// instruction in the interpreter from the same place.
extension BlockTranslator {
    /// FPSCR bits the arithmetic fast path requires to be clear (FZ, DN,
    /// RMode, Stride, Len) and IXC, which it requires to be set.
    private static let arithmeticMask: UInt32 = 0x03F7_0000 | FPSCRBit.ixc
    private static let fpscr = Memory.base(GeneratedCodeABI.state, 244)

    private func dReg(_ n: Int, plus: Int32 = 0) -> Memory { .base(ABI.state, Int32(272 + 8 * n) + plus) }
    private func sReg(_ n: Int) -> Memory { .base(ABI.state, Int32(272 + 4 * n)) }
    private func fpReg(_ n: Int, _ double: Bool) -> Memory { double ? dReg(n) : sReg(n) }

    /// Whether VFP instruction `d` has a native form (in a block where the
    /// VFP is usable and data is little-endian).
    static func vfpIsNative(_ op: A32Op, _ d: DecodedInstruction) -> Bool {
        let o = VFPOperands(d)
        switch op {
        case .vldr, .vstr, .vmovReg, .vabs, .vneg, .vmovImm, .vsqrt, .vmrsFPSCR,
             .vmla, .vmls, .vnmla, .vnmls, .vmul, .vnmul, .vadd, .vsub, .vdiv,
             .vcmp, .vcmpe, .vcmpZero, .vcmpeZero, .vcvtF64F32, .vcvtF32F64, .vcvtFromInt, .vcvtToInt:
            return true
        case .vldm, .vstm:
            return o.n != 15 && o.m > 0 && o.d + o.m <= 32
        case .vmovCoreToSingle, .vmovSingleToCore, .vmovScalarToCore, .vmovCoreToScalar, .vmsrFPSCR:
            return o.n != 15
        case .vmovSinglePairToCore, .vmovCoreToSinglePair:
            return o.n != 15 && o.m != 15 && o.d < 31
        case .vmovDoubleToCore, .vmovCoreToDouble:
            return o.n != 15 && o.m != 15
        default:
            return false
        }
    }

    mutating func emitVFP(_ i: Int, _ d: DecodedInstruction) {
        let op = A32Op.fromDecoded(d.op)
        let o = VFPOperands(d)
        let slow = a.newLabel()
        var usesSlow = true
        switch op {
        case .vldr, .vstr: emitVFPLoadStore(i, o, load: op == .vldr, slow: slow)
        case .vldm, .vstm: emitVFPLoadStoreMultiple(o, load: op == .vldm, slow: slow)
        case .vmovReg, .vabs, .vneg, .vmovImm: emitVFPMove(op, o, slow: slow)
        case .vcmp, .vcmpe, .vcmpZero, .vcmpeZero: emitVFPCompare(op, o, slow: slow)
        case .vcvtF64F32, .vcvtF32F64, .vcvtFromInt, .vcvtToInt: usesSlow = emitVFPConvert(op, o, slow: slow)
        case .vmrsFPSCR, .vmsrFPSCR, .vmovCoreToSingle, .vmovSingleToCore, .vmovScalarToCore, .vmovCoreToScalar,
             .vmovSinglePairToCore, .vmovCoreToSinglePair, .vmovDoubleToCore, .vmovCoreToDouble:
            emitVFPTransfer(op, o)
            usesSlow = false
        default: emitVFPArithmetic(op, o, slow: slow)
        }
        guard usesSlow else { return }
        let done = a.newLabel()
        a.jmp(done)
        a.bind(slow)
        emitInterpreterCall(i, d, endsBlock: false)
        a.bind(done)
    }

    /// Jumps to `slow` unless FPSCR & `mask` == `value`.
    private mutating func emitFPSCRCheck(mask: UInt32, value: UInt32, slow: Label) {
        a.mov(.dword, .rax, Self.fpscr)
        a.alu(.and, .dword, .rax, imm: Int32(bitPattern: mask))
        a.alu(.cmp, .dword, .rax, imm: Int32(bitPattern: value))
        a.jcc(.ne, slow)
    }

    /// When a zero result is exact, so that neither architecture raises a
    /// flag for it: a sum, difference or square root is zero only exactly
    /// (both have gradual underflow, so a tiny sum is representable); a
    /// product, quotient or narrowing is, when an operand named here (a
    /// guest register not yet overwritten) is ±0; otherwise it underflowed.
    enum ZeroResult {
        case always
        case ifOperandZero([Int])
        /// VNMLA: ARM sums the negated operands, so an exact cancellation
        /// gives +0, where negating the sum would give -0.
        case never
    }

    /// Jumps to `slow` unless `x` holds a normal number whose exponent is
    /// above the smallest normal one's (not tiny, infinite or NaN) or a zero
    /// that `zero` says is exact.
    private mutating func emitResultCheck(_ x: XMM, double: Bool, zero: ZeroResult, slow: Label) {
        let ok = a.newLabel(), isZero = a.newLabel()
        if double {
            a.movq(.rcx, x)
            a.alu(.add, .qword, .rcx, .rcx)   // drops the sign
            a.jcc(.e, isZero)
            a.shift(.shr, .qword, .rcx, imm: 53)
            a.alu(.sub, .dword, .rcx, imm: 2)
            a.alu(.cmp, .dword, .rcx, imm: 0x7FC)
        } else {
            a.movd(.rcx, x)
            a.alu(.add, .dword, .rcx, .rcx)
            a.jcc(.e, isZero)
            a.shift(.shr, .dword, .rcx, imm: 24)
            a.alu(.sub, .dword, .rcx, imm: 2)
            a.alu(.cmp, .dword, .rcx, imm: 0xFC)
        }
        a.jcc(.a, slow)
        a.jmp(ok)
        a.bind(isZero)
        switch zero {
        case .always:
            break
        case .never:
            a.jmp(slow)
        case let .ifOperandZero(operands):
            for n in operands {
                if double {
                    a.mov(.qword, .rcx, dReg(n))
                    a.alu(.add, .qword, .rcx, .rcx)
                } else {
                    a.mov(.dword, .rcx, sReg(n))
                    a.alu(.add, .dword, .rcx, .rcx)
                }
                a.jcc(.e, ok)
            }
            a.jmp(slow)
        }
        a.bind(ok)
    }

    private mutating func loadFP(_ x: XMM, _ n: Int, _ double: Bool) {
        if double { a.movsd(x, dReg(n)) } else { a.movss(x, sReg(n)) }
    }

    private mutating func storeFP(_ n: Int, _ x: XMM, _ double: Bool) {
        if double { a.movsd(dReg(n), x) } else { a.movss(sReg(n), x) }
    }

    /// The sign bit of `x` flipped, stored to register `n`.
    private mutating func storeNegatedFP(_ n: Int, _ x: XMM, _ double: Bool) {
        if double {
            a.movq(.rax, x)
            a.mov(.rcx, imm64: 1 << 63)
            a.alu(.xor, .qword, .rax, .rcx)
            a.mov(.qword, dReg(n), .rax)
        } else {
            a.movd(.rax, x)
            a.alu(.xor, .dword, .rax, imm: Int32(bitPattern: 0x8000_0000))
            a.mov(.dword, sReg(n), .rax)
        }
    }

    private enum SSEOp { case add, sub, mul, div, sqrt }

    private mutating func sse(_ op: SSEOp, _ d: XMM, _ s: XMM, _ double: Bool) {
        switch (op, double) {
        case (.add, true): a.addsd(d, s)
        case (.add, false): a.addss(d, s)
        case (.sub, true): a.subsd(d, s)
        case (.sub, false): a.subss(d, s)
        case (.mul, true): a.mulsd(d, s)
        case (.mul, false): a.mulss(d, s)
        case (.div, true): a.divsd(d, s)
        case (.div, false): a.divss(d, s)
        case (.sqrt, true): a.sqrtsd(d, s)
        case (.sqrt, false): a.sqrtss(d, s)
        }
    }

    /// VADD VSUB VMUL VNMUL VDIV VSQRT and the chained (not fused)
    /// multiply-accumulates, whose product is checked like a result (ARM
    /// raises its flags too). x - y is x + (-y), and rounding to nearest is
    /// symmetric, so the negated forms negate exact-rounded results.
    private mutating func emitVFPArithmetic(_ op: A32Op, _ o: VFPOperands, slow: Label) {
        let dp = o.isDouble
        emitFPSCRCheck(mask: Self.arithmeticMask, value: FPSCRBit.ixc, slow: slow)
        loadFP(.xmm0, op == .vsqrt ? o.m : o.n, dp)
        if op != .vsqrt { loadFP(.xmm1, o.m, dp) }
        switch op {
        case .vadd: sse(.add, .xmm0, .xmm1, dp)
        case .vsub: sse(.sub, .xmm0, .xmm1, dp)
        case .vmul, .vnmul: sse(.mul, .xmm0, .xmm1, dp)
        case .vdiv: sse(.div, .xmm0, .xmm1, dp)
        case .vsqrt: sse(.sqrt, .xmm0, .xmm0, dp)
        default:   // VMLA VMLS VNMLA VNMLS: the product, then the accumulation
            sse(.mul, .xmm0, .xmm1, dp)
            emitResultCheck(.xmm0, double: dp, zero: .ifOperandZero([o.n, o.m]), slow: slow)
            loadFP(.xmm1, o.d, dp)
            switch op {
            case .vmla, .vnmla: sse(.add, .xmm1, .xmm0, dp)   // d + p; VNMLA: -(d + p)
            case .vmls: sse(.sub, .xmm1, .xmm0, dp)            // d - p
            default: sse(.sub, .xmm0, .xmm1, dp)               // VNMLS: p - d
            }
            let result: XMM = op == .vnmls ? .xmm0 : .xmm1
            emitResultCheck(result, double: dp, zero: op == .vnmla ? .never : .always, slow: slow)
            if op == .vnmla { storeNegatedFP(o.d, result, dp) } else { storeFP(o.d, result, dp) }
            return
        }
        let zero: ZeroResult
        switch op {
        case .vmul, .vnmul: zero = .ifOperandZero([o.n, o.m])
        case .vdiv: zero = .ifOperandZero([o.n])
        default: zero = .always   // VADD VSUB VSQRT
        }
        emitResultCheck(.xmm0, double: dp, zero: zero, slow: slow)
        if op == .vnmul { storeNegatedFP(o.d, .xmm0, dp) } else { storeFP(o.d, .xmm0, dp) }
    }

    /// VMOV (register, immediate), VABS, VNEG: bit operations (no FPSCR
    /// flags); short vectors make them UNDEFINED, so Len/Stride are checked.
    private mutating func emitVFPMove(_ op: A32Op, _ o: VFPOperands, slow: Label) {
        let dp = o.isDouble
        a.test(.dword, Self.fpscr, imm: Int32(FPSCRBit.lenStride))
        a.jcc(.ne, slow)
        if op == .vmovImm {
            let v = Core.vfpExpandImmediate(UInt64(o.a), dp ? .double : .single)
            if dp {
                a.mov(.rax, imm64: v)
                a.mov(.qword, dReg(o.d), .rax)
            } else {
                a.mov(.dword, sReg(o.d), imm: Int32(bitPattern: UInt32(truncatingIfNeeded: v)))
            }
            return
        }
        if dp {
            a.mov(.qword, .rax, dReg(o.m))
            if op != .vmovReg {
                a.mov(.rcx, imm64: op == .vabs ? ~(1 << 63) : 1 << 63)
                a.alu(op == .vabs ? .and : .xor, .qword, .rax, .rcx)
            }
            a.mov(.qword, dReg(o.d), .rax)
        } else {
            a.mov(.dword, .rax, sReg(o.m))
            if op == .vabs { a.alu(.and, .dword, .rax, imm: 0x7FFF_FFFF) }
            if op == .vneg { a.alu(.xor, .dword, .rax, imm: Int32(bitPattern: 0x8000_0000)) }
            a.mov(.dword, sReg(o.d), .rax)
        }
    }

    /// VCMP/VCMPE (also with #0.0) of ordered operands: NZCV into FPSCR.
    /// Unordered ones (NaNs, which may raise IOC) go to the interpreter;
    /// flush-to-zero would flush denormal inputs and raise IDC.
    private mutating func emitVFPCompare(_ op: A32Op, _ o: VFPOperands, slow: Label) {
        let dp = o.isDouble
        emitFPSCRCheck(mask: FPSCRBit.fz, value: 0, slow: slow)
        loadFP(.xmm0, o.d, dp)
        if op == .vcmpZero || op == .vcmpeZero {
            a.alu(.xor, .dword, .rax, .rax)
            a.movq(.xmm1, .rax)
        } else {
            loadFP(.xmm1, o.m, dp)
        }
        if dp { a.ucomisd(.xmm0, .xmm1) } else { a.ucomiss(.xmm0, .xmm1) }
        a.jcc(.p, slow)
        a.mov(.rax, imm32: 0x6000_0000)   // equal: Z C
        a.mov(.rcx, imm32: 0x8000_0000)   // less: N
        a.cmov(.b, .dword, .rax, .rcx)
        a.mov(.rcx, imm32: 0x2000_0000)   // greater: C
        a.cmov(.a, .dword, .rax, .rcx)
        a.mov(.dword, .rcx, Self.fpscr)
        a.alu(.and, .dword, .rcx, imm: 0x0FFF_FFFF)
        a.alu(.or, .dword, .rcx, .rax)
        a.mov(.dword, Self.fpscr, .rcx)
    }

    /// VCVT between single and double and between float and 32-bit
    /// integer. Returns whether it needs the slow path.
    private mutating func emitVFPConvert(_ op: A32Op, _ o: VFPOperands, slow: Label) -> Bool {
        let dp = o.isDouble
        let unsigned = o.has(VFPOperands.Flag.unsigned)
        switch op {
        case .vcvtF64F32:   // exact: only NaNs and zeros need the interpreter's care
            emitFPSCRCheck(mask: FPSCRBit.fz | FPSCRBit.dn, value: 0, slow: slow)
            a.movss(.xmm0, sReg(o.m))
            a.cvtss2sd(.xmm0, .xmm0)
            emitResultCheck(.xmm0, double: true, zero: .always, slow: slow)
            a.movsd(dReg(o.d), .xmm0)
        case .vcvtF32F64:
            emitFPSCRCheck(mask: Self.arithmeticMask, value: FPSCRBit.ixc, slow: slow)
            a.movsd(.xmm0, dReg(o.m))
            a.cvtsd2ss(.xmm0, .xmm0)
            emitResultCheck(.xmm0, double: false, zero: .ifOperandZero([]), slow: slow)
            a.movss(sReg(o.d), .xmm0)
        case .vcvtFromInt:
            // To double: exact, no flags. To single: rounded.
            if !dp { emitFPSCRCheck(mask: Self.arithmeticMask, value: FPSCRBit.ixc, slow: slow) }
            if unsigned { a.mov(.dword, .rax, sReg(o.m)) } else { a.movsxd(.rax, sReg(o.m)) }
            if dp {
                a.cvtsi2sd(.xmm0, .rax)
                a.movsd(dReg(o.d), .xmm0)
                return false
            }
            a.cvtsi2ss(.xmm0, .rax)
            a.movss(sReg(o.d), .xmm0)
        default:   // .vcvtToInt: in range, the rounded value; else saturation and IOC
            let towardsZero = o.has(VFPOperands.Flag.roundTowardsZero)
            let mask = FPSCRBit.fz | FPSCRBit.ixc | (towardsZero ? 0 : 3 << FPSCRBit.rmodeShift)
            emitFPSCRCheck(mask: mask, value: FPSCRBit.ixc, slow: slow)
            loadFP(.xmm0, o.m, dp)
            switch (dp, towardsZero) {
            case (true, true): a.cvttsd2si(.rax, .xmm0)
            case (true, false): a.cvtsd2si(.rax, .xmm0)
            case (false, true): a.cvttss2si(.rax, .xmm0)
            case (false, false): a.cvtss2si(.rax, .xmm0)
            }
            if unsigned {
                a.mov(.qword, .rcx, .rax)
                a.shift(.shr, .qword, .rcx, imm: 32)
            } else {
                a.movsxd(.rcx, .rax)
                a.alu(.cmp, .qword, .rcx, .rax)
            }
            a.jcc(.ne, slow)
            a.mov(.dword, sReg(o.d), .rax)
        }
        return true
    }

    /// VMRS/VMSR of the FPSCR and VMOV between core and extension
    /// registers: plain moves.
    private mutating func emitVFPTransfer(_ op: A32Op, _ o: VFPOperands) {
        let t = o.n, t2 = o.m
        switch op {
        case .vmrsFPSCR:
            a.mov(.dword, .rax, Self.fpscr)
            guard t == 15 else { a.mov(.dword, ABI.reg(t), .rax); return }
            // APSR_nzcv, FPSCR: the flags in the state's form (setNZCV).
            a.mov(.dword, .rcx, .rax)
            a.alu(.and, .dword, .rcx, imm: Int32(bitPattern: 0x8000_0000))
            a.mov(.dword, ABI.nf, .rcx)
            a.alu(.xor, .dword, .rcx, .rcx)
            a.test(.dword, .rax, imm: 0x4000_0000)
            a.setcc(.e, .rcx)
            a.mov(.dword, ABI.zf, .rcx)
            a.mov(.dword, .rcx, .rax)
            a.shift(.shr, .dword, .rcx, imm: 29)
            a.alu(.and, .dword, .rcx, imm: 1)
            a.mov(.dword, ABI.cf, .rcx)
            a.shift(.shl, .dword, .rax, imm: 3)
            a.alu(.and, .dword, .rax, imm: Int32(bitPattern: 0x8000_0000))
            a.mov(.dword, ABI.vf, .rax)
        case .vmsrFPSCR:
            a.mov(.dword, .rax, ABI.reg(t))
            a.alu(.and, .dword, .rax, imm: Int32(bitPattern: FPSCRBit.writable))
            a.mov(.dword, Self.fpscr, .rax)
        case .vmovCoreToSingle:
            a.mov(.dword, .rax, ABI.reg(t)); a.mov(.dword, sReg(o.d), .rax)
        case .vmovSingleToCore:
            a.mov(.dword, .rax, sReg(o.d)); a.mov(.dword, ABI.reg(t), .rax)
        case .vmovScalarToCore:
            a.mov(.dword, .rax, dReg(o.d, plus: Int32(4 * o.a))); a.mov(.dword, ABI.reg(t), .rax)
        case .vmovCoreToScalar:
            a.mov(.dword, .rax, ABI.reg(t)); a.mov(.dword, dReg(o.d, plus: Int32(4 * o.a)), .rax)
        case .vmovSinglePairToCore:
            a.mov(.dword, .rax, sReg(o.d)); a.mov(.dword, ABI.reg(t), .rax)
            a.mov(.dword, .rax, sReg(o.d + 1)); a.mov(.dword, ABI.reg(t2), .rax)
        case .vmovCoreToSinglePair:
            a.mov(.dword, .rax, ABI.reg(t)); a.mov(.dword, sReg(o.d), .rax)
            a.mov(.dword, .rax, ABI.reg(t2)); a.mov(.dword, sReg(o.d + 1), .rax)
        case .vmovDoubleToCore:
            a.mov(.dword, .rax, dReg(o.d)); a.mov(.dword, ABI.reg(t), .rax)
            a.mov(.dword, .rax, dReg(o.d, plus: 4)); a.mov(.dword, ABI.reg(t2), .rax)
        default:   // .vmovCoreToDouble
            a.mov(.dword, .rax, ABI.reg(t)); a.mov(.dword, dReg(o.d), .rax)
            a.mov(.dword, .rax, ABI.reg(t2)); a.mov(.dword, dReg(o.d, plus: 4), .rax)
        }
    }

    /// VLDR/VSTR through the inline software-TLB check (word-aligned, one page).
    private mutating func emitVFPLoadStore(_ i: Int, _ o: VFPOperands, load: Bool, slow: Label) {
        let dp = o.isDouble
        let offset = UInt32(o.a) << 2
        let up = o.has(VFPOperands.Flag.add)
        if o.n == 15 {   // Align(PC, 4) +/- offset: a constant
            let base = (pcOf(i) &+ pcReadOffset) & ~3
            a.mov(ABI.address, imm32: up ? base &+ offset : base &- offset)
        } else {
            a.mov(.dword, ABI.address, ABI.reg(o.n))
            if offset != 0 { a.alu(up ? .add : .sub, .dword, ABI.address, imm: Int32(offset)) }
        }
        emitWordAlignedTLBLookup(bytes: dp ? 8 : 4, isLoad: load, slow: slow)
        let w: Width = dp ? .qword : .dword
        if load {
            a.mov(w, .rcx, .base(.rax, 0))
            a.mov(w, fpReg(o.d, dp), .rcx)
        } else {
            a.mov(w, .rcx, fpReg(o.d, dp))
            a.mov(w, .base(.rax, 0), .rcx)
        }
    }

    /// VLDM/VSTM (VPUSH/VPOP) through the inline check of the whole range;
    /// the base is written back after the transfers, as the interpreter does.
    private mutating func emitVFPLoadStoreMultiple(_ o: VFPOperands, load: Bool, slow: Label) {
        let dp = o.isDouble
        let count = o.m, offset = Int32(o.a) << 2
        let up = o.has(VFPOperands.Flag.add)
        a.mov(.dword, ABI.address, ABI.reg(o.n))
        if !up { a.alu(.sub, .dword, ABI.address, imm: offset) }
        let size: Int32 = dp ? 8 : 4
        emitWordAlignedTLBLookup(bytes: size * Int32(count), isLoad: load, slow: slow)
        let w: Width = dp ? .qword : .dword
        for k in 0..<count {
            let at = Memory.base(.rax, size * Int32(k))
            if load {
                a.mov(w, .rcx, at)
                a.mov(w, fpReg(o.d + k, dp), .rcx)
            } else {
                a.mov(w, .rcx, fpReg(o.d + k, dp))
                a.mov(w, at, .rcx)
            }
        }
        if o.has(VFPOperands.Flag.writeback) { a.alu(up ? .add : .sub, .dword, ABI.reg(o.n), imm: offset) }
    }
}
