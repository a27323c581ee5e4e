import Foundation
@testable import ARMv7
import Devices

/// One core with its own RAM holding a ShapeProgram, under one engine.
final class ShapeMachine {
    let memory = PhysicalMemory()
    let core: Core
    /// Every exception entry as "kind@address" (entered, not stopped on).
    var events: [String] = []

    init(_ program: ShapeProgram, engine: ExecutionEngine,
         translationThreshold: Int = ExecutionEngine.defaultTranslationThreshold) throws {
        try memory.addRAM(base: 0, size: ShapeProgram.ramSize)
        for (a, w) in program.words { memory.write(UInt64(a), size: 4, value: UInt64(w)) }
        try memory.load(program.dataBytes, at: UInt64(ShapeProgram.data))
        core = Core(memory: memory)   // SVC mode, MMU off, A/I/F masked, pc = 0 (reset vector)
        try core.setEngine(engine, translationThreshold: translationThreshold)
        for (i, v) in program.initialRegs.enumerated() { core.r[i] = v }
        core.exceptionHook = { [unowned self] _, e in
            self.events.append("\(e.kind)@" + String(format: "%05x", e.address)); return false
        }
    }

    func word(_ a: UInt32) -> UInt32? { memory.read(UInt64(a), size: 4).map { UInt32(truncatingIfNeeded: $0) } }
}

/// What a whole run did, for the summary and the sanity assertions.
struct ShapeTotals {
    var chunks = 0
    var instructions: UInt64 = 0
    var exceptions: [String: Int] = [:]
    var jit = JITStatistics()
}

enum ShapeLockstep {
    /// Runs `program` on both engines in random chunks; nil when they never
    /// diverge, else a report of the first divergence.
    static func run(_ program: ShapeProgram, totals: inout ShapeTotals) throws -> String? {
        let ref = try ShapeMachine(program, engine: .interpreter)
        // Half the programs translate every block at once; the other half
        // run blocks in the interpreter until they are warm, mixing both.
        let jit = try ShapeMachine(program, engine: .jit,
                                   translationThreshold: program.seed % 2 == 0 ? 1 : ExecutionEngine.defaultTranslationThreshold)
        var rng = SplitMix64(seed: program.seed ^ 0x5EED_C4A1)
        let budget = 3000 + Int(rng.next() % 5000)
        var chunk = 0
        while ref.core.instructionCount < UInt64(budget) {
            // Mostly short chunks (many stop points mid-block), some long
            // ones, and a few longer than the JIT's chunk (4096), where its
            // last block in a chunk may run past the chunk's end.
            let pick = rng.next() % 16
            let k: Int
            if pick == 0 {
                k = 4097 + Int(rng.next() % 8000)
            } else if pick < 4 {
                k = 1 + Int(rng.next() % 2000)
            } else {
                k = 1 + Int(rng.next() % 60)
            }
            let before = ref.core.instructionCount
            let reasons = (ref.core.run(budget: k), jit.core.run(budget: k))
            chunk += 1
            if let d = compare(ref, jit, reasons: reasons) {
                return "chunk \(chunk) (run(budget: \(k)) from instruction \(before)):\n" + d
                    + "\ninterpreter around pc:\n" + program.dump(around: ref.core.pc, read: ref.word)
                    + (jit.core.pc != ref.core.pc ? "\njit around pc:\n" + program.dump(around: jit.core.pc, read: jit.word) : "")
                    + "\nlast exceptions (interpreter): " + ref.events.suffix(6).joined(separator: " ")
                    + "\nlast exceptions (jit):         " + jit.events.suffix(6).joined(separator: " ")
            }
            if ref.core.instructionCount == before { break }   // stuck (e.g. WFI): nothing more to compare
        }
        totals.chunks += chunk
        totals.instructions += ref.core.instructionCount
        for e in ref.events { totals.exceptions[String(e.prefix { $0 != "@" }), default: 0] += 1 }
        let s = jit.core.jitStatistics
        totals.jit.blocksTranslated += s.blocksTranslated
        totals.jit.invalidatedBlocks += s.invalidatedBlocks
        return nil
    }

    /// The differences between two machines' architectural state, RAM,
    /// exception history and stop reasons; nil when identical.
    static func compare(_ a: ShapeMachine, _ b: ShapeMachine, reasons: (CoreStopReason, CoreStopReason)) -> String? {
        var d: [String] = []
        func check<T: Equatable>(_ name: String, _ x: T, _ y: T) {
            if x != y { d.append("\(name): interpreter \(x), jit \(y)") }
        }
        func hx(_ v: UInt32) -> String { String(format: "%08x", v) }
        let (p, q) = (a.core, b.core)
        check("stop reason", reasons.0, reasons.1)
        check("instructionCount", p.instructionCount, q.instructionCount)
        check("pc", hx(p.pc), hx(q.pc))
        for i in 0..<15 { check(ShapeAsm.reg(UInt32(i)), hx(p.r[i]), hx(q.r[i])) }
        check("cpsr", hx(p.cpsr), hx(q.cpsr))
        for bank in 0..<8 {
            check("banked sp[\(bank)]", hx(p.bankedSP[bank]), hx(q.bankedSP[bank]))
            check("banked lr[\(bank)]", hx(p.bankedLR[bank]), hx(q.bankedLR[bank]))
            check("banked spsr[\(bank)]", hx(p.bankedSPSR[bank]), hx(q.bankedSPSR[bank]))
            check("other r8-r12[\(bank)]", hx(p.otherR8to12[bank]), hx(q.otherR8to12[bank]))
        }
        if a.events != b.events {
            let i = zip(a.events, b.events).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.events.count, b.events.count)
            d.append("exceptions differ from entry \(i): interpreter \(a.events.dropFirst(i).prefix(3)), jit \(b.events.dropFirst(i).prefix(3))")
        }
        let n = Int(ShapeProgram.ramSize)
        if let x = a.memory.hostPointer(0, length: n), let y = b.memory.hostPointer(0, length: n), memcmp(x, y, n) != 0 {
            let bx = x.assumingMemoryBound(to: UInt8.self), by = y.assumingMemoryBound(to: UInt8.self)
            let diffs = (0..<n).filter { bx[$0] != by[$0] }
            d.append("memory differs at \(diffs.count) bytes, first " + diffs.prefix(4).map {
                String(format: "%05x: %02x/%02x", $0, bx[$0], by[$0]) }.joined(separator: ", ") + " (interpreter/jit)")
        }
        return d.isEmpty ? nil : d.joined(separator: "\n")
    }
}
