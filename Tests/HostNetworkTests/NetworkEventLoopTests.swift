import Foundation
import HostNetwork
import XCTest

final class NetworkEventLoopTests: XCTestCase {
    /// Counts what the loop does with it; arms one timer at start.
    final class Recorder: NetworkEventHandler, @unchecked Sendable {
        let lock = NSLock()
        var services = 0, timerFired = false, exited = false, started = false
        var failStart = false

        func loopDidStart(_ loop: NetworkEventLoop) throws {
            if failStart { throw NetworkBackendError("cannot start") }
            let timer = loop.makeTimer { [self] in lock.withLock { timerFired = true } }
            timer.deadline = NetworkEventLoop.monotonicMilliseconds() + 20
            lock.withLock { started = true }
        }
        func service(_ loop: NetworkEventLoop) { lock.withLock { services += 1 } }
        func preparePoll(_ fds: inout [pollfd]) -> Int32 { -1 }
        func pollDidReturn(_ fds: UnsafeMutableBufferPointer<pollfd>, failed: Bool) {}
        func loopWillExit(_ loop: NetworkEventLoop) { lock.withLock { exited = true } }
        func read<T>(_ value: (Recorder) -> T) -> T { lock.withLock { value(self) } }
    }

    private func eventually(_ check: () -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: 5)
        while !check() { if Date() > deadline { return false }; usleep(1000) }
        return true
    }

    func testTimersWakeUpsAndIdempotentStop() throws {
        let loop = try NetworkEventLoop(name: "test-loop")
        let recorder = Recorder()
        try loop.start(recorder)
        XCTAssertTrue(recorder.read(\.started))
        XCTAssertTrue(eventually { recorder.read(\.timerFired) }, "the timer fires with nothing else to wake the loop")
        let before = recorder.read(\.services)
        loop.wake()
        XCTAssertTrue(eventually { recorder.read(\.services) > before }, "wake() runs service")
        loop.stop()
        XCTAssertTrue(recorder.read(\.exited))
        loop.stop()
        loop.wake()
        XCTAssertThrowsError(try loop.start(recorder))
    }

    func testAStartErrorIsThrownAndTheLoopEnds() throws {
        let loop = try NetworkEventLoop(name: "test-loop")
        let recorder = Recorder()
        recorder.failStart = true
        XCTAssertThrowsError(try loop.start(recorder)) { XCTAssertEqual("\($0)", "cannot start") }
        XCTAssertTrue(recorder.read(\.exited))
        loop.stop()
    }
}
