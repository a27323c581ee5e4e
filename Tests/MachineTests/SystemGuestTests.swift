import XCTest
@testable import Machine

/// Runs every bare-metal system test in guests/prebuilt (systest-*.bin):
/// each prints PASS/FAIL lines and DONE, then powers off.
final class SystemGuestTests: XCTestCase {
    func testEverySystemGuestPasses() throws {
        try runAll(virtualized: false)
    }

    /// The same guests as VCPUs under the hypervisor: stage 2, traps and
    /// MMIO exits must be invisible to them.
    func testEverySystemGuestPassesUnderTheHypervisor() throws {
        try runAll(virtualized: true)
    }

    private func runAll(virtualized: Bool) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: GuestRunner.prebuilt.path)
            .filter { $0.hasPrefix("systest-") && $0.hasSuffix(".bin") }.sorted()
        XCTAssertFalse(files.isEmpty, "no system test guests in \(GuestRunner.prebuilt.path)")
        for name in files {
            let bytes = try [UInt8](Data(contentsOf: GuestRunner.prebuilt.appendingPathComponent(name)))
            let (outcome, text) = virtualized ? try { let r = try GuestRunner.runVirtualized(bytes); return (r.0, r.1) }()
                                              : try GuestRunner.run(bytes)
            XCTAssertEqual(outcome, .powerOff, "\(name): \(outcome)\n\(text)")
            XCTAssertTrue(text.contains("DONE"), "\(name) did not finish:\n\(text)")
            XCTAssertTrue(text.contains("PASS"), "\(name) passed nothing:\n\(text)")
            for line in text.split(separator: "\n") where line.hasPrefix("FAIL") {
                XCTFail("\(name): \(line)")
            }
        }
    }
}
