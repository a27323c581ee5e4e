import X86Assembler

/// Guest registers kept in host registers between the instructions of a
/// block, so that a value one instruction computes reaches the next without
/// a trip through memory (a store and a reload on the dependency chain).
///
/// The cache is write-through: every guest register write still goes to the
/// state block, so exits, slow paths and the interpreter never need to
/// write anything back, and a cached value is only ever a copy. Four host
/// registers serve as the cache; no other code in a block uses them and the
/// runtime routines preserve them across their calls into Swift.
///
/// It is used only by instructions whose emitters write guest registers
/// through `storeReg` (data processing, multiplies, bit-field and extend
/// operations, single loads and stores); any other instruction empties it
/// and turns it off while it is emitted. Where two paths meet (after a
/// conditional instruction) only the entries both paths agree on remain.
struct RegisterCache {
    static let hostRegisters: [GPR] = [.rsi, .rdi, .r10, .r11]

    /// The guest register each host register holds (-1: none).
    private(set) var guest: [Int] = [-1, -1, -1, -1]
    /// When each entry was last used (for eviction).
    private var lastUse: [Int] = [0, 0, 0, 0]
    private var clock = 0
    /// False while an instruction that does not maintain the cache is emitted.
    var enabled = true

    /// The host register holding guest register `n`, if cached.
    mutating func lookup(_ n: Int) -> GPR? {
        guard enabled, let slot = guest.firstIndex(of: n) else { return nil }
        clock += 1
        lastUse[slot] = clock
        return RegisterCache.hostRegisters[slot]
    }

    /// A host register to hold guest register `n` from now on (the entry
    /// already holding it, or a free or least recently used one); nil when
    /// the cache is off.
    mutating func assign(_ n: Int) -> GPR? {
        guard enabled, n < 15 else { return nil }
        clock += 1
        let slot = guest.firstIndex(of: n) ?? guest.firstIndex(of: -1)
            ?? lastUse.indices.min { lastUse[$0] < lastUse[$1] }!
        guest[slot] = n
        lastUse[slot] = clock
        return RegisterCache.hostRegisters[slot]
    }

    /// Guest register `n` was written where the cache could not follow.
    mutating func forget(_ n: Int) {
        if let slot = guest.firstIndex(of: n) { guest[slot] = -1 }
    }

    mutating func forgetAll() {
        guest = [-1, -1, -1, -1]
    }

    /// Keeps only the entries `other` (the state on another path into the
    /// same point) also has.
    mutating func intersect(_ other: RegisterCache) {
        for slot in guest.indices where guest[slot] != other.guest[slot] { guest[slot] = -1 }
    }
}

extension BlockTranslator {
    /// Whether the emitter of `d` (planned `.native`) keeps the register
    /// cache: all its guest register writes go through `storeReg`, and it
    /// loads no register on only one of two paths that meet again.
    static func keepsRegisterCache(_ d: DecodedInstruction, thumb: Bool) -> Bool {
        if thumb && d.op & T32Special.flag != 0 { return false }
        let op = A32Op.fromDecoded(d.op)
        switch op {
        case .dpImm, .dpReg, .dpRegShiftReg, .movw, .movt, .mul, .mla,
             .nop, .yield, .pld, .pli, .isb, .dmb, .dsb,
             .sbfx, .ubfx, .bfi, .sxtab, .sxtah, .uxtab, .uxtah, .rev, .rev16, .revsh, .clz,
             .umull, .smull, .umlal, .smlal, .mls, .parallelAddSub, .sel:
            return true
        default:
            return MemoryAccessPlan(op, d) != nil
        }
    }

    /// Loads guest register `n` into `dst` (R15 reads as the address of the
    /// instruction at `pc` + 8 in A32, + 4 in T32), from the register cache
    /// when it holds it, else from the state block (and caches it).
    mutating func loadReg(_ dst: GPR, _ n: Int, pc: UInt32) {
        if n == 15 { a.mov(dst, imm32: pc &+ pcReadOffset); return }
        if let h = registers.lookup(n) { a.mov(.dword, dst, h); return }
        a.mov(.dword, dst, ABI.reg(n))
        if let h = registers.assign(n) { a.mov(.dword, h, dst) }
    }

    /// `loadReg` without adding a cache entry: for code on one of two paths
    /// that meet again (the cache must be the same on both).
    mutating func loadRegWithoutCaching(_ dst: GPR, _ n: Int, pc: UInt32) {
        if n == 15 { a.mov(dst, imm32: pc &+ pcReadOffset); return }
        if let h = registers.lookup(n) { a.mov(.dword, dst, h); return }
        a.mov(.dword, dst, ABI.reg(n))
    }

    /// Writes guest register `n` (not the PC) from `src`, state block and cache.
    mutating func storeReg(_ n: Int, from src: GPR) {
        a.mov(.dword, ABI.reg(n), src)
        if let h = registers.assign(n) { a.mov(.dword, h, src) }
    }

    /// Writes guest register `n` (not the PC) with a constant.
    mutating func storeReg(_ n: Int, imm v: UInt32) {
        a.mov(.dword, ABI.reg(n), imm: Int32(bitPattern: v))
        if let h = registers.assign(n) { a.mov(h, imm32: v) }
    }
}
