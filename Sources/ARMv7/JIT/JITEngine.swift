import CGuestState
import CHostAtomics
import Foundation
import X86Assembler

/// Counters of one core's JIT, shown by `--stats`.
public struct JITStatistics: Sendable {
    /// Blocks translated since the core started.
    public var blocksTranslated = 0
    /// Guest instructions in those blocks.
    public var instructionsTranslated = 0
    /// Host nanoseconds spent translating.
    public var translationNanos: UInt64 = 0
    /// Times the code cache filled up and was emptied.
    public var flushes = 0
    /// Blocks dropped because their guest code was written.
    public var invalidatedBlocks = 0
    /// Direct jumps patched to enter their target block without an exit.
    public var chainsPatched = 0
    /// Loads and stores that left the inline fast path (TLB miss, MMIO,
    /// page crossing, a store to a page holding code).
    public var slowLoads = 0
    public var slowStores = 0
    /// Times the dispatcher entered translated code.
    public var entries = 0
    /// Dispatcher lookups the jump cache did not answer (they went to the
    /// table of all blocks), and times the jump cache was emptied (a TLB
    /// flush or a context switch).
    public var tableLookups = 0
    public var jumpCacheFlushes = 0
    /// Instructions run by the interpreter at chunk ends (blocks longer
    /// than the budget left) and, one at a time, from inside blocks.
    public var interpretedAtChunkEnd = 0
    public var interpretedInBlocks = 0
    /// Instructions of blocks run in the interpreter because they had not
    /// yet run often enough to be worth translating.
    public var interpretedCold = 0
    /// The operations most often interpreted from inside blocks, most
    /// frequent first (what to translate next).
    public var topInterpreted: [(operation: String, count: Int)] = []
    /// Bytes of the code cache in use now, and its size.
    public var codeBytesUsed = 0
    public var codeBytesCapacity = 0

    public init() {}
}

/// One entry of the jump cache: a virtual PC and state key, the block
/// translated for them and its host code (translated code looks entries up
/// inline for indirect branches: the layout is part of the generated-code
/// ABI: 24 bytes, pc at 0, key at 4, code at 8).
struct JumpCacheEntry {
    var pc: UInt32
    var key: UInt32
    var code: UInt64
    var block: Int

    static let stride = 24
}

/// The per-core translator state: the code cache, the blocks in it, the
/// lookup structures and the queue of invalidations other threads post.
///
/// Only the owning core's thread translates, enters, chains and drops
/// blocks. Other threads (another core's stores, device DMA) only post an
/// invalidation and raise the exit-request word; the owner applies it at
/// the next block entry.
final class JITEngine {
    /// Jump-cache entries (24 bytes each). A Debian userland's hot code, the
    /// kernel's and the libraries' together, thrashed 4,096.
    static let jumpCacheSize = 1 << 15

    /// The jump-cache slot of virtual `pc`: its word index, folded with its
    /// high bits so that the kernel's, a program's and its libraries' code
    /// at equal page offsets do not collide. One page's PCs fill one aligned
    /// run of 1,024 slots (`flushJumpCache(page:)` relies on that; the
    /// generated code computes the same function).
    @inline(__always) static func jumpCacheSlot(_ pc: UInt32) -> Int {
        Int(((pc >> 2) ^ (pc >> 17)) & UInt32(jumpCacheSize - 1))
    }
    /// The most guest instructions in one block.
    static let maxBlockLength = 48

    let code: ExecutableMemory
    /// The context block generated code addresses through rbp.
    let context: UnsafeMutablePointer<ARMJITContext>
    private(set) var blocks: [TranslatedBlock] = []
    private let byKey = BlockTable()
    private var byPage: [UInt64: [Int]] = [:]
    /// Every block's incoming chained jumps, as linked lists
    /// (`TranslatedBlock.incomingHead`).
    private var incomingLinks: [IncomingLink] = []
    /// One jump cache per software-TLB set (`SoftTLB.activate`): a virtual
    /// PC means other code in another translation regime.
    private let jumpCaches: UnsafeMutablePointer<JumpCacheEntry>
    /// The current regime's jump cache.
    private(set) var jumpCache: UnsafeMutablePointer<JumpCacheEntry>
    private var currentSet = 0
    /// Per set: jump-cache slots filled since its last flush (see
    /// `flushJumpCache`), and whether more than a quarter were.
    private var filledSlots: [[Int32]] = Array(repeating: [], count: SoftTLB.setCount)
    private var filledSlotsOverflowed = Array(repeating: true, count: SoftTLB.setCount)
    /// Per set: a 4,096-bit filter of the virtual pages (page number modulo
    /// 4,096) its jump cache may hold, so that a page's TLB maintenance scans
    /// only the sets that may hold it.
    private let pageFilter: UnsafeMutablePointer<UInt64>
    static let pageFilterWords = 64
    /// Code-cache offsets of the runtime routines (`RuntimeRoutine`: the
    /// common exit, the shared slow paths), by raw value.
    private var routineOffsets = [Int](repeating: 0, count: RuntimeRoutine.allCases.count)
    private var thunk: EntryThunk
    var statistics = JITStatistics()
    /// Interpreted-in-block counts by operation (`operationName`).
    let interpretedByOp = UnsafeMutablePointer<Int>.allocate(capacity: 512)

    private let lock = NSLock()
    private var pending: [(page: UInt64, granule: Int)] = []

    typealias EntryThunk = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeRawPointer,
                                           UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> UInt32

    init(core: Core, codeCacheSize: Int = ExecutionEngine.defaultCodeCacheSize) throws {
        guard MemoryLayout<JumpCacheEntry>.stride == JumpCacheEntry.stride,
              MemoryLayout<JumpCacheEntry>.offset(of: \JumpCacheEntry.key) == 4,
              MemoryLayout<JumpCacheEntry>.offset(of: \JumpCacheEntry.code) == 8,
              MemoryLayout<SoftTLBEntry>.stride == 24,
              MemoryLayout<SoftTLBEntry>.offset(of: \SoftTLBEntry.writeTag) == 4,
              MemoryLayout<SoftTLBEntry>.offset(of: \SoftTLBEntry.addend) == 8,
              MemoryLayout<SoftTLBEntry>.offset(of: \SoftTLBEntry.codeMask) == 16 else {
            throw JITSetupError.hostNotSupported("unexpected software-TLB entry layout")
        }
        do {
            code = try ExecutableMemory(size: max(codeCacheSize, 16 << 10))
        } catch {
            throw JITSetupError.codeMemory("\(error)")
        }
        context = .allocate(capacity: 1)
        context.initialize(to: ARMJITContext())
        context.pointee.core = Unmanaged.passUnretained(core).toOpaque()
        jumpCaches = .allocate(capacity: SoftTLB.setCount * JITEngine.jumpCacheSize)
        jumpCache = jumpCaches
        pageFilter = .allocate(capacity: SoftTLB.setCount * JITEngine.pageFilterWords)
        pageFilter.initialize(repeating: 0, count: SoftTLB.setCount * JITEngine.pageFilterWords)
        context.pointee.jump_cache = UnsafeMutableRawPointer(jumpCaches)
        interpretedByOp.initialize(repeating: 0, count: 512)
        thunk = unsafeBitCast(UnsafeRawPointer(bitPattern: 1)!, to: EntryThunk.self)
        statistics.codeBytesCapacity = code.size
        try emitRuntime()
    }

    deinit {
        context.deallocate()
        interpretedByOp.deallocate()
        jumpCaches.deallocate()
        pageFilter.deallocate()
    }

    /// Emits the entry thunk and the common exit at the start of the cache.
    ///
    /// The thunk saves the callee-saved registers generated code pins
    /// (rbx = guest state, rbp = context, r12 = software TLB, r13 = core,
    /// r14/r15 = scratch that survives helper calls), keeps the stack 16-byte
    /// aligned for helper calls, and jumps to the block. Blocks leave with a
    /// status in eax by jumping to the exit, which restores and returns.
    private func emitRuntime() throws {
        code.reset()
        var a = X86Assembler()
        for r in [GPR.rbx, .rbp, .r12, .r13, .r14, .r15] { a.push(r) }
        a.alu(.sub, .qword, .rsp, imm: 8)
        a.mov(.qword, .rbx, .rdi)
        a.mov(.qword, .rbp, .rsi)
        a.mov(.qword, .r13, .rcx)
        a.mov(.qword, .r12, .r8)
        a.jmp(.rdx)
        a.align(16)
        let exitLabel = a.newLabel()
        a.bind(exitLabel)
        let exit = a.offset
        a.alu(.add, .qword, .rsp, imm: 8)
        for r in [GPR.r15, .r14, .r13, .r12, .rbp, .rbx] { a.pop(r) }
        a.ret()
        var starts = [exit]
        for routine in RuntimeRoutine.allCases where routine != .exit {
            a.align(16)
            starts.append(a.offset)
            let helpers = JITHelperTable.shared
            switch routine {
            case .memorySlowPath: a.emitOutOfLineRoutine(routine, helper: helpers.memorySlowPath, exit: exitLabel)
            case .interpreter: a.emitOutOfLineRoutine(routine, helper: helpers.interpret, exit: exitLabel)
            case .chainExit, .notEntered: a.emitLeavingRoutine(routine, exit: exitLabel)
            case .exit: break
            }
        }
        let bytes = try a.finish()
        guard let at = code.allocate(bytes.count, alignment: 64) else {
            throw JITSetupError.codeMemory("code cache too small for the runtime")
        }
        _ = code.write(bytes, at: at)
        for (routine, start) in zip(RuntimeRoutine.allCases, starts) { routineOffsets[routine.rawValue] = at + start }
        thunk = unsafeBitCast(code.executableAddress(at), to: EntryThunk.self)
        blocks.removeAll(keepingCapacity: true)
        incomingLinks.removeAll(keepingCapacity: true)
        byKey.removeAll()
        byPage.removeAll(keepingCapacity: true)
        flushJumpCache()
    }

    /// Runs `block` (and whatever it chains to) and returns its exit status.
    @inline(__always)
    func enter(_ block: Int, state: UnsafeMutablePointer<ARMGuestState>, softTLB: UnsafeMutablePointer<SoftTLBEntry>)
        -> UInt32 {
        let target = code.executableAddress(blocks[block].codeOffset)
        return thunk(UnsafeMutableRawPointer(state), UnsafeMutableRawPointer(context), target,
                     context.pointee.core!, UnsafeMutableRawPointer(softTLB))
    }

    /// The counters, with the interpreted-operation ranking filled in.
    var report: JITStatistics {
        var s = statistics
        s.interpretedInBlocks = (0..<512).reduce(0) { $0 + interpretedByOp[$1] }
        s.topInterpreted = (0..<512).filter { interpretedByOp[$0] > 0 }
            .sorted { interpretedByOp[$0] > interpretedByOp[$1] }.prefix(8)
            .map { (JITEngine.operationName($0), interpretedByOp[$0]) }
        return s
    }

    /// The name of an `interpretedByOp` index: an A32 operation (0–255) or
    /// a T32-only one (256 + its raw value).
    static func operationName(_ index: Int) -> String {
        if index >= 256 { return T32Special(rawValue: UInt16(index - 256)).map { "T32 \($0)" } ?? "?" }
        return A32Op(rawValue: UInt16(index)).map { "\($0)" } ?? "?"
    }

    // MARK: Lookup

    /// Times a block runs in the interpreter before it is translated
    /// (`ExecutionEngine.defaultTranslationThreshold`).
    var translationThreshold = UInt8(ExecutionEngine.defaultTranslationThreshold)
    /// The most untranslated blocks counted at once (a 24-byte slot each in a
    /// table kept at most half full);
    /// past it the counts start over.
    static let coldCountLimit = 1 << 16
    /// How often untranslated blocks were looked up (bounded: cleared when large).
    private let coldCounts = BlockTable()

    /// Counts a lookup of the untranslated block `key`; true once it has
    /// run `translationThreshold` times (it is then worth translating).
    func isWarm(_ key: BlockKey) -> Bool {
        if coldCounts.count > JITEngine.coldCountLimit { coldCounts.removeAll() }
        let seen = coldCounts[key] ?? 0
        if seen + 1 >= Int32(translationThreshold) {
            coldCounts.remove(key)
            return true
        }
        coldCounts.insert(key, seen + 1)
        return false
    }

    /// The valid block for virtual `pc` under `key`, from the jump cache.
    @inline(__always) func cachedBlock(pc: UInt32, key: UInt32) -> Int? {
        let e = jumpCache[JITEngine.jumpCacheSlot(pc)]
        guard e.pc == pc, e.key == key else { return nil }
        return e.block
    }

    /// The valid block for physical `physicalPC` under `key`, if translated;
    /// remembers it in the jump cache under virtual `pc`.
    func block(physicalPC: UInt64, key: UInt32, pc: UInt32) -> Int? {
        statistics.tableLookups &+= 1
        guard let found = byKey[BlockKey(physicalPC: physicalPC, virtualPC: pc, key: key)] else { return nil }
        let b = Int(found)
        remember(pc: pc, key: key, block: b)
        return b
    }

    func remember(pc: UInt32, key: UInt32, block: Int) {
        let code = UInt64(UInt(bitPattern: code.executableAddress(blocks[block].codeOffset)))
        let slot = JITEngine.jumpCacheSlot(pc)
        if jumpCache[slot].block < 0 && filledSlots[currentSet].count < JITEngine.jumpCacheSize / 4 {
            filledSlots[currentSet].append(Int32(slot))
        } else if jumpCache[slot].block < 0 {
            filledSlotsOverflowed[currentSet] = true
        }
        jumpCache[slot] = JumpCacheEntry(pc: pc, key: key, code: code, block: block)
        let bit = Int((pc >> 12) & 4095)
        pageFilter[currentSet * JITEngine.pageFilterWords + bit >> 6] |= 1 << UInt64(bit & 63)
    }

    /// Forgets the virtual-PC lookups of PCs in virtual page `page` in
    /// every regime's jump cache (its translation may have changed). They
    /// occupy 1024 consecutive slots (`jumpCacheSlot`).
    func flushJumpCache(page: UInt32) {
        let first = JITEngine.jumpCacheSlot(page << 12) & ~1023
        let bit = Int(page & 4095)
        for set in 0..<SoftTLB.setCount
        where pageFilter[set * JITEngine.pageFilterWords + bit >> 6] & (1 << UInt64(bit & 63)) != 0 {
            let cache = jumpCaches + set * JITEngine.jumpCacheSize
            if !filledSlotsOverflowed[set] && filledSlots[set].count < 1024 {
                // Every entry of this set was filled since its last flush.
                for slot in filledSlots[set] where cache[Int(slot)].pc >> 12 == page {
                    cache[Int(slot)] = JumpCacheEntry(pc: 1, key: 0, code: 0, block: -1)
                }
                continue
            }
            for i in first ..< first + 1024 where cache[i].pc >> 12 == page {
                cache[i] = JumpCacheEntry(pc: 1, key: 0, code: 0, block: -1)
            }
        }
    }

    /// Forgets every virtual-PC lookup of every regime (TLB maintenance, or
    /// blocks were dropped). Blocks stay.
    func flushJumpCache() {
        statistics.jumpCacheFlushes &+= 1
        for set in 0..<SoftTLB.setCount { flushJumpCache(set: set) }
    }

    /// Makes set `set`'s jump cache current (`SoftTLB.activate` chose the
    /// set); `emptied`: the set now holds a new regime, so its lookups go.
    func selectJumpCache(set: Int, emptied: Bool) {
        if emptied { flushJumpCache(set: set) }
        currentSet = set
        jumpCache = jumpCaches + set * JITEngine.jumpCacheSize
        context.pointee.jump_cache = UnsafeMutableRawPointer(jumpCache)
    }

    /// Guests change their translation often (a TLB flush, a context switch)
    /// and use few slots between two changes: only the slots filled since
    /// the last flush are reset, unless more than a quarter were.
    private func flushJumpCache(set: Int) {
        let empty = JumpCacheEntry(pc: 1, key: 0, code: 0, block: -1)
        let cache = jumpCaches + set * JITEngine.jumpCacheSize
        if filledSlotsOverflowed[set] {
            cache.initialize(repeating: empty, count: JITEngine.jumpCacheSize)
        } else {
            for slot in filledSlots[set] { cache[Int(slot)] = empty }
        }
        filledSlots[set].removeAll(keepingCapacity: true)
        filledSlotsOverflowed[set] = false
        (pageFilter + set * JITEngine.pageFilterWords).update(repeating: 0, count: JITEngine.pageFilterWords)
    }

    // MARK: Installing blocks

    /// Copies a finished translation into the cache. Returns nil when the
    /// cache is full (the caller flushes and translates again).
    func install(_ t: BlockTranslation, physicalPC: UInt64, key: UInt32, pc: UInt32) -> Int? {
        guard let at = code.allocate(t.bytes.count, alignment: 16) else { return nil }
        var bytes = t.bytes
        // Calls and jumps to the runtime are relative to where the block landed.
        for r in t.relocations {
            guard let rel = X86Assembler.rel32(from: at + r.field, to: routineOffsets[r.target.rawValue]) else {
                return nil
            }
            withUnsafeBytes(of: rel.littleEndian) { raw in
                for i in 0..<4 { bytes[r.field + i] = raw[i] }
            }
        }
        _ = code.write(bytes, at: at)
        let id = blocks.count
        blocks.append(TranslatedBlock(physicalPC: physicalPC, virtualPC: pc, key: key, length: t.length,
                                      byteLength: t.byteLength, codeOffset: at))
        byKey.insert(BlockKey(physicalPC: physicalPC, virtualPC: pc, key: key), Int32(id))
        byPage[physicalPC >> 12, default: []].append(id)
        remember(pc: pc, key: key, block: id)
        statistics.blocksTranslated += 1
        statistics.instructionsTranslated += t.length
        statistics.codeBytesUsed = code.used
        return id
    }

    /// Empties the code cache (it is full).
    func flush() {
        statistics.flushes += 1
        try? emitRuntime()
        statistics.codeBytesUsed = code.used
    }

    /// Points the chained jump whose rel32 field is at `field` (a code-cache
    /// offset) at `target`'s code, and records the link so that dropping
    /// `target` unchains it.
    func chain(field: Int, stub: Int, to target: Int) {
        guard blocks[target].valid, code.patchRel32(fieldOffset: field, target: blocks[target].codeOffset) else {
            return
        }
        incomingLinks.append(IncomingLink(field: Int32(field), stub: Int32(stub), next: blocks[target].incomingHead))
        blocks[target].incomingHead = Int32(incomingLinks.count - 1)
        statistics.chainsPatched += 1
    }

    // MARK: Invalidation

    /// Posts an invalidation of granule `granule` (0–15, 256 bytes each; -1
    /// for the whole page) of physical page `page`. Any thread.
    func post(page: UInt64, granule: Int) {
        lock.lock()
        pending.append((page, granule))
        lock.unlock()
        armv_store32(&context.pointee.exit_request, 1)
    }

    /// The exit-request word, for other threads to raise
    /// (`InterruptLines.kickTranslatedCode`).
    var exitRequestWord: UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(context) + MemoryLayout<ARMJITContext>.offset(of: \.exit_request)!
    }

    /// Whether an invalidation is waiting (the owner checks between blocks).
    @inline(__always) var exitRequested: Bool { armv_load32(&context.pointee.exit_request) != 0 }

    /// Applies posted invalidations: drops the blocks translated from the
    /// written granules and unchains the jumps into them. Owner thread only.
    func applyPendingInvalidations() {
        armv_store32(&context.pointee.exit_request, 0)
        lock.lock()
        let work = pending
        pending.removeAll(keepingCapacity: true)
        lock.unlock()
        var dropped = false
        for (page, granule) in work {
            guard let ids = byPage[page] else { continue }
            let start = page << 12 + UInt64(max(granule, 0) * 256)
            let end = granule < 0 ? (page + 1) << 12 : start + 256
            var kept: [Int] = []
            for id in ids {
                if blocks[id].valid && blocks[id].overlaps(start, end) {
                    drop(id)
                    dropped = true
                } else if blocks[id].valid {
                    kept.append(id)
                }
            }
            byPage[page] = kept.isEmpty ? nil : kept
        }
        if dropped { flushJumpCache() }
    }

    private func drop(_ id: Int) {
        blocks[id].valid = false
        byKey.remove(BlockKey(physicalPC: blocks[id].physicalPC, virtualPC: blocks[id].virtualPC, key: blocks[id].key))
        var link = blocks[id].incomingHead
        while link >= 0 {
            let l = incomingLinks[Int(link)]
            _ = code.patchRel32(fieldOffset: Int(l.field), target: Int(l.stub))
            link = l.next
        }
        blocks[id].incomingHead = -1
        statistics.invalidatedBlocks += 1
    }
}
