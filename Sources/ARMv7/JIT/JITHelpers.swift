/// Host addresses of the Swift functions translated code calls. Each takes
/// the core first and reports an exception by its return value (never by
/// unwinding through generated frames): the exception itself waits in
/// `Core.jitPendingException` for the dispatcher.
struct JITHelperTable {
    let interpret: UInt64
    let load8: UInt64, load16: UInt64, load32: UInt64
    let store8: UInt64, store16: UInt64, store32: UInt64

    static let shared = JITHelperTable()

    private init() {
        typealias Interpret = @convention(c) (UnsafeMutableRawPointer, UInt32, UInt32, UInt32, UInt32) -> UInt32
        typealias Load = @convention(c) (UnsafeMutableRawPointer, UInt32) -> UInt64
        typealias Store = @convention(c) (UnsafeMutableRawPointer, UInt32, UInt32) -> UInt32
        func address<F>(_ f: F) -> UInt64 { UInt64(UInt(bitPattern: unsafeBitCast(f, to: UnsafeRawPointer.self))) }
        interpret = address(jitInterpretHelper as Interpret)
        load8 = address(jitLoad8Helper as Load)
        load16 = address(jitLoad16Helper as Load)
        load32 = address(jitLoad32Helper as Load)
        store8 = address(jitStore8Helper as Store)
        store16 = address(jitStore16Helper as Store)
        store32 = address(jitStore32Helper as Store)
    }
}

@inline(__always) private func core(_ p: UnsafeMutableRawPointer) -> Core {
    Unmanaged<Core>.fromOpaque(p).takeUnretainedValue()
}

/// Bit 63 of a load helper's result: the load raised an exception.
private let loadFaulted: UInt64 = 1 << 63
/// Bit 62 of a load helper's result: the load completed, and the block must
/// end after its instruction (a store helper returns 2 instead of 0).
let loadEndsBlock: UInt64 = 1 << 62

private func jitInterpretHelper(_ c: UnsafeMutableRawPointer, _ pc: UInt32, _ raw: UInt32, _ imm: UInt32,
                                _ packed: UInt32) -> UInt32 {
    let d = DecodedInstruction(raw: raw, imm: imm, op: UInt16(truncatingIfNeeded: packed),
                               cond: UInt8(truncatingIfNeeded: packed >> 16), extra: UInt8(truncatingIfNeeded: packed >> 24))
    return core(c).jitInterpret(pc: pc, d)
}

private func jitLoad8Helper(_ c: UnsafeMutableRawPointer, _ va: UInt32) -> UInt64 {
    core(c).jit?.statistics.slowLoads &+= 1
    do { return UInt64(try core(c).read8(va)) | core(c).jitEndsBlock } catch { core(c).jitPendingException = error; return loadFaulted }
}

private func jitLoad16Helper(_ c: UnsafeMutableRawPointer, _ va: UInt32) -> UInt64 {
    core(c).jit?.statistics.slowLoads &+= 1
    do { return UInt64(try core(c).read16(va)) | core(c).jitEndsBlock } catch { core(c).jitPendingException = error; return loadFaulted }
}

private func jitLoad32Helper(_ c: UnsafeMutableRawPointer, _ va: UInt32) -> UInt64 {
    core(c).jit?.statistics.slowLoads &+= 1
    do { return UInt64(try core(c).read32(va)) | core(c).jitEndsBlock } catch { core(c).jitPendingException = error; return loadFaulted }
}

private func jitStore8Helper(_ c: UnsafeMutableRawPointer, _ va: UInt32, _ v: UInt32) -> UInt32 {
    core(c).jit?.statistics.slowStores &+= 1
    do { try core(c).write8(va, v); return core(c).jitEndsBlock == 0 ? 0 : 2 } catch { core(c).jitPendingException = error; return 1 }
}

private func jitStore16Helper(_ c: UnsafeMutableRawPointer, _ va: UInt32, _ v: UInt32) -> UInt32 {
    core(c).jit?.statistics.slowStores &+= 1
    do { try core(c).write16(va, v); return core(c).jitEndsBlock == 0 ? 0 : 2 } catch { core(c).jitPendingException = error; return 1 }
}

private func jitStore32Helper(_ c: UnsafeMutableRawPointer, _ va: UInt32, _ v: UInt32) -> UInt32 {
    core(c).jit?.statistics.slowStores &+= 1
    do { try core(c).write32(va, v); return core(c).jitEndsBlock == 0 ? 0 : 2 } catch { core(c).jitPendingException = error; return 1 }
}

extension Core {
    /// `loadEndsBlock` when the access just made raised a block-end signal
    /// (a GIC virtual interface access) or posted invalidations of
    /// translated code (a store to code), else 0.
    var jitEndsBlock: UInt64 {
        fetchVPage == 1 || jit?.exitRequested == true ? loadEndsBlock : 0
    }

    /// Runs one instruction the translator left to the interpreter, with the
    /// registers the interpreter keeps while it executes. Returns 0 to go
    /// on, 1 for an exception (in `jitPendingException`), 2 to end the
    /// block after it (the fetch page was dropped: a GIC signal, an
    /// exception return, posted invalidations).
    func jitInterpret(pc: UInt32, _ d: DecodedInstruction) -> UInt32 {
        if let jit {
            jit.statistics.interpretedInBlocks &+= 1
            jit.interpretedByOp[Int(d.op & 0xFF) | (d.op & T32Special.flag != 0 ? 256 : 0)] &+= 1
        }
        self.pc = pc
        let inThumb = d.op >= Core.thumbOpBase
        do {
            if inThumb {
                nextPC = pc &+ 2 &+ (UInt32(d.extra >> 6) & 2)
                r[15] = pc &+ 4
                try executeT32(d)
            } else {
                nextPC = pc &+ 4
                r[15] = pc &+ 8
                try executeA32(d)
            }
        } catch {
            jitPendingException = error
            return 1
        }
        self.pc = nextPC
        // The instruction dropped the fetch page (an exception return, a GIC
        // signal), posted invalidations or switched instruction set: the
        // block ends here.
        if fetchVPage == 1 || jit?.exitRequested == true || thumb != inThumb { return 2 }
        return 0
    }
}
