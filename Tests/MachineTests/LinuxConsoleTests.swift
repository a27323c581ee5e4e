import Foundation
import XCTest
@testable import Machine
@testable import HostConsole

/// Typing at Linux: Debian's kernel boots to an /init that reads lines from
/// its console (ttyAMA0, the amba-pl011 driver, interrupt-driven), fed by
/// the console's reader thread from a pipe the way a user's typing would be.
final class LinuxConsoleTests: XCTestCase {
    final class Output: @unchecked Sendable {
        private let lock = NSCondition()
        private var bytes: [UInt8] = []
        func append(_ b: UInt8) { lock.lock(); bytes.append(b); lock.broadcast(); lock.unlock() }
        var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: bytes, as: UTF8.self) }
        /// Waits until the output contains `marker` (false on timeout).
        func wait(for marker: String, seconds: Double) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            lock.lock(); defer { lock.unlock() }
            while !String(decoding: bytes, as: UTF8.self).contains(marker) {
                if !lock.wait(until: deadline) { return false }
            }
            return true
        }
    }

    static let script = """
        #!/bin/busybox sh
        /bin/busybox --install -s /bin
        mount -t proc proc /proc
        echo "ARMVISOR-INIT-MARKER"
        echo "TYPE-A-LINE:"
        read -r line
        echo "GOT:[$line]"
        read -r line
        echo "GOT2:[$line]"
        grep pl011 /proc/interrupts
        poweroff -f

        """

    func testTypedLinesReachAShellOnTheLinuxConsole() throws {
        let (kernel, initrd) = try DebianGuest.files()
        let rd = try DebianGuest.initrd(initrd, withInit: Self.script)

        let output = Output()
        let machine = try VirtMachine(ramSize: 256 << 20) { output.append($0) }
        try machine.load(GuestImage.flat(try GuestImage.read(path: kernel.path),
                                         at: VirtMemoryMap.ramBase + VirtMemoryMap.defaultFlatLoadOffset),
                         bootargs: "console=ttyAMA0", initrd: rd)
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        let stop = machine.stopHandle
        let console = TerminalConsole(uart: machine.uart, inputFD: fds[0],
                                      onQuit: { stop.requestStop(reason: .console) }, printText: { _ in })
        stop.setExternalInput(true)
        console.start()
        final class Box: @unchecked Sendable { var outcome: RunOutcome? }
        let box = Box(), done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) let m = machine
        Thread { box.outcome = m.run(maxInstructions: 20_000_000_000); done.signal() }.start()

        func type(_ s: String) { _ = Array(s.utf8).withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) } }
        XCTAssertTrue(output.wait(for: "TYPE-A-LINE:", seconds: 600), String(output.text.suffix(2000)))
        type("hello armvisor\n")
        XCTAssertTrue(output.wait(for: "GOT:[hello armvisor]", seconds: 60), String(output.text.suffix(500)))
        // More than the FIFO holds, in one burst: back-pressure, not overrun.
        let long = String(repeating: "0123456789abcdef", count: 12)
        type(long + "\n")
        XCTAssertTrue(output.wait(for: "GOT2:[\(long)]", seconds: 60), String(output.text.suffix(800)))
        if done.wait(timeout: .now() + 120) == .timedOut {
            machine.requestStop(reason: .requested("test timeout"))
            done.wait()
        }
        console.stop()
        XCTAssertEqual(box.outcome, .powerOff, String(output.text.suffix(1000)))
        let irqLine = output.text.split(whereSeparator: \.isNewline).first { $0.contains("uart-pl011") } ?? ""
        let count = irqLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        XCTAssertGreaterThan(count, 0, "input arrived by interrupt: \(irqLine)")
    }
}
