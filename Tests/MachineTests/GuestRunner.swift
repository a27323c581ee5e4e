import ARMv7
import Foundation
import Machine

/// Runs guest images on a bare-metal board and captures the UART output.
enum GuestRunner {
    /// The repository's guests/prebuilt directory.
    static let prebuilt = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("guests/prebuilt")

    final class Capture: @unchecked Sendable {
        var bytes: [UInt8] = []
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// Runs `image` (flat, loaded at RAM + 0x10000) on `engine` and returns outcome and output.
    static func run(_ image: [UInt8], maxInstructions: UInt64 = 200_000_000,
                    ramSize: UInt64 = 64 << 20, engine: ExecutionEngine = .default) throws -> (RunOutcome, String) {
        let capture = Capture()
        let machine = try BareMetalMachine(ramSize: ramSize, engine: engine) { capture.bytes.append($0) }
        try machine.load(GuestImage.flat(image, at: VirtMemoryMap.ramBase + 0x1_0000))
        let outcome = machine.run(maxInstructions: maxInstructions)
        return (outcome, capture.text)
    }

    /// Runs `image` as a VCPU of a VM under the hypervisor.
    static func runVirtualized(_ image: [UInt8], maxInstructions: UInt64 = 200_000_000,
                               ramSize: UInt64 = 64 << 20) throws -> (RunOutcome, String, VirtMachine) {
        let capture = Capture()
        let machine = try VirtMachine(ramSize: ramSize) { capture.bytes.append($0) }
        try machine.load(GuestImage.flat(image, at: VirtMemoryMap.ramBase + 0x1_0000))
        let outcome = machine.run(maxInstructions: maxInstructions)
        return (outcome, capture.text, machine)
    }

    /// Assembles A32 words into a little-endian image.
    static func image(_ words: [UInt32]) -> [UInt8] {
        words.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } }
    }
}
