import XCTest
@testable import ARMv7

/// Hand assembly of the A32 encodings the CP15/timer tests use.
enum Asm {
    /// MCR/MRC: cond 1110 opc1 L CRn Rt coproc opc2 1 CRm (coproc given first).
    static func mcr(_ cp: UInt32, _ opc1: UInt32, rt: UInt32, crn: UInt32, crm: UInt32, _ opc2: UInt32,
                    cond: UInt32 = 0xE) -> UInt32 {
        cond << 28 | 0x0E00_0010 | opc1 << 21 | crn << 16 | rt << 12 | cp << 8 | opc2 << 5 | crm
    }
    static func mrc(_ cp: UInt32, _ opc1: UInt32, rt: UInt32, crn: UInt32, crm: UInt32, _ opc2: UInt32,
                    cond: UInt32 = 0xE) -> UInt32 {
        mcr(cp, opc1, rt: rt, crn: crn, crm: crm, opc2, cond: cond) | 1 << 20
    }
    /// CP15 MCR/MRC.
    static func mcr(_ opc1: UInt32, rt: UInt32, crn: UInt32, crm: UInt32, _ opc2: UInt32,
                    cond: UInt32 = 0xE) -> UInt32 {
        mcr(15, opc1, rt: rt, crn: crn, crm: crm, opc2, cond: cond)
    }
    static func mrc(_ opc1: UInt32, rt: UInt32, crn: UInt32, crm: UInt32, _ opc2: UInt32,
                    cond: UInt32 = 0xE) -> UInt32 {
        mrc(15, opc1, rt: rt, crn: crn, crm: crm, opc2, cond: cond)
    }
    /// MCRR/MRRC: cond 1100 010 L Rt2 Rt coproc opc1 CRm.
    static func mcrr(_ cp: UInt32, _ opc1: UInt32, rt: UInt32, rt2: UInt32, crm: UInt32,
                     cond: UInt32 = 0xE) -> UInt32 {
        cond << 28 | 0x0C40_0000 | rt2 << 16 | rt << 12 | cp << 8 | opc1 << 4 | crm
    }
    static func mrrc(_ cp: UInt32, _ opc1: UInt32, rt: UInt32, rt2: UInt32, crm: UInt32,
                     cond: UInt32 = 0xE) -> UInt32 {
        mcrr(cp, opc1, rt: rt, rt2: rt2, crm: crm, cond: cond) | 1 << 20
    }
    /// CP15 MCRR/MRRC.
    static func mcrr(_ opc1: UInt32, rt: UInt32, rt2: UInt32, crm: UInt32) -> UInt32 {
        mcrr(15, opc1, rt: rt, rt2: rt2, crm: crm)
    }
    static func mrrc(_ opc1: UInt32, rt: UInt32, rt2: UInt32, crm: UInt32) -> UInt32 {
        mrrc(15, opc1, rt: rt, rt2: rt2, crm: crm)
    }
    /// MOV Rd, #imm8
    static func movImm(_ rd: UInt32, _ imm8: UInt32) -> UInt32 { 0xE3A0_0000 | rd << 12 | (imm8 & 0xFF) }
    /// B to `target` from `at`.
    static func b(from at: UInt32, to target: UInt32) -> UInt32 {
        0xEA00_0000 | ((target &- at &- 8) >> 2 & 0x00FF_FFFF)
    }
    /// CMP R0, R0 (sets Z).
    static let cmpR0R0: UInt32 = 0xE150_0000
    static let branchSelf: UInt32 = 0xEAFF_FFFE
}

/// A core with 1 MiB of RAM at 0x4000_0000, code loaded at the base, and the
/// Hyp vector table at 0x4008_0000 filled with `b .`.
final class CP15Harness {
    static let codeBase: UInt32 = 0x4000_0000
    static let hypVectors: UInt32 = 0x4008_0000
    let memory = PhysicalMemory()
    let core: Core
    /// Exceptions seen by the hook, in order.
    var exceptions: [ExceptionKind] = []
    /// When true the hook stops the run at the first exception (not entered).
    var stopAtException = true

    init() {
        try! memory.addRAM(base: 0x4000_0000, size: 0x10_0000)
        core = Core(memory: memory)
        core.sys.hvbar = CP15Harness.hypVectors
        for i in 0..<8 { poke(CP15Harness.hypVectors + UInt32(i * 4), Asm.branchSelf) }
        core.exceptionHook = { [unowned self] _, ev in
            self.exceptions.append(ev.kind)
            return self.stopAtException
        }
    }

    /// Writes a word straight into RAM (no decode invalidation).
    func poke(_ addr: UInt32, _ word: UInt32) {
        memory.hostPointer(UInt64(addr), length: 4)!.storeBytes(of: word, as: UInt32.self)
    }

    /// Loads `code` at the code base (followed by `b .`) and runs exactly
    /// `code.count` instructions (or `budget`) in `mode`.
    @discardableResult
    func run(_ code: [UInt32], mode: ProcessorMode = .supervisor, at base: UInt32 = CP15Harness.codeBase,
             budget: Int? = nil) -> CoreStopReason {
        var bytes: [UInt8] = []
        for w in code + [Asm.branchSelf] { withUnsafeBytes(of: w.littleEndian) { bytes += $0 } }
        try! memory.load(bytes, at: UInt64(base))
        core.switchMode(mode)
        core.branch(to: base, thumb: false)
        return core.run(budget: budget ?? code.count)
    }

    /// Runs one instruction and returns the exception it raised, if any.
    func exception(of word: UInt32, mode: ProcessorMode = .supervisor) -> ExceptionKind? {
        exceptions = []
        run([word], mode: mode)
        return exceptions.first
    }

    /// Runs `code` with traps entered: returns the HSR if the core ended up in
    /// Hyp mode at the trap vector, nil otherwise.
    func hypTrapSyndrome(_ code: [UInt32], mode: ProcessorMode = .supervisor) -> UInt32? {
        stopAtException = false
        defer { stopAtException = true }
        exceptions = []
        core.sys.hsr = 0xDEAD_BEEF
        run(code, mode: mode, budget: code.count + 2)
        guard core.mode == .hyp, core.pc == CP15Harness.hypVectors + 0x14 else { return nil }
        return core.sys.hsr
    }
}

/// The HSR of a trapped MCR/MRC (32-bit instruction).
func expectedHSR32(ec: UInt32 = 0x03, cond: UInt32 = 0xE, opc1: UInt32, crn: UInt32, crm: UInt32, opc2: UInt32,
                   rt: UInt32, read: Bool) -> UInt32 {
    ec << 26 | 1 << 25 | 1 << 24 | cond << 20 | opc2 << 17 | opc1 << 14 | crn << 10 | rt << 5 | crm << 1
        | (read ? 1 : 0)
}

/// The HSR of a trapped MCRR/MRRC.
func expectedHSR64(ec: UInt32 = 0x04, cond: UInt32 = 0xE, opc1: UInt32, crm: UInt32, rt: UInt32, rt2: UInt32,
                   read: Bool) -> UInt32 {
    ec << 26 | 1 << 25 | 1 << 24 | cond << 20 | opc1 << 16 | rt2 << 10 | rt << 5 | crm << 1 | (read ? 1 : 0)
}
