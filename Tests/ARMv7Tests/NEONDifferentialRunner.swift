import Foundation
@testable import ARMv7

// NEON differential testing, part 4: running an image on the core (both
// engines) and on qemu-arm, comparing, and the mismatch report grouped by
// instruction family.

/// A case on which the core and qemu-arm disagree.
struct NEONMismatch {
    var index: Int
    var ncase: NEONCase
    /// The case's own seed: NEON_DIFF_REPRO=<seed> regenerates exactly it.
    var caseSeed: UInt64
    /// The engines that disagree with qemu-arm (the details are the first's).
    var engines: [ExecutionEngine]
    /// The output records (decoded only for reports).
    var expectedRecord: [UInt8]
    var actualRecord: [UInt8]?
    var note: String

    var family: String { ncase.family }
    var expected: NEONOutcome { NEONOutcome(record: expectedRecord) }
    var actual: NEONOutcome? { actualRecord.map { NEONOutcome(record: $0) } }

    /// Which way the results part: useful to tell "not implemented" from "wrong".
    var kind: String {
        guard let a = actualRecord else { return "core stopped" }
        let es = NEONRunner.word(expectedRecord[...], 68), asig = NEONRunner.word(a[...], 68)
        if es == 4 && asig != 4 { return "qemu UNDEF, core executes" }
        if es != 4 && asig == 4 { return "core UNDEF, qemu executes" }
        if es != asig { return "signal differs" }
        return "results differ"
    }

    func report() -> String {
        var s = "[\(family)] \(kind) (\(engines.map { "\($0)" }.joined(separator: "+")), case \(index)): \(ncase.describe())\n"
        if !note.isEmpty { s += "  note: \(note)\n" }
        if let a = actual {
            for d in expected.differences(from: a) { s += "  \(d)\n" }
        }
        s += "  repro: NEON_DIFF_REPRO=0x\(String(caseSeed, radix: 16))\(NEONGenerator.familyFilterText) swift test --filter NEONDifferentialTests/testRandomNEONInstructionsMatchQEMU\n"
        return s
    }
}

enum NEONRunner {
    /// Runs `image` on a fresh core in User mode with VFP/Advanced SIMD
    /// enabled. Returns the output area and, per case, a note when the core
    /// stopped there for another reason than a signal Linux would deliver.
    static func runOnCore(_ image: NEONImage, engine: ExecutionEngine) throws -> (output: [UInt8], errors: [Int: String]) {
        let mem = PhysicalMemory()
        let end = UInt64(NEONLayout.imageBase) + UInt64(image.memorySize)
        try mem.addRAM(base: 0, size: (end + 0xFFFFF) & ~0xFFFFF)
        try mem.load(image.elf, at: UInt64(NEONLayout.imageBase))
        let core = Core(memory: mem)
        try core.setEngine(engine, translationThreshold: 1)
        core.writeCPSR(0x0000_0010, mask: 0xFFFF_FFFF, exceptionReturn: true)
        // As Linux runs a process: cp10/cp11 full access, FPEXC.EN.
        core.sys.cpacr = 0x00F0_0000
        core.fpexc = FPEXCBit.en
        core.branch(to: NEONLayout.entry(0), thumb: false)
        var lastEvent: ExceptionEvent?
        core.exceptionHook = { _, ev in lastEvent = ev; return true }
        var errors: [Int: String] = [:]
        var budget = image.count * 200 + 10_000
        while true {
            lastEvent = nil
            let before = core.instructionCount
            let reason = core.run(budget: budget)
            budget -= Int(core.instructionCount - before)
            if reason == .hookStop, let ev = lastEvent, ev.kind == .supervisorCall, ev.address == NEONImage.exitSVC { break }
            if reason == .hookStop, let ev = lastEvent, budget > 0,
               let i = NEONLayout.blockIndex(of: ev.address, count: image.count),
               ev.address == NEONLayout.test(i, thumb: core.cpsr & 0x20 != 0),
               let sig = DiffRunner.signal(for: ev, core: core, thumb: core.cpsr & 0x20 != 0) {
                // Deliver the signal as qemu-arm's Linux does; D0–D31 and FPSCR stay.
                let u = UInt64(NEONLayout.coreSignalContext)
                for k in 0..<15 { _ = mem.write(u + 32 + UInt64(4 * k), size: 4, value: UInt64(core.r[k])) }
                _ = mem.write(u + 92, size: 4, value: UInt64(ev.address))
                _ = mem.write(u + 96, size: 4, value: UInt64(core.cpsr))
                core.r[0] = sig; core.r[1] = 0; core.r[2] = NEONLayout.coreSignalContext
                core.writeCPSR(core.cpsr & ~0x0600_FC20, mask: 0xFFFF_FFFF, exceptionReturn: true)
                core.branch(to: NEONLayout.handler, thumb: false)
                continue
            }
            let at = lastEvent?.address ?? core.pc
            let what = lastEvent.map { "core took \($0.kind) at \(hex($0.address))" } ?? "core stopped (\(reason)) at \(hex(core.pc))"
            let i = NEONLayout.blockIndex(of: at, count: image.count)
            guard budget > 0, let i, errors[i] == nil else {
                errors[i ?? -1] = what + " (run abandoned)"
                return (readOutput(mem, image), errors)
            }
            errors[i] = what
            core.writeCPSR(core.cpsr & ~0x0600_FC20, mask: 0xFFFF_FFFF, exceptionReturn: true)
            core.branch(to: i + 1 < image.count ? NEONLayout.entry(i + 1) : NEONLayout.exitCode, thumb: false)
        }
        return (readOutput(mem, image), errors)
    }

    static func readOutput(_ mem: PhysicalMemory, _ image: NEONImage) -> [UInt8] {
        guard let p = mem.hostPointer(UInt64(image.outputBase), length: image.outputSize) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: image.outputSize))
    }

    /// A started qemu-arm run of an image (the integer harness's runner).
    static func startQEMU(qemu: String, image: NEONImage) throws -> DiffRunner.QEMURun {
        try DiffRunner.QEMURun(qemu: qemu, elf: image.elf, outputSize: image.outputSize)
    }

    /// Runs `cases` on qemu-arm; if it dies, re-runs prefixes to name the case.
    static func runOnQEMU(_ cases: [NEONCase], qemu: String) throws -> [UInt8] {
        do {
            return try startQEMU(qemu: qemu, image: NEONImage(cases: cases)).finish()
        } catch let DiffError.qemuFailed(msg) {
            var lo = 1, hi = cases.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if (try? startQEMU(qemu: qemu, image: NEONImage(cases: Array(cases[..<mid]))).finish()) != nil { lo = mid + 1 } else { hi = mid }
            }
            throw DiffError.qemuFailed("\(msg)\n  first failing case \(lo - 1): \(cases[lo - 1].describe())")
        }
    }

    static func record(_ out: [UInt8], _ i: Int) -> ArraySlice<UInt8> {
        out[(i * NEONLayout.recordSize)..<((i + 1) * NEONLayout.recordSize)]
    }

    static func word(_ r: ArraySlice<UInt8>, _ at: Int) -> UInt32 {
        let o = r.startIndex + at
        return UInt32(r[o]) | UInt32(r[o + 1]) << 8 | UInt32(r[o + 2]) << 16 | UInt32(r[o + 3]) << 24
    }

    /// Whether two output records agree (the APSR only in its compared bits).
    static func same(_ e: ArraySlice<UInt8>, _ a: ArraySlice<UInt8>) -> Bool {
        let identical = e.withUnsafeBytes { eb in a.withUnsafeBytes { ab in eb.count == ab.count && memcmp(eb.baseAddress!, ab.baseAddress!, eb.count) == 0 } }
        if identical { return true }
        let m = DiffOutcome.mask(signal: word(e, 68)) | DiffOutcome.mask(signal: word(a, 68))
        return word(e, 64) & m == word(a, 64) & m && e.prefix(64).elementsEqual(a.prefix(64))
            && e.dropFirst(68).elementsEqual(a.dropFirst(68))
    }

    /// Compares qemu-arm's output with the core's.
    static func compare(_ cases: [NEONCase], seeds: [UInt64], expected: [UInt8], core: (output: [UInt8], errors: [Int: String]),
                        engine: ExecutionEngine) -> [NEONMismatch] {
        var result: [NEONMismatch] = []
        let complete = core.output.count == expected.count
        for i in cases.indices {
            let e = record(expected, i)
            let ok = core.errors[i] == nil && complete
            if ok && same(e, record(core.output, i)) { continue }
            result.append(NEONMismatch(index: i, ncase: cases[i], caseSeed: seeds[i], engines: [engine], expectedRecord: Array(e),
                                       actualRecord: ok ? Array(record(core.output, i)) : nil,
                                       note: core.errors[i] ?? (complete ? "" : "no core output")))
        }
        return result
    }

    /// Compares stored expected outcomes with the core's output.
    static func compare(_ cases: [NEONCase], seeds: [UInt64], expected: [NEONOutcome], core: (output: [UInt8], errors: [Int: String]),
                        engine: ExecutionEngine) -> [NEONMismatch] {
        compare(cases, seeds: seeds, expected: expected.flatMap(\.record), core: core, engine: engine)
    }

    /// The report: mismatches per family (with how they differ), then the
    /// first reproducer of each family.
    static func report(_ mismatches: [NEONMismatch], perFamily: [String: Int]) -> (table: String, details: String) {
        var summary = NEONMismatchSummary()
        for m in mismatches { summary.add(m) }
        return summary.report(perFamily: perFamily)
    }

    /// Per-family case counts as one line; "(n sig)": n of them faulted on qemu-arm.
    static func countsText(_ perFamily: [String: Int], faults: [String: Int] = [:]) -> String {
        perFamily.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" + ((faults[$0.key] ?? 0) > 0 ? "(\(faults[$0.key]!) sig)" : "") }
            .joined(separator: " ")
    }

    /// Merges the engines' mismatch lists of one batch: one entry per case.
    static func merge(_ lists: [[NEONMismatch]]) -> [NEONMismatch] {
        var byIndex: [Int: NEONMismatch] = [:]
        var order: [Int] = []
        for list in lists {
            for m in list {
                if byIndex[m.index] == nil { byIndex[m.index] = m; order.append(m.index) } else { byIndex[m.index]!.engines += m.engines }
            }
        }
        return order.sorted().map { byIndex[$0]! }
    }
}

/// Mismatches counted per family and way of differing; the first few of
/// each family are kept whole (a run against a core missing whole groups
/// has tens of thousands).
struct NEONMismatchSummary {
    var total = 0
    var counts: [String: Int] = [:]
    var kinds: [String: [String: Int]] = [:]
    var engines: [String: Set<String>] = [:]
    var groups: [String: String] = [:]
    var examples: [String: [NEONMismatch]] = [:]
    static let keep = 3

    mutating func add(_ m: NEONMismatch) {
        let f = m.family
        total += 1
        counts[f, default: 0] += 1
        kinds[f, default: [:]][m.kind, default: 0] += 1
        engines[f, default: []].formUnion(m.engines.map { "\($0)" })
        groups[f] = NEONFamilies.group(of: m.ncase.insn)
        if examples[f, default: []].count < Self.keep { examples[f, default: []].append(m) }
    }

    /// A table of families (most mismatches first) and the first reproducer of each.
    func report(perFamily: [String: Int]) -> (table: String, details: String) {
        let order = counts.keys.sorted { counts[$0]! != counts[$1]! ? counts[$0]! > counts[$1]! : $0 < $1 }
        var byGroup: [String: Int] = [:]
        for (f, n) in counts { byGroup[groups[f]!, default: 0] += n }
        var t = "\(total) NEON mismatches in \(counts.count) families; by group: "
            + byGroup.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        t += "By family (mismatching of cases; how [engines]) {group}:\n"
        for f in order {
            t += "  \(f) {\(groups[f]!)}: \(counts[f]!) of \(perFamily[f] ?? 0); "
                + kinds[f]!.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                + " [\(engines[f]!.sorted().joined(separator: ","))]\n"
        }
        var d = "First reproducer of each family:\n"
        for f in order { d += examples[f]![0].report() }
        return (t, d)
    }
}
