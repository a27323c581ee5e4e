import Foundation
@testable import ARMv7

// Differential testing against qemu-arm, part 3: running an image on the core
// and on qemu-arm, comparing, reporting, and the stored corpus format.

/// A case on which the core and the reference disagree.
struct DiffMismatch {
    var index: Int
    var dcase: DiffCase
    var expected: DiffOutcome?   // nil: the reference did not produce a result
    var actual: DiffOutcome?     // nil: the core did not produce a result
    var note: String

    /// A minimal reproducer: the instruction, its initial state and both results.
    func report(templates: [[UInt8]]) -> String {
        let words = dcase.isThumb
            ? "T32 " + dcase.thumb.map { $0 > 0xFFFF ? String(format: "%04x %04x", $0 >> 16, $0 & 0xFFFF) : String(format: "%04x", $0) }
                .joined(separator: " | ")
            : DiffText.hex(dcase.insn) + (dcase.insn2 == DiffAsm.nop ? "" : " + " + DiffText.hex(dcase.insn2))
        var s = "MISMATCH [\(dcase.cls)] insn \(words): \(dcase.desc)\n"
        if !note.isEmpty { s += "  note: \(note)\n" }
        let at = dcase.isThumb ? DiffLayout.thumbTest(index) : DiffLayout.test(index)
        s += "  at \(DiffText.hex(at)) (case \(index) of its image\(dcase.isThumb ? ", Thumb" : ""))\n"
        s += "  in:  " + (0..<15).map { "\(DiffText.reg($0))=\(DiffText.hex(dcase.regs[$0]))" }.joined(separator: " ")
        s += "\n       APSR \(DiffText.psr(dcase.psr)) template \(dcase.template)"
        for p in dcase.patches { s += " mem[\(DiffText.hex(p.address))]=\(DiffText.hex(p.value))" }
        s += "\n"
        if let e = expected, let a = actual {
            for d in e.differences(from: a) { s += "  differs: \(d)\n" }
            s += "  qemu: " + DiffMismatch.regsText(e) + "\n"
            s += "  core: " + DiffMismatch.regsText(a) + "\n"
        } else {
            if let e = expected { s += "  qemu: " + DiffMismatch.regsText(e) + "\n" }
            if let a = actual { s += "  core: " + DiffMismatch.regsText(a) + "\n" }
        }
        s += "  repro: " + DiffCorpus.caseLine(dcase) + "\n"
        return s
    }

    static func regsText(_ o: DiffOutcome) -> String {
        (0..<15).map { "\(DiffText.reg($0))=\(DiffText.hex(o.regs[$0]))" }.joined(separator: " ")
            + " landing=\(DiffText.hex(o.landing)) APSR \(DiffText.psr(o.psr))" + (o.signal != 0 ? " signal \(o.signal)" : "")
    }
}

enum DiffRunner {
    // MARK: The core

    /// Runs `image` on a fresh ARMv7 core in User mode under `engine`.
    /// Returns the output area and, per case, a note when the core took an
    /// unexpected exception there (execution then continues with the next case).
    static func runOnCore(_ image: DiffImage, engine: ExecutionEngine = .default) throws
        -> (output: [UInt8], errors: [Int: String]) {
        let mem = PhysicalMemory()
        let end = UInt64(DiffLayout.imageBase) + UInt64(image.memorySize)
        try mem.addRAM(base: 0, size: (end + 0xFFFFF) & ~0xFFFFF)
        try mem.load(image.elf, at: UInt64(DiffLayout.imageBase))
        let core = Core(memory: mem)
        try core.setEngine(engine, translationThreshold: 1)   // translate at once: the JIT under test
        // qemu-arm runs the program in User mode with A, I and F clear.
        core.writeCPSR(0x0000_0010, mask: 0xFFFF_FFFF, exceptionReturn: true)
        let thumb = image.thumb
        core.branch(to: DiffLayout.entry(0, thumb: thumb), thumb: false)
        var lastEvent: ExceptionEvent?
        core.exceptionHook = { _, ev in lastEvent = ev; return true }
        var errors: [Int: String] = [:]
        var budget = image.count * 400 + 10_000
        while true {
            lastEvent = nil
            let before = core.instructionCount
            let reason = core.run(budget: budget)
            budget -= Int(core.instructionCount - before)
            if reason == .hookStop, let ev = lastEvent, ev.kind == .supervisorCall, ev.address == DiffImage.exitSVC {
                break
            }
            // WFI/WFE with nothing pending: the core has moved past it; go on.
            if (reason == .waitForInterrupt || reason == .waitForEvent) && budget > 0 { continue }
            // A fault in a test slot: deliver the signal qemu-arm's Linux would,
            // by running the program's handler with a signal context.
            if reason == .hookStop, let ev = lastEvent, budget > 0,
               let i = DiffLayout.blockIndex(of: ev.address, count: image.count, thumb: thumb),
               DiffLayout.isTestAddress(ev.address, i, thumb: thumb),
               let sig = signal(for: ev, core: core, thumb: thumb) {
                let u = UInt64(DiffLayout.coreSignalContext)
                for k in 0..<15 { _ = mem.write(u + 32 + UInt64(4 * k), size: 4, value: UInt64(core.r[k])) }
                _ = mem.write(u + 92, size: 4, value: UInt64(ev.address))
                _ = mem.write(u + 96, size: 4, value: UInt64(core.cpsr))
                core.r[0] = sig; core.r[1] = 0; core.r[2] = DiffLayout.coreSignalContext
                // Linux enters the (ARM) handler with T and ITSTATE clear.
                core.writeCPSR(core.cpsr & ~0x0600_FC20, mask: 0xFFFF_FFFF, exceptionReturn: true)
                core.branch(to: DiffLayout.handler, thumb: false)
                continue
            }
            let where_ = lastEvent?.address ?? core.pc
            let what = lastEvent.map { "core took \($0.kind) at \(DiffText.hex($0.address))" }
                ?? "core stopped (\(reason)) at \(DiffText.hex(core.pc))"
            // Attribute the stop to a case and carry on with the next one.
            guard budget > 0, let i = DiffLayout.blockIndex(of: where_, count: image.count, thumb: thumb), errors[i] == nil else {
                let i = DiffLayout.blockIndex(of: where_, count: image.count, thumb: thumb) ?? -1
                errors[i] = what + " (run abandoned)"
                return (readOutput(mem, image), errors)
            }
            errors[i] = what
            core.writeCPSR(core.cpsr & ~0x0600_FC20, mask: 0xFFFF_FFFF, exceptionReturn: true)
            core.branch(to: i + 1 < image.count ? DiffLayout.entry(i + 1, thumb: thumb) : DiffLayout.exitCode, thumb: false)
        }
        return (readOutput(mem, image), errors)
    }

    /// The Linux signal for an exception the core took in User mode.
    static func signal(for ev: ExceptionEvent, core: Core, thumb: Bool = false) -> UInt32? {
        switch ev.kind {
        case .undefined: return 4                                   // SIGILL
        case .dataAbort: return core.sys.dfsr & 0x40F == 1 ? 7 : 11 // alignment: SIGBUS, else SIGSEGV
        case .prefetchAbort where thumb:
            let hw = core.memory.read(UInt64(ev.address), size: 2).map { UInt32(truncatingIfNeeded: $0) } ?? 0
            return hw & 0xFF00 == 0xBE00 ? 5 : 11                    // BKPT (T1): SIGTRAP
        case .prefetchAbort:
            let word = core.memory.read(UInt64(ev.address), size: 4).map { UInt32(truncatingIfNeeded: $0) } ?? 0
            return word & 0x0FF0_00F0 == 0x0120_0070 ? 5 : 11       // BKPT: SIGTRAP
        default: return nil
        }
    }

    static func readOutput(_ mem: PhysicalMemory, _ image: DiffImage) -> [UInt8] {
        guard let p = mem.hostPointer(UInt64(image.outputBase), length: image.outputSize) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: image.outputSize))
    }

    // MARK: qemu-arm

    /// The qemu-arm executable: $ARMVISOR_QEMU_ARM, or `qemu-arm` on the PATH.
    static func qemuPath() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let p = env["ARMVISOR_QEMU_ARM"], FileManager.default.isExecutableFile(atPath: p) { return p }
        for dir in (env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/qemu-arm"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// First line of `qemu-arm --version`.
    static func qemuVersion(_ qemu: String) -> String {
        let p = Process(), pipe = Pipe()
        p.executableURL = URL(fileURLWithPath: qemu)
        p.arguments = ["--version"]
        p.standardOutput = pipe
        guard (try? p.run()) != nil else { return "qemu-arm (unknown version)" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "qemu-arm"
    }

    /// A started qemu-arm run of an image; `finish` collects its output.
    final class QEMURun {
        let process = Process()
        let dir: URL
        let outURL: URL
        let errURL: URL
        let expectedSize: Int

        convenience init(qemu: String, image: DiffImage) throws {
            try self.init(qemu: qemu, elf: image.elf, outputSize: image.outputSize)
        }

        /// Starts qemu-arm on a test ELF whose results fill `outputSize` bytes of standard output.
        init(qemu: String, elf: [UInt8], outputSize: Int) throws {
            dir = FileManager.default.temporaryDirectory
                .appendingPathComponent("armvisor-diff-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let elfURL = dir.appendingPathComponent("cases.elf")
            outURL = dir.appendingPathComponent("out.bin")
            errURL = dir.appendingPathComponent("err.txt")
            try Data(elf).write(to: elfURL)
            // qemu-arm refuses (status 1, no message) to load a file without execute permission.
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: elfURL.path)
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            expectedSize = outputSize
            process.executableURL = URL(fileURLWithPath: qemu)
            process.arguments = ["-cpu", "cortex-a15", elfURL.path]
            process.standardOutput = try FileHandle(forWritingTo: outURL)
            process.standardError = try FileHandle(forWritingTo: errURL)
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        /// Waits for qemu-arm; returns its output area, or throws with its status and stderr.
        func finish() throws -> [UInt8] {
            process.waitUntilExit()
            defer { if ProcessInfo.processInfo.environment["ARMVISOR_DIFF_KEEP"] == nil { try? FileManager.default.removeItem(at: dir) } }
            let out = (try? Data(contentsOf: outURL)) ?? Data()
            let err = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
            guard process.terminationReason == .exit, process.terminationStatus == 0, out.count == expectedSize else {
                throw DiffError.qemuFailed("qemu-arm: status \(process.terminationStatus) (\(process.terminationReason == .exit ? "exit" : "signal")), \(out.count) of \(expectedSize) bytes; \(err.prefix(400))")
            }
            return [UInt8](out)
        }
    }

    /// Runs `cases` on qemu-arm. If qemu-arm dies (a generator bug: some
    /// case faulted), bisects to name the offending case.
    static func runOnQEMU(_ cases: [DiffCase], templates: [[UInt8]], qemu: String) throws -> [DiffOutcome] {
        let image = DiffImage(cases: cases, templates: templates)
        do {
            return outcomes(try QEMURun(qemu: qemu, image: image).finish(), count: cases.count)
        } catch let DiffError.qemuFailed(msg) {
            if cases.count == 1 {
                throw DiffError.qemuFailed("\(msg)\n  on case: \(cases[0].desc) \(DiffText.hex(cases[0].insn))")
            }
            // Positions matter (addresses are per index): re-run prefixes.
            var lo = 1, hi = cases.count
            while lo < hi {
                let mid = (lo + hi) / 2
                let ok = (try? QEMURun(qemu: qemu, image: DiffImage(cases: Array(cases[..<mid]), templates: templates)).finish()) != nil
                if ok { lo = mid + 1 } else { hi = mid }
            }
            let bad = cases[lo - 1]
            throw DiffError.qemuFailed("\(msg)\n  first failing case \(lo - 1): [\(bad.cls)] \(DiffText.hex(bad.insn)) \(bad.desc)\n  repro: \(DiffCorpus.caseLine(bad))")
        }
    }

    static func outcomes(_ bytes: [UInt8], count: Int) -> [DiffOutcome] {
        let n = DiffLayout.outputRecordSize
        return (0..<count).map { DiffOutcome(record: bytes[($0 * n)..<(($0 + 1) * n)]) }
    }

    // MARK: Comparison

    /// Compares expected (reference) outcomes with the core's run of the same cases.
    static func compare(_ cases: [DiffCase], expected: [DiffOutcome], coreOutput: [UInt8],
                        coreErrors: [Int: String]) -> [DiffMismatch] {
        let actual = coreOutput.count == cases.count * DiffLayout.outputRecordSize
            ? outcomes(coreOutput, count: cases.count) : nil
        var result: [DiffMismatch] = []
        for (i, c) in cases.enumerated() {
            let a = coreErrors[i] == nil ? actual?[i] : nil
            if let a, a.differences(from: expected[i]).isEmpty == false || expected[i].differences(from: a).isEmpty == false {
                result.append(DiffMismatch(index: i, dcase: c, expected: expected[i], actual: a, note: ""))
            } else if a == nil {
                result.append(DiffMismatch(index: i, dcase: c, expected: expected[i], actual: nil,
                                           note: coreErrors[i] ?? "no core output"))
            }
        }
        return result
    }

    /// Generates `count` cases from `seed`, runs them on both sides in
    /// images of `batch` cases (qemu-arm runs while the core runs the
    /// previous batch) and returns the mismatches.
    static func randomRun(seed: UInt64, count: Int, batch: Int = 4096, thumb: Bool = false, qemu: String,
                          log: (String) -> Void) throws -> (mismatches: [DiffMismatch], perClass: [String: Int]) {
        var gen = DiffGenerator(seed: seed)
        var tgen = DiffThumbGenerator(seed: seed)
        let templates = DiffGenerator.templates(seed: seed)
        var mismatches: [DiffMismatch] = []
        var perClass: [String: Int] = [:]
        var done = 0
        while done < count {
            let n = min(batch, count - done)
            let cases = (0..<n).map { thumb ? tgen.next(index: $0) : gen.next(index: $0) }
            for c in cases { perClass[c.cls, default: 0] += 1 }
            let image = DiffImage(cases: cases, templates: templates)
            let q = try QEMURun(qemu: qemu, image: image)
            let core = try runOnCore(image, engine: .jit)
            let expected: [DiffOutcome]
            do {
                expected = outcomes(try q.finish(), count: n)
            } catch {
                _ = try runOnQEMU(cases, templates: templates, qemu: qemu)   // bisects and throws
                throw error
            }
            var found = compare(cases, expected: expected, coreOutput: core.output, coreErrors: core.errors)
            for k in found.indices { found[k].note += found[k].note.isEmpty ? "batch at case \(done)" : "; batch at case \(done)" }
            mismatches += found
            done += n
        }
        log("differential\(thumb ? " T32" : ""): \(count) cases, \(mismatches.count) mismatches")
        return (mismatches, perClass)
    }
}

enum DiffError: Error, CustomStringConvertible {
    case qemuFailed(String)
    case corpus(String)
    var description: String {
        switch self {
        case .qemuFailed(let s): return s
        case .corpus(let s): return "corpus: " + s
        }
    }
}

/// The stored corpus: cases with the outcomes qemu-arm produced for them.
///
/// Text, one case per two lines:
///   C <cls> <insn> <psr> <template> <r0>,…,<r14> <patches|-> <desc…>
///   E <r0>,…,<r14> <landing> <psr> <scratch changes as off:byte,…|-> [signal]
/// Scratch changes are relative to the case's initial scratch (template +
/// patches). Header lines: `layout N`, `seed S`, `T <n> <hex bytes>`.
enum DiffCorpus {
    static func caseLine(_ c: DiffCase) -> String {
        let regs = c.regs.map { String($0, radix: 16) }.joined(separator: ",")
        let patches = c.patches.isEmpty ? "-"
            : c.patches.map { String($0.address, radix: 16) + "=" + String($0.value, radix: 16) }.joined(separator: ",")
        // T32: "t<k>:" (k = the element under test) and the sequence, each
        // element 4 (16-bit) or 8 (32-bit) hex digits, joined by "/".
        let insn = c.isThumb
            ? "t\(c.thumb.firstIndex(of: c.insn) ?? 0):" + c.thumb.map { String(format: $0 > 0xFFFF ? "%08x" : "%04x", $0) }
                .joined(separator: "/")
            : String(c.insn, radix: 16) + (c.insn2 == DiffAsm.nop ? "" : "/" + String(c.insn2, radix: 16))
        return "C \(c.cls) \(insn) \(String(c.psr, radix: 16)) \(c.template) \(regs) \(patches) \(c.desc)"
    }

    static func outcomeLine(_ o: DiffOutcome, initial: [UInt8]) -> String {
        let regs = o.regs.map { String($0, radix: 16) }.joined(separator: ",")
        var changes: [String] = []
        for i in 0..<o.scratch.count where o.scratch[i] != initial[i] {
            changes.append(String(i, radix: 16) + ":" + String(o.scratch[i], radix: 16))
        }
        let sig = o.signal == 0 ? "" : " \(o.signal)"
        return "E \(regs) \(String(o.landing, radix: 16)) \(String(o.psr & DiffOutcome.mask(signal: o.signal), radix: 16)) \(changes.isEmpty ? "-" : changes.joined(separator: ","))\(sig)"
    }

    static func write(seed: UInt64, templates: [[UInt8]], cases: [DiffCase], outcomes: [DiffOutcome],
                      header: [String]) -> String {
        var s = header.map { "# " + $0 }.joined(separator: "\n") + "\n"
        s += "layout \(DiffLayout.versionText(thumb: cases.first?.isThumb ?? false))\nseed \(String(seed, radix: 16))\n"
        for (t, bytes) in templates.enumerated() {
            s += "T \(t) " + bytes.map { String(format: "%02x", $0) }.joined() + "\n"
        }
        for (c, o) in zip(cases, outcomes) {
            s += caseLine(c) + "\n" + outcomeLine(o, initial: DiffImage.initialScratch(c, templates: templates)) + "\n"
        }
        return s
    }

    static func hexWord(_ s: Substring) throws -> UInt32 {
        guard let v = UInt32(s, radix: 16) else { throw DiffError.corpus("bad hex '\(s)'") }
        return v
    }

    static func parseCase(_ line: Substring) throws -> DiffCase {
        let f = line.split(separator: " ", maxSplits: 7, omittingEmptySubsequences: false)
        guard f.count >= 7, f[0] == "C" else { throw DiffError.corpus("bad case line: \(line)") }
        let regs = try f[5].split(separator: ",").map(hexWord)
        guard regs.count == 15, let t = Int(f[4]), (0..<DiffLayout.templateCount).contains(t) else {
            throw DiffError.corpus("bad case line: \(line)")
        }
        var patches: [DiffPatch] = []
        if f[6] != "-" {
            for p in f[6].split(separator: ",") {
                let kv = p.split(separator: "=")
                guard kv.count == 2 else { throw DiffError.corpus("bad patch \(p)") }
                patches.append(DiffPatch(address: try hexWord(kv[0]), value: try hexWord(kv[1])))
            }
        }
        if f[2].hasPrefix("t") {
            let parts = f[2].dropFirst().split(separator: ":")
            guard parts.count == 2, let k = Int(parts[0]) else { throw DiffError.corpus("bad T32 instruction field: \(line)") }
            let seq = try parts[1].split(separator: "/").map { e -> UInt32 in
                guard e.count == 4 || e.count == 8 else { throw DiffError.corpus("bad T32 instruction \(e)") }
                return try hexWord(e)
            }
            guard k < seq.count else { throw DiffError.corpus("bad T32 instruction field: \(line)") }
            return DiffCase(cls: String(f[1]), insn: seq[k], desc: f.count > 7 ? String(f[7]) : "", regs: regs,
                            psr: try hexWord(f[3]), template: t, patches: patches, thumb: seq)
        }
        let words = try f[2].split(separator: "/").map(hexWord)
        guard words.count == 1 || words.count == 2 else { throw DiffError.corpus("bad instruction field: \(line)") }
        return DiffCase(cls: String(f[1]), insn: words[0], insn2: words.count == 2 ? words[1] : DiffAsm.nop,
                        desc: f.count > 7 ? String(f[7]) : "", regs: regs, psr: try hexWord(f[3]), template: t,
                        patches: patches)
    }

    static func parseOutcome(_ line: Substring, initial: [UInt8]) throws -> DiffOutcome {
        let f = line.split(separator: " ")
        guard f.count == 5 || f.count == 6, f[0] == "E" else { throw DiffError.corpus("bad outcome line: \(line)") }
        let regs = try f[1].split(separator: ",").map(hexWord)
        guard regs.count == 15 else { throw DiffError.corpus("bad outcome line: \(line)") }
        var scratch = initial
        if f[4] != "-" {
            for ch in f[4].split(separator: ",") {
                let kv = ch.split(separator: ":")
                guard kv.count == 2, let o = Int(kv[0], radix: 16), o < scratch.count, let b = UInt8(kv[1], radix: 16) else {
                    throw DiffError.corpus("bad scratch change \(ch)")
                }
                scratch[o] = b
            }
        }
        let sig = f.count == 6 ? UInt32(f[5]) ?? 0 : 0
        return DiffOutcome(regs: regs, landing: try hexWord(f[2]), psr: try hexWord(f[3]), signal: sig, scratch: scratch)
    }

    struct Loaded {
        var seed: UInt64
        var templates: [[UInt8]]
        var cases: [DiffCase]
        var outcomes: [DiffOutcome]
    }

    static func parse(_ text: String) throws -> Loaded {
        var seed: UInt64 = 0
        var templates = [[UInt8]](repeating: [], count: DiffLayout.templateCount)
        var cases: [DiffCase] = []
        var outs: [DiffOutcome] = []
        var pending: DiffCase?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("layout ") {
                guard line.dropFirst(7) == DiffLayout.versionText(thumb: line.dropFirst(7).hasPrefix("T")) else {
                    throw DiffError.corpus("layout \(line.dropFirst(7)) != \(DiffLayout.version): regenerate the corpus (see DifferentialTests.swift)")
                }
            } else if line.hasPrefix("seed ") {
                seed = UInt64(line.dropFirst(5), radix: 16) ?? 0
            } else if line.hasPrefix("T ") {
                let f = line.split(separator: " ")
                guard f.count == 3, let t = Int(f[1]), t < templates.count, f[2].count == 2 * DiffLayout.scratchSize else {
                    throw DiffError.corpus("bad template line")
                }
                let chars = Array(f[2])
                templates[t] = try stride(from: 0, to: chars.count, by: 2).map { k in
                    guard let b = UInt8(String(chars[k..<(k + 2)]), radix: 16) else { throw DiffError.corpus("bad template byte") }
                    return b
                }
            } else if line.hasPrefix("C ") {
                pending = try parseCase(line)
            } else if line.hasPrefix("E ") {
                guard let c = pending else { throw DiffError.corpus("outcome without case") }
                guard templates.allSatisfy({ $0.count == DiffLayout.scratchSize }) else { throw DiffError.corpus("missing templates") }
                cases.append(c)
                outs.append(try parseOutcome(line, initial: DiffImage.initialScratch(c, templates: templates)))
                pending = nil
            }
        }
        return Loaded(seed: seed, templates: templates, cases: cases, outcomes: outs)
    }
}
