import CHostAtomics

/// Host addresses of the Swift functions the runtime routines call
/// (`RuntimeRoutine`). Each takes the core first and reports an exception
/// by its return value (never by unwinding through generated frames): the
/// exception itself waits in `Core.jitPendingException` for the dispatcher.
struct JITHelperTable {
    let memorySlowPath: UInt64
    let interpret: UInt64

    static let shared = JITHelperTable()

    private init() {
        typealias OutOfLine = @convention(c) (UnsafeMutableRawPointer, UnsafeRawPointer, UInt32, UInt32) -> UInt64
        func address<F>(_ f: F) -> UInt64 { UInt64(UInt(bitPattern: unsafeBitCast(f, to: UnsafeRawPointer.self))) }
        memorySlowPath = address(jitMemorySlowPathHelper as OutOfLine)
        interpret = address(jitInterpretHelper as OutOfLine)
    }
}

/// Runs `body` on the core behind `p` without retaining it: generated code
/// holds the core alive, and a retain/release pair per call cost about a
/// tenth of an interpreted instruction.
@inline(__always) private func withCore<R>(_ p: UnsafeMutableRawPointer, _ body: (Core) -> R) -> R {
    Unmanaged<Core>.fromOpaque(p)._withUnsafeGuaranteedRef(body)
}

private func jitMemorySlowPathHelper(_ c: UnsafeMutableRawPointer, _ d: UnsafeRawPointer, _ address: UInt32,
                                     _ writeback: UInt32) -> UInt64 {
    withCore(c) { $0.jitMemorySlowPath(MemorySlowPathDescriptor(at: d), address: address, writeback: writeback) }
}

private func jitInterpretHelper(_ c: UnsafeMutableRawPointer, _ d: UnsafeRawPointer, _: UInt32, _: UInt32) -> UInt64 {
    withCore(c) { $0.jitInterpret(InterpreterCallDescriptor(at: d)) }
}

extension Core {
    /// Whether the access or instruction just run raised a block-end signal
    /// (a GIC virtual interface access, an exception return) or posted
    /// invalidations of translated code (a store to code).
    var jitEndsBlock: Bool {
        fetchVPage == 1 || jit?.exitRequested == true
    }

    /// Gives back to the chunk's budget the `unrun` instructions of a block
    /// that leaves early (the block charged its whole length on entry).
    private func jitRefund(_ unrun: Int) {
        if let jit { jit.context.pointee.budget &+= Int64(unrun) }
    }

    /// The slow path of an inline load or store: the interpreter's access
    /// function with the state the interpreter holds during the
    /// instruction. Returns the loaded value (or 0 after a store) for the
    /// block to finish the instruction, or finishes it here and leaves when
    /// the access faulted or must end the block.
    func jitMemorySlowPath(_ d: MemorySlowPathDescriptor, address: UInt32, writeback: UInt32) -> UInt64 {
        pc = d.pc
        nextPC = d.pc &+ d.instructionBytes
        r[15] = d.pc &+ (d.thumb ? 4 : 8)
        do {
            if d.isLoad {
                jit?.statistics.slowLoads &+= 1
                var v: UInt32
                switch d.size {
                case 4: v = try read32(address)
                case 2: v = UInt32(try read16(address))
                default: v = UInt32(try read8(address))
                }
                if d.signed {
                    v = d.size == 2 ? UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: v)))
                                    : UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: v)))
                }
                if !jitEndsBlock { return UInt64(v) }
                // The load raised a signal (a GIC interface read): finish
                // the instruction as the block would, then leave.
                if d.tableBranch {
                    nextPC = d.pc &+ 4 &+ v << 1
                } else {
                    if d.writeback { r[d.rn] = writeback }
                    if d.rt == 15 { loadWritePC(v) } else { r[d.rt] = v }
                }
            } else {
                jit?.statistics.slowStores &+= 1
                let v = r[d.rt]
                switch d.size {
                case 4: try write32(address, v)
                case 2: try write16(address, v)
                default: try write8(address, v)
                }
                if !jitEndsBlock { return 0 }
                // The store hit translated code or raised a signal.
                if d.writeback { r[d.rn] = writeback }
            }
            pc = nextPC
            jitRefund(d.unrun)
            return OutOfLineResult.leave(.normal)
        } catch {
            jitPendingException = error
            jitFaultingInstruction = FaultingInstruction(pc: d.pc, is32Bit: d.instructionBytes == 4,
                                                         syndrome: d.syndrome)
            if d.thumb { itState = d.itBefore }
            jitRefund(d.unrun)
            return OutOfLineResult.leave(.exception)
        }
    }

    /// An instruction the block hands to the interpreter: continues the
    /// block when it completed and fell through, otherwise leaves (an
    /// exception, a change of PC, a signal, or an instruction that ends its
    /// block).
    func jitInterpret(_ d: InterpreterCallDescriptor) -> UInt64 {
        switch jitInterpret(pc: d.pc, d.instruction) {
        case 0:
            if !d.endsBlock {
                let size: UInt32 = d.thumb ? 2 &+ (UInt32(d.instruction.extra >> 6) & 2) : 4
                if pc == d.pc &+ size { return 0 }
            }
            jitRefund(d.unrun)
            return OutOfLineResult.leave(.normal)
        case 1:
            // The exception saves the instruction's own ITSTATE (the
            // dispatcher advances it for SVC and HVC, as the interpreter).
            if d.thumb { itState = d.itBefore }
            jitRefund(d.unrun)
            return OutOfLineResult.leave(.exception)
        default:
            jitRefund(d.unrun)
            return OutOfLineResult.leave(.normal)
        }
    }

    /// Runs one instruction the translator left to the interpreter, with the
    /// registers the interpreter keeps while it executes. Returns 0 to go
    /// on, 1 for an exception (in `jitPendingException`), 2 to end the
    /// block after it (the fetch page was dropped: a GIC signal, an
    /// exception return, posted invalidations).
    func jitInterpret(pc: UInt32, _ d: DecodedInstruction) -> UInt32 {
        // Raw pointers, not `jit`: reading a class reference twice per
        // interpreted instruction cost a retain/release pair each.
        jitInterpretedByOp?[Int(d.op & 0xFF) | (d.op & T32Special.flag != 0 ? 256 : 0)] &+= 1
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
            jitFaultingInstruction = FaultingInstruction(
                pc: pc, is32Bit: !inThumb || d.extra & T32Decoder.is32BitFlag != 0,
                syndrome: Core.instructionSyndrome(of: d, thumb: inThumb))
            return 1
        }
        self.pc = nextPC
        // The instruction dropped the fetch page (an exception return, a GIC
        // signal), posted invalidations or switched instruction set: the
        // block ends here.
        if fetchVPage == 1 || thumb != inThumb { return 2 }
        if let request = jitExitRequestWord, armv_load32(request) != 0 { return 2 }
        return 0
    }
}
