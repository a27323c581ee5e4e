import Foundation
import XCTest
import Machine
import Guests

/// The Swift example of the "Embedding a VM" article
/// (Sources/Machine/Machine.docc/EmbeddingAVM.md), run as a test.
///
/// The lines between "article example: begin" and "article example: end"
/// are the article's example without its `import` lines. The second test
/// checks that the two stay the same.
final class EmbeddingExampleTests: XCTestCase {
    func testArticleExampleRunsTheDemoGuestToPowerOff() throws {
        // article example: begin
        // 128 MiB of RAM, one VCPU, no virtio devices. Every byte the guest writes
        // to its UART (PL011) is passed to this closure.
        var output: [UInt8] = []
        let machine = try VirtMachine(ramSize: 128 << 20, cpus: 1, virtio: .none) { byte in
            output.append(byte)
        }

        // A flat binary at RAM + 0x10000, entered at its first byte. `load` also
        // writes the board's device tree and sets r0-r2 as QEMU's -kernel does.
        let demo = GuestImage.flat(EmbeddedGuests.demo,
                                   at: VirtMemoryMap.ramBase + VirtMemoryMap.defaultFlatLoadOffset)
        try machine.load(demo, bootargs: "")

        // Blocks until the guest powers off or fails. VCPU 0 runs on this thread.
        let outcome = machine.run()
        machine.shutdown()

        print(String(decoding: output, as: UTF8.self))
        switch outcome {
        case .powerOff, .reset: print("guest finished")
        case .instructionLimit: print("instruction limit reached")
        case .guestError(let message): print("guest error: \(message)")
        case .stopped(let reason): print("stopped: \(reason)")
        }
        // article example: end

        let text = String(decoding: output, as: UTF8.self)
        XCTAssertTrue(text.contains("demo guest: done"), text)
        XCTAssertEqual(outcome, .powerOff)
    }

    func testArticleAndTestShowTheSameExample() throws {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let article = try String(contentsOf: root.appendingPathComponent(
            "Sources/Machine/Machine.docc/EmbeddingAVM.md"), encoding: .utf8)
        let test = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)

        // The article's code block that runs the demo guest, without imports.
        let blocks = article.components(separatedBy: "```swift\n").dropFirst()
            .map { $0.components(separatedBy: "```")[0] }
        let block = try XCTUnwrap(blocks.first { $0.contains("EmbeddedGuests.demo") },
                                  "the article has no example that runs EmbeddedGuests.demo")
        let articleLines = Self.lines(block).filter { !$0.hasPrefix("import ") }

        // The lines between the markers in this file.
        let marker = "// article example: "
        let between = test.components(separatedBy: marker + "begin\n").dropFirst().first?
            .components(separatedBy: marker + "end").first
        let testLines = Self.lines(try XCTUnwrap(between, "markers not found"))

        XCTAssertFalse(articleLines.isEmpty)
        XCTAssertEqual(articleLines, testLines)
    }

    /// Non-empty lines, without leading and trailing spaces.
    private static func lines(_ text: String) -> [String] {
        text.split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}
