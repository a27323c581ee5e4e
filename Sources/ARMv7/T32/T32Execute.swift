/// Thumb-only operations. A decoded slot holds one as
/// `op = Core.thumbOpBase | T32Special.flag | rawValue`; the layout of its
/// `raw` and `imm` is given per case (where an A32 form exists, `raw` is it).
enum T32Special: UInt16, CaseIterable {
    /// IT: `imm` = firstcond:mask, the new ITSTATE.
    case it = 0
    /// BL: LR = next instruction | 1, PC = R15 + `imm`.
    case bl
    /// BLX (immediate): LR = next | 1, ARM state, PC = R15 + `imm` (the
    /// Align(PC, 4) of the target is folded into `imm` at decode time).
    case blxImm
    /// BLX Rm: `raw` = the A32 BLX (register); LR = next | 1.
    case blxReg
    /// CBZ / CBNZ: `raw` bits 2:0 = Rn, `imm` = offset from R15.
    case cbz, cbnz
    /// TBB / TBH: `raw` bits 19:16 = Rn, 3:0 = Rm.
    case tbb, tbh
    /// SUBS PC, LR, #imm8 with imm8 != 0: `raw` = the A32 SUBS PC, LR, #imm8.
    case subsPCLR
    /// ORN{S}: `raw` = the A32 ORR{S} with the same fields (immediate form:
    /// constant in `imm`, carry-out in `extra` bit 0; or shifted register);
    /// the second operand is inverted.
    case ornImm, ornReg
    /// LDRD / STRD: `raw` P, U, W at A32 bits 24, 23, 21; Rn 19:16; Rt 15:12;
    /// Rt2 11:8 (any register, unlike A32); `imm` = offset. Rn = PC uses Align(PC, 4).
    case ldrd, strd
    /// LDREXD / STREXD: `raw` Rn 19:16, Rt 15:12, Rt2 11:8, Rd (status) 3:0.
    case ldrexd, strexd
    /// LDREX / STREX with a nonzero offset: `raw` = the A32 LDREX/STREX, `imm` = offset.
    case ldrex, strex
    /// LDRT STRT LDRBT STRBT LDRHT STRHT LDRSBT LDRSHT (offset addressing, no
    /// writeback, unlike A32): `raw` bit 20 = load, Rn 19:16, Rt 15:12,
    /// size 9:8 (0 byte, 1 halfword, 2 word), bit 4 = signed; `imm` = offset.
    case loadStoreUnprivileged
    /// LDRH LDRSB LDRSH STRH [Rn, Rm, LSL #1-3] (A32 has no shifted form):
    /// `raw` bit 20 = load, Rn 19:16, Rt 15:12, shift 8:7, sh 6:5 as in A32, Rm 3:0.
    case loadStoreExtraShifted
    /// 16-bit WFI / WFE (HSR.IL = 0 when trapped to Hyp).
    case wfi16, wfe16

    static let flag: UInt16 = 0x4000

    /// Raw values equal declaration order (the enum's tag), so this is a byte move.
    @inline(__always) static func fromDecoded(_ raw: UInt16) -> T32Special {
        unsafeBitCast(UInt8(truncatingIfNeeded: raw), to: T32Special.self)
    }
}

extension Core {
    /// ITAdvance (ARM ARM A2.5.2).
    @inline(__always) static func itAdvance(_ it: UInt32) -> UInt32 {
        it & 7 == 0 ? 0 : (it & 0xE0) | ((it << 1) & 0x1F)
    }

    /// Executes one decoded T32 instruction.
    @_transparent func executeT32(_ d: DecodedInstruction) throws(CPUException) {
        if d.op & T32Special.flag == 0 {
            var a = d
            // The A32 handlers see only A32 bits (carry-out, VFPOperands flags),
            // not the T32 decoder's bits 6 and 7.
            a.extra &= 0x3F
            try executeA32(a)
        } else {
            try executeT32Special(d)
        }
    }

    @inline(never) func executeT32Special(_ d: DecodedInstruction) throws(CPUException) {
        let raw = d.raw
        switch T32Special.fromDecoded(d.op) {
        case .it:
            itState = d.imm
        case .bl:
            r[14] = nextPC | 1
            nextPC = r[15] &+ d.imm
        case .blxImm:
            r[14] = nextPC | 1
            thumb = false
            nextPC = r[15] &+ d.imm
        case .blxReg:
            let target = r[Int(raw & 0xF)]
            r[14] = nextPC | 1
            bxWritePC(target)
        case .cbz:
            if r[Int(raw & 7)] == 0 { nextPC = r[15] &+ d.imm }
        case .cbnz:
            if r[Int(raw & 7)] != 0 { nextPC = r[15] &+ d.imm }
        case .tbb, .tbh:
            let base = r[Int((raw >> 16) & 0xF)], index = r[Int(raw & 0xF)]
            let offset = d.op & 0xFF == T32Special.tbb.rawValue
                ? try read8(base &+ index) : try read16(base &+ (index << 1))
            nextPC = r[15] &+ (offset << 1)
        case .subsPCLR:
            // In Hyp mode only ERET (imm8 = 0) is allowed.
            if mode == .hyp { throw .undefined }
            try exceptionReturn(to: r[14] &- d.imm, spsr: spsr)
        case .ornImm:
            let carry = d.extra & 1 != 0 ? d.imm >> 31 : cf
            try dataProcessing(raw, ~d.imm, carry)
        case .ornReg:
            let (v, carry) = shiftByImmediate(r[Int(raw & 0xF)], type: (raw >> 5) & 3, amount: (raw >> 7) & 0x1F)
            try dataProcessing(raw, ~v, carry)
        case .ldrd, .strd:
            try executeT32LoadStoreDual(d)
        case .ldrexd, .strexd, .ldrex, .strex:
            try executeT32Exclusive(d)
        case .loadStoreUnprivileged, .loadStoreExtraShifted:
            try executeT32LoadStoreSingle(d)
        case .wfi16:
            try executeWait(0, isWFE: false, cond: d.cond)
        case .wfe16:
            try executeWait(0, isWFE: true, cond: d.cond)
        }
    }

    /// LDRD / STRD (immediate and literal) with any Rt2.
    func executeT32LoadStoreDual(_ d: DecodedInstruction) throws(CPUException) {
        let raw = d.raw
        let load = d.op & 0xFF == T32Special.ldrd.rawValue
        let rn = Int((raw >> 16) & 0xF), rt = Int((raw >> 12) & 0xF), rt2 = Int((raw >> 8) & 0xF)
        let p = raw & (1 << 24) != 0, u = raw & (1 << 23) != 0, w = raw & (1 << 21) != 0
        let base = rn == 15 ? r[15] & ~3 : r[rn]
        let offsetAddr = u ? base &+ d.imm : base &- d.imm
        let addr = p ? offsetAddr : base
        try requireAlignment(addr, 4, write: !load)
        if load {
            let lo = try read32(addr)
            let hi = try read32(addr &+ 4)
            if w { r[rn] = offsetAddr }
            r[rt] = lo; r[rt2] = hi
        } else {
            let lo = r[rt], hi = r[rt2]
            // Probe the second word first so a fault leaves memory unchanged.
            _ = try translateForStore(addr &+ 4)
            try write32(addr, lo)
            try write32(addr &+ 4, hi)
            if w { r[rn] = offsetAddr }
        }
    }

    /// LDREXD / STREXD with any Rt2, and LDREX / STREX with an offset.
    func executeT32Exclusive(_ d: DecodedInstruction) throws(CPUException) {
        let raw = d.raw
        let rn = Int((raw >> 16) & 0xF)
        switch T32Special.fromDecoded(d.op) {
        case .ldrex:
            let addr = r[rn] &+ d.imm
            try requireAlignment(addr, 4, write: false)
            let v = try read32(addr)
            try markExclusive(addr, value: UInt64(bigEndian ? v.byteSwapped : v))
            r[Int((raw >> 12) & 0xF)] = v
        case .strex:
            let addr = r[rn] &+ d.imm
            try requireAlignment(addr, 4, write: true)
            let v = r[Int(raw & 0xF)]
            r[Int((raw >> 12) & 0xF)] = try storeExclusive(addr, size: 4, value: UInt64(bigEndian ? v.byteSwapped : v))
        case .ldrexd:
            let addr = r[rn]
            try requireAlignment(addr, 8, write: false)
            let lo = try read32(addr), hi = try read32(addr &+ 4)
            let mem = bigEndian ? UInt64(lo.byteSwapped) | UInt64(hi.byteSwapped) << 32 : UInt64(lo) | UInt64(hi) << 32
            try markExclusive(addr, value: mem)
            r[Int((raw >> 12) & 0xF)] = lo
            r[Int((raw >> 8) & 0xF)] = hi
        default: // STREXD
            let addr = r[rn]
            try requireAlignment(addr, 8, write: true)
            let lo = r[Int((raw >> 12) & 0xF)], hi = r[Int((raw >> 8) & 0xF)]
            let mem = bigEndian ? UInt64(lo.byteSwapped) | UInt64(hi.byteSwapped) << 32 : UInt64(lo) | UInt64(hi) << 32
            r[Int(raw & 0xF)] = try storeExclusive(addr, size: 8, value: mem)
        }
    }

    /// The unprivileged (T) loads and stores and the shifted-register
    /// halfword / signed forms.
    func executeT32LoadStoreSingle(_ d: DecodedInstruction) throws(CPUException) {
        let raw = d.raw
        let load = raw & (1 << 20) != 0
        let rn = Int((raw >> 16) & 0xF), rt = Int((raw >> 12) & 0xF)
        let size: UInt32, signed: Bool, addr: UInt32, unpriv: Bool
        if d.op & 0xFF == T32Special.loadStoreUnprivileged.rawValue {
            size = (raw >> 8) & 3
            signed = raw & 0x10 != 0
            addr = r[rn] &+ d.imm
            unpriv = mode != .user
        } else {
            let sh = (raw >> 5) & 3
            size = sh == 2 ? 0 : 1
            signed = sh != 1
            addr = r[rn] &+ (r[Int(raw & 0xF)] << ((raw >> 7) & 3))
            unpriv = false
        }
        if load {
            var v: UInt32
            switch size {
            case 0:
                v = try read8(addr, unprivileged: unpriv)
                if signed { v = UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: v))) }
            case 1:
                v = try read16(addr, unprivileged: unpriv)
                if signed { v = UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: v))) }
            default:
                v = try read32(addr, unprivileged: unpriv)
            }
            r[rt] = v
        } else {
            switch size {
            case 0: try write8(addr, r[rt], unprivileged: unpriv)
            case 1: try write16(addr, r[rt], unprivileged: unpriv)
            default: try write32(addr, r[rt], unprivileged: unpriv)
            }
        }
    }
}
