/// A32 single loads and stores: word/byte, halfword/signed/dual, exclusives, SWP.
extension Core {
    /// Address, writeback value and privilege of an addressing mode.
    @inline(__always) func addressing(_ raw: UInt32, offset: UInt32) -> (addr: UInt32, wb: UInt32, writeback: Bool, unpriv: Bool) {
        let base = r[Int((raw >> 16) & 0xF)]
        let p = raw & (1 << 24) != 0, u = raw & (1 << 23) != 0, w = raw & (1 << 21) != 0
        let offsetAddr = u ? base &+ offset : base &- offset
        return (p ? offsetAddr : base, offsetAddr, !p || w, !p && w && mode != .user)
    }

    /// LDR/STR/LDRB/STRB with immediate or register offset (and the T forms).
    @inline(never) func executeLoadStoreWordByte(_ op: A32Op, _ d: DecodedInstruction) throws(CPUException) {
        let raw = d.raw
        let offset: UInt32
        switch op {
        case .ldrImm, .strImm, .ldrbImm, .strbImm: offset = d.imm
        default: offset = shiftNoCarry(r[Int(raw & 0xF)], type: (raw >> 5) & 3, amount: (raw >> 7) & 0x1F)
        }
        let a = addressing(raw, offset: offset)
        let rn = Int((raw >> 16) & 0xF), rt = Int((raw >> 12) & 0xF)
        switch op {
        case .ldrImm, .ldrReg, .ldrbImm, .ldrbReg:
            let byte = op == .ldrbImm || op == .ldrbReg
            let v = byte ? try read8(a.addr, unprivileged: a.unpriv) : try read32(a.addr, unprivileged: a.unpriv)
            if a.writeback && rn != 15 { r[rn] = a.wb }
            if rt == 15 { loadWritePC(v) } else { r[rt] = v }
        default:
            let v = r[rt]   // R15 reads as the instruction address + 8
            if op == .strbImm || op == .strbReg {
                try write8(a.addr, v, unprivileged: a.unpriv)
            } else {
                try write32(a.addr, v, unprivileged: a.unpriv)
            }
            if a.writeback && rn != 15 { r[rn] = a.wb }
        }
    }

    /// LDRH/STRH/LDRSB/LDRSH/LDRD/STRD (and the unprivileged halfword forms).
    @inline(never) func executeExtraLoadStore(_ op: A32Op, _ d: DecodedInstruction) throws(CPUException) {
        let raw = d.raw
        let offset = raw & (1 << 22) != 0 ? d.imm : r[Int(raw & 0xF)]
        var a = addressing(raw, offset: offset)
        let rn = Int((raw >> 16) & 0xF), rt = Int((raw >> 12) & 0xF)
        switch op {
        case .ldrh, .ldrsb, .ldrsh:
            var v: UInt32
            switch op {
            case .ldrh: v = try read16(a.addr, unprivileged: a.unpriv)
            case .ldrsb: v = UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: try read8(a.addr, unprivileged: a.unpriv))))
            default: v = UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: try read16(a.addr, unprivileged: a.unpriv))))
            }
            if a.writeback && rn != 15 { r[rn] = a.wb }
            if rt == 15 { loadWritePC(v) } else { r[rt] = v }
        case .strh:
            try write16(a.addr, r[rt], unprivileged: a.unpriv)
            if a.writeback && rn != 15 { r[rn] = a.wb }
        default:
            // LDRD/STRD: Rt must be even; the P=0,W=1 form is UNPREDICTABLE and
            // treated as post-indexed here.
            if rt & 1 != 0 || rt == 14 { throw .undefined }
            a.unpriv = false
            try requireAlignment(a.addr, 4, write: op == .strd)
            if op == .ldrd {
                let lo = try read32(a.addr)
                let hi = try read32(a.addr &+ 4)
                if a.writeback && rn != 15 { r[rn] = a.wb }
                r[rt] = lo; r[rt + 1] = hi
            } else {
                let lo = r[rt], hi = r[rt + 1]
                // Probe the second word first so a fault leaves memory unchanged.
                _ = try translateForStore(a.addr &+ 4)
                try write32(a.addr, lo)
                try write32(a.addr &+ 4, hi)
                if a.writeback && rn != 15 { r[rn] = a.wb }
            }
        }
    }

    /// Checks that a store to `va` would not fault.
    @inline(__always) func translateForStore(_ va: UInt32) throws(CPUException) -> UInt64 {
        let e = softTLB.current + Int((va >> 12) & 0xFF)
        if e.pointee.writeTag == va & 0xFFFF_F000 { return 0 }
        return try translateAddress(va, .write, unprivileged: false).pa
    }

    /// LDREX{B,H,D} / STREX{B,H,D}.
    @inline(never) func executeExclusive(_ op: A32Op, _ raw: UInt32) throws(CPUException) {
        let addr = r[Int((raw >> 16) & 0xF)]
        let rt = Int(op == .ldrex || op == .ldrexb || op == .ldrexh || op == .ldrexd ? (raw >> 12) & 0xF : raw & 0xF)
        let rd = Int((raw >> 12) & 0xF)
        switch op {
        case .ldrex:
            try requireAlignment(addr, 4, write: false)
            let v = try read32(addr)
            try markExclusive(addr, value: UInt64(bigEndian ? v.byteSwapped : v))
            r[rt] = v
        case .ldrexb:
            let v = try read8(addr)
            try markExclusive(addr, value: UInt64(v))
            r[rt] = v
        case .ldrexh:
            try requireAlignment(addr, 2, write: false)
            let v = try read16(addr)
            try markExclusive(addr, value: UInt64(bigEndian ? UInt32(UInt16(truncatingIfNeeded: v).byteSwapped) : v))
            r[rt] = v
        case .ldrexd:
            if rt & 1 != 0 || rt == 14 { throw .undefined }
            try requireAlignment(addr, 8, write: false)
            let lo = try read32(addr), hi = try read32(addr &+ 4)
            let mem = bigEndian ? UInt64(lo.byteSwapped) | UInt64(hi.byteSwapped) << 32 : UInt64(lo) | UInt64(hi) << 32
            try markExclusive(addr, value: mem)
            r[rt] = lo; r[rt + 1] = hi
        case .strex:
            try requireAlignment(addr, 4, write: true)
            let v = r[rt]
            r[rd] = try storeExclusive(addr, size: 4, value: UInt64(bigEndian ? v.byteSwapped : v))
        case .strexb:
            r[rd] = try storeExclusive(addr, size: 1, value: UInt64(r[rt] & 0xFF))
        case .strexh:
            try requireAlignment(addr, 2, write: true)
            let v = UInt16(truncatingIfNeeded: r[rt])
            r[rd] = try storeExclusive(addr, size: 2, value: UInt64(bigEndian ? v.byteSwapped : v))
        default: // STREXD
            if rt & 1 != 0 || rt == 14 { throw .undefined }
            try requireAlignment(addr, 8, write: true)
            let lo = r[rt], hi = r[rt + 1]
            let mem = bigEndian ? UInt64(lo.byteSwapped) | UInt64(hi.byteSwapped) << 32 : UInt64(lo) | UInt64(hi) << 32
            r[rd] = try storeExclusive(addr, size: 8, value: mem)
        }
    }

    /// SWP/SWPB (UNDEFINED unless SCTLR.SW enables them).
    @inline(never) func executeSwap(_ raw: UInt32) throws(CPUException) {
        if sys.sctlr & (1 << 10) == 0 { throw .undefined }
        let addr = r[Int((raw >> 16) & 0xF)]
        let rt = Int((raw >> 12) & 0xF), rt2 = Int(raw & 0xF)
        if raw & (1 << 22) != 0 {
            let old = try read8(addr)
            try write8(addr, r[rt2])
            r[rt] = old
        } else {
            try requireAlignment(addr, 4, write: false)
            let old = try read32(addr)
            try write32(addr, r[rt2])
            r[rt] = old
        }
    }
}
