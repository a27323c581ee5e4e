import Foundation
import XCTest

/// Runs binutils' objdump on raw x86-64 bytes, so encodings are checked by an
/// independent decoder rather than against bytes typed into the tests.
enum Disassembler {
    /// One decoded instruction: its offset and its normalised Intel-syntax text.
    struct Line: Equatable {
        let address: Int
        let text: String
    }

    /// The objdump executable, or a skip (a failure under CI) when it is missing.
    static func objdump() throws -> URL {
        let candidates = ["/usr/bin/objdump", "/usr/local/bin/objdump", "/bin/objdump"]
        if let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            return URL(fileURLWithPath: path)
        }
        let message = "objdump not found: apt-get install binutils"
        if ProcessInfo.processInfo.environment["CI"] != nil {
            XCTFail(message)
            throw CancellationError()
        }
        throw XCTSkip(message)
    }

    /// Disassembles `bytes` (as if loaded at address 0).
    static func disassemble(_ bytes: [UInt8]) throws -> [Line] {
        let tool = try objdump()
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("x86asm-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).bin")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let process = Process()
        process.executableURL = tool
        process.arguments = ["-D", "-b", "binary", "-m", "i386:x86-64", "-M", "intel", file.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        // Read before waiting: a full pipe would otherwise block objdump.
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "objdump", code: Int(process.terminationStatus))
        }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// Keeps lines shaped `  addr:\tbytes\tmnemonic operands`; lines with
    /// only bytes continue a long instruction and are dropped.
    static func parse(_ output: String) -> [Line] {
        var lines: [Line] = []
        for raw in output.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = raw.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3 else { continue }
            let addressField = fields[0].trimmingCharacters(in: .whitespaces)
            guard addressField.hasSuffix(":"),
                  let address = Int(addressField.dropLast(), radix: 16) else { continue }
            let text = normalise(fields[2...].joined(separator: " "))
            guard !text.isEmpty else { continue }
            lines.append(Line(address: address, text: text))
        }
        return lines
    }

    /// Collapses runs of whitespace and trims the ends.
    static func normalise(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
