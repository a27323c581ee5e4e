/// CP14: the v7.1 debug registers Linux touches (ARM ARM DDI0406C C6 and
/// C11, "CP14 interface"), and the trivial Jazelle registers. There is no
/// ThumbEE (TEECR/TEEHBR, opc1 6, are UNDEFINED; ID_PFR0.State3 = 0) and no
/// CP14 trace (opc1 1). Breakpoints and watchpoints are storage only: they
/// never match.

/// Debug register state (part of `SystemRegisters`).
public struct DebugRegisters: Sendable, Equatable {
    public static let breakpoints = 6
    public static let watchpoints = 4
    /// DBGDSCR bits software can write (MDBGen, HDBGen, ITRen, UDCCdis,
    /// INTdis, ExtDCCmode).
    public var dscr: UInt32 = 0
    public var vcr: UInt32 = 0
    public var bvr = InlineRegisters(count: DebugRegisters.breakpoints)
    public var bcr = InlineRegisters(count: DebugRegisters.breakpoints)
    public var wvr = InlineRegisters(count: DebugRegisters.watchpoints)
    public var wcr = InlineRegisters(count: DebugRegisters.watchpoints)
    /// The OS Lock (set by a cold reset; DBGOSLAR writes of the key set it,
    /// any other value clears it).
    public var osLock = true
    /// DBGOSDLR.DLK.
    public var osDoubleLock: UInt32 = 0
    /// DBGPRCR: CORENPDRQ and HCWR (CWRR is write-only).
    public var prcr: UInt32 = 0

    public init() {}

    /// DBGDIDR: 4 watchpoints, 6 breakpoints, 2 context-matching, v7.1 debug.
    public static let didr: UInt32 = 0x3515_F005
    static let dscrWritable: UInt32 = 0x0030_F800
    static let bcrWritable: UInt32 = 0x1F7F_E1E7
    static let wcrWritable: UInt32 = 0x1F1F_FFFF
    static let osLockKey: UInt32 = 0xC5AC_CE55
}

private let bvrNames: [StaticString] = ["DBGBVR0", "DBGBVR1", "DBGBVR2", "DBGBVR3", "DBGBVR4", "DBGBVR5"]
private let bcrNames: [StaticString] = ["DBGBCR0", "DBGBCR1", "DBGBCR2", "DBGBCR3", "DBGBCR4", "DBGBCR5"]
private let wvrNames: [StaticString] = ["DBGWVR0", "DBGWVR1", "DBGWVR2", "DBGWVR3"]
private let wcrNames: [StaticString] = ["DBGWCR0", "DBGWCR1", "DBGWCR2", "DBGWCR3"]

/// 32-bit CP14 registers, by (CRn, opc1, CRm, opc2).
let cp14Registers32: [CPRegister] = {
    var t: [CPRegister] = [
        cp32("DBGDIDR", 0, 0, 0, 0, .dbgdidr, .ro0, .tda, gate: .debugDCC, cp: 14),
        cp32("DBGDSCRint", 0, 0, 1, 0, .dbgdscrInt, .ro0, .tda, gate: .debugDCC, cp: 14),
        cp32("DBGDSCRext", 0, 0, 2, 2, .dbgdscrExt, .rw1, .tda, cp: 14),
        cp32("DBGVCR", 0, 0, 7, 0, .dbgvcr, .rw1, .tda, cp: 14),
        cp32("DBGDRAR", 1, 0, 0, 0, .dbgdrar, .ro0, .tdra, gate: .debugDCC, cp: 14),
        cp32("DBGDSAR", 2, 0, 0, 0, .dbgdsar, .ro0, .tdra, gate: .debugDCC, cp: 14),
        cp32("DBGOSLAR", 1, 0, 0, 4, .dbgoslar, .wo1, .tdosa, cp: 14),
        cp32("DBGOSLSR", 1, 0, 1, 4, .dbgoslsr, .ro1, .tdosa, cp: 14),
        cp32("DBGOSDLR", 1, 0, 3, 4, .dbgosdlr, .rw1, .tdosa, cp: 14),
        cp32("DBGPRCR", 1, 0, 4, 4, .dbgprcr, .rw1, .tdosa, cp: 14),
        cp32("DBGPRSR", 1, 0, 5, 4, .dbgprsr, .ro1, .tdosa, cp: 14),
        // Trivial Jazelle: JIDR reads zero from any mode, JOSCR/JMCR are RAZ/WI at PL1.
        cp32("JIDR", 0, 7, 0, 0, .jidr, .ro0, .tid0, cp: 14),
        cp32("JOSCR", 1, 7, 0, 0, .joscr, .rw1, .tjdbx, cp: 14),
        cp32("JMCR", 2, 7, 0, 0, .jmcr, .rw1, .tjdbx, cp: 14),
    ]
    for n in 0..<DebugRegisters.breakpoints {
        t.append(cp32(bvrNames[n], 0, 0, UInt8(n), 4, .dbgbvr, .rw1, .tda, cp: 14))
        t.append(cp32(bcrNames[n], 0, 0, UInt8(n), 5, .dbgbcr, .rw1, .tda, cp: 14))
    }
    for n in 0..<DebugRegisters.watchpoints {
        t.append(cp32(wvrNames[n], 0, 0, UInt8(n), 6, .dbgwvr, .rw1, .tda, cp: 14))
        t.append(cp32(wcrNames[n], 0, 0, UInt8(n), 7, .dbgwcr, .rw1, .tda, cp: 14))
    }
    return t
}()

/// 64-bit CP14 registers, by (opc1, CRm).
let cp14Registers64: [CPRegister] = [
    cp64("DBGDRAR_64", 0, 1, .dbgdrar64, .ro0, .tdra, gate: .debugDCC, cp: 14),
    cp64("DBGDSAR_64", 0, 2, .dbgdsar64, .ro0, .tdra, gate: .debugDCC, cp: 14),
]

extension Core {
    func readDebug(_ r: CPReg, _ a: CoprocessorAccess) -> UInt64 {
        let d = sys.debug
        let i = Int(a.crm)
        let v: UInt32
        switch r {
        case .dbgdidr: v = DebugRegisters.didr
        // RESTARTED (bit 1) reads one: the core is never halted.
        case .dbgdscrInt, .dbgdscrExt: v = d.dscr | 2
        case .dbgvcr: v = d.vcr
        case .dbgbvr: v = d.bvr[i]
        case .dbgbcr: v = d.bcr[i]
        case .dbgwvr: v = d.wvr[i]
        case .dbgwcr: v = d.wcr[i]
        // No memory-mapped debug or ROM table: the Valid fields read 0b00.
        case .dbgdrar, .dbgdsar, .dbgdrar64, .dbgdsar64: v = 0
        // OSLM = 0b10 (OS Lock, no OS save/restore register), OSLK.
        case .dbgoslsr: v = 0x8 | (d.osLock ? 0x2 : 0)
        case .dbgosdlr: v = d.osDoubleLock
        case .dbgprcr: v = d.prcr
        // PU (powered up); sticky power-down and reset bits clear.
        case .dbgprsr: v = 1
        case .jidr, .joscr, .jmcr: v = 0
        default: v = 0
        }
        return UInt64(v)
    }

    func writeDebug(_ r: CPReg, _ a: CoprocessorAccess, _ v: UInt32) {
        let i = Int(a.crm)
        switch r {
        case .dbgdscrExt: sys.debug.dscr = v & DebugRegisters.dscrWritable
        case .dbgvcr: sys.debug.vcr = v
        case .dbgbvr: sys.debug.bvr[i] = v & ~3
        case .dbgbcr: sys.debug.bcr[i] = v & DebugRegisters.bcrWritable
        case .dbgwvr: sys.debug.wvr[i] = v & ~3
        case .dbgwcr: sys.debug.wcr[i] = v & DebugRegisters.wcrWritable
        case .dbgoslar: sys.debug.osLock = v == DebugRegisters.osLockKey
        case .dbgosdlr: sys.debug.osDoubleLock = v & 1
        case .dbgprcr: sys.debug.prcr = v & 0x5
        default: break   // JOSCR, JMCR: RAZ/WI
        }
    }
}
