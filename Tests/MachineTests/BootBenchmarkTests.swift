import Foundation
import XCTest
import Machine
import Benchmarks

final class BootBenchmarkTests: XCTestCase {
    func testMarkerAndExitAreTimedFromTheSpawn() throws {
        let r = try BootBenchmark.time(executable: "/bin/sh",
                                       arguments: ["-c", "echo booting; sleep 0.2; printf 'xxMAR'; printf 'KERyy\\n'; sleep 0.2; echo err >&2"],
                                       marker: "MARKER", timeout: 10)
        XCTAssertEqual(r.status, 0)
        XCTAssertFalse(r.timedOut)
        let marker = try XCTUnwrap(r.markerSeconds, "marker split across writes is still found")
        XCTAssertGreaterThanOrEqual(marker, 0.2)
        XCTAssertGreaterThanOrEqual(r.exitSeconds, marker + 0.2)
        XCTAssertEqual(r.stderr, "err\n")
    }

    func testHungProcessIsKilledAtTheTimeout() throws {
        let r = try BootBenchmark.time(executable: "/bin/sleep", arguments: ["30"], marker: "never", timeout: 0.3)
        XCTAssertTrue(r.timedOut)
        XCTAssertNil(r.markerSeconds)
        XCTAssertLessThan(r.exitSeconds, 10)
    }

    func testTimingReportRoundTripsThroughStderr() {
        let report = BootTimingReport(firstGuestEntryNanoseconds: 123_456_789, peakResidentBytes: 40 << 20,
                                      guestResidentBytes: 20 << 20)
        XCTAssertEqual(BootTimingReport.parse("noise\n\(report.line)\nmore\n"), report)
        XCTAssertNil(BootTimingReport.parse("armvisor-timing: first-entry-ns=1"))
    }

    func testMedian() {
        XCTAssertEqual(BootBenchmark.median([3, 1, 2]), 2)
        XCTAssertEqual(BootBenchmark.median([4, 1, 2, 3]), 2.5)
    }
}
