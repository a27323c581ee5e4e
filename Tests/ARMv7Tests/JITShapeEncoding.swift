// A32 encoders for the random block-shape programs (JITBlockShapeGenerator.swift).
// Only encodings that are architecturally defined (no UNPREDICTABLE forms),
// so the interpreter is a valid reference for the JIT.

enum ShapeAsm {
    static let al: UInt32 = 0xE
    static let condNames = ["EQ", "NE", "CS", "CC", "MI", "PL", "VS", "VC", "HI", "LS", "GE", "LT", "GT", "LE", "", ""]
    static let dpNames = ["AND", "EOR", "SUB", "RSB", "ADD", "ADC", "SBC", "RSC", "TST", "TEQ", "CMP", "CMN", "ORR", "MOV", "BIC", "MVN"]
    static let shiftNames = ["LSL", "LSR", "ASR", "ROR"]

    static func reg(_ r: UInt32) -> String { r == 13 ? "sp" : r == 14 ? "lr" : r == 15 ? "pc" : "r\(r)" }
    static func list(_ l: UInt32) -> String { "{" + (0..<16).filter { l >> $0 & 1 == 1 }.map { reg(UInt32($0)) }.joined(separator: ",") + "}" }

    /// B/BL from `at` to `to`.
    static func b(_ cond: UInt32, at: UInt32, to: UInt32, link: Bool = false) -> UInt32 {
        cond << 28 | 0x0A00_0000 | (link ? 1 << 24 : 0) | (UInt32(bitPattern: Int32(bitPattern: to &- at &- 8) >> 2) & 0xFF_FFFF)
    }

    static func movw(_ rd: UInt32, _ v: UInt32, cond: UInt32 = al) -> UInt32 {
        cond << 28 | 0x0300_0000 | (v >> 12 & 0xF) << 16 | rd << 12 | v & 0xFFF
    }

    static func movt(_ rd: UInt32, _ v: UInt32) -> UInt32 { 0xE340_0000 | (v >> 12 & 0xF) << 16 | rd << 12 | v & 0xFFF }

    /// Data processing with a rotated immediate.
    static func dpImm(_ cond: UInt32, _ op: UInt32, s: Bool, rn: UInt32, rd: UInt32, rot: UInt32, imm8: UInt32) -> UInt32 {
        cond << 28 | 1 << 25 | op << 21 | (s ? 1 << 20 : 0) | rn << 16 | rd << 12 | rot << 8 | imm8
    }

    /// Data processing with an immediate shift (ROR #0 is RRX).
    static func dpShiftImm(_ cond: UInt32, _ op: UInt32, s: Bool, rn: UInt32, rd: UInt32, rm: UInt32, type: UInt32, amount: UInt32) -> UInt32 {
        cond << 28 | op << 21 | (s ? 1 << 20 : 0) | rn << 16 | rd << 12 | amount << 7 | type << 5 | rm
    }

    /// Data processing with a register-specified shift (no PC operands).
    static func dpShiftReg(_ cond: UInt32, _ op: UInt32, s: Bool, rn: UInt32, rd: UInt32, rm: UInt32, type: UInt32, rs: UInt32) -> UInt32 {
        cond << 28 | op << 21 | (s ? 1 << 20 : 0) | rn << 16 | rd << 12 | rs << 8 | type << 5 | 1 << 4 | rm
    }

    /// LDR/STR/LDRB/STRB with a 12-bit immediate.
    static func ldrStrImm(_ cond: UInt32, load: Bool, byte: Bool, p: Bool, u: Bool, w: Bool, rn: UInt32, rt: UInt32, imm: UInt32) -> UInt32 {
        cond << 28 | 0x0400_0000 | (p ? 1 << 24 : 0) | (u ? 1 << 23 : 0) | (byte ? 1 << 22 : 0) | (w ? 1 << 21 : 0)
            | (load ? 1 << 20 : 0) | rn << 16 | rt << 12 | imm & 0xFFF
    }

    /// LDR/STR/LDRB/STRB [rn, rm] (pre-indexed, no writeback, LSL #0).
    static func ldrStrReg(_ cond: UInt32, load: Bool, byte: Bool, rn: UInt32, rt: UInt32, rm: UInt32) -> UInt32 {
        cond << 28 | 0x0780_0000 | (byte ? 1 << 22 : 0) | (load ? 1 << 20 : 0) | rn << 16 | rt << 12 | rm
    }

    /// STRH/LDRH/LDRSB/LDRSH with an 8-bit immediate; `sh` is bits 6:5 (01 H, 10 SB, 11 SH).
    static func halfImm(_ cond: UInt32, load: Bool, sh: UInt32, p: Bool, u: Bool, w: Bool, rn: UInt32, rt: UInt32, imm: UInt32) -> UInt32 {
        cond << 28 | (p ? 1 << 24 : 0) | (u ? 1 << 23 : 0) | 1 << 22 | (w ? 1 << 21 : 0) | (load ? 1 << 20 : 0)
            | rn << 16 | rt << 12 | (imm >> 4 & 0xF) << 8 | 0x90 | sh << 5 | imm & 0xF
    }

    static func ldmStm(_ cond: UInt32, load: Bool, p: Bool, u: Bool, w: Bool, rn: UInt32, list: UInt32) -> UInt32 {
        cond << 28 | 0x0800_0000 | (p ? 1 << 24 : 0) | (u ? 1 << 23 : 0) | (w ? 1 << 21 : 0) | (load ? 1 << 20 : 0) | rn << 16 | list
    }

    static func mul(_ cond: UInt32, s: Bool, rd: UInt32, rn: UInt32, rm: UInt32, ra: UInt32?) -> UInt32 {
        cond << 28 | (ra != nil ? 1 << 21 : 0) | (s ? 1 << 20 : 0) | rd << 16 | (ra ?? 0) << 12 | rm << 8 | 0x90 | rn
    }

    static func push(_ list: UInt32) -> UInt32 { 0xE92D_0000 | list }
    static func pop(_ list: UInt32) -> UInt32 { 0xE8BD_0000 | list }
    static func bx(_ rm: UInt32) -> UInt32 { 0xE12F_FF10 | rm }
    static func blx(_ rm: UInt32) -> UInt32 { 0xE12F_FF30 | rm }
    static func udf(_ imm: UInt32) -> UInt32 { 0xE7F0_00F0 | (imm >> 4 & 0xFFF) << 8 | imm & 0xF }
    static func svc(_ cond: UInt32, _ imm: UInt32) -> UInt32 { cond << 28 | 0x0F00_0000 | imm & 0xFF_FFFF }
    /// CPS #mode (privileged mode change, interrupt masks unchanged).
    static func cps(_ mode: UInt32) -> UInt32 { 0xF102_0000 | mode }
    /// MSR CPSR_f, #(nzcv << 28).
    static func msrFlags(_ nzcv: UInt32) -> UInt32 { 0xE328_F000 | 0x200 | nzcv }   // nzcv ROR 4
    static func setend(bigEndian: Bool) -> UInt32 { 0xF101_0000 | (bigEndian ? 0x200 : 0) }
    static let movsPCLR: UInt32 = 0xE1B0_F00E
    static let subsPCLR4: UInt32 = 0xE25E_F004
    static let selfLoop: UInt32 = 0xEAFF_FFFE
}
