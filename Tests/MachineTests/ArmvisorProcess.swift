import Foundation
import XCTest

/// The built `armvisor` binary running a guest in the background, as a user
/// runs it: its console output is collected as it comes, lines can be typed
/// at its console, and it can be waited for or killed.
final class ArmvisorProcess: @unchecked Sendable {
    let process = Process()
    private let condition = NSCondition()
    private var output: [UInt8] = []
    private let input = Pipe()
    private var finished = false

    init(_ arguments: [String], binary: URL = CommandLineTests.binary) throws {
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = input
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.condition.lock()
            if data.isEmpty { self.finished = true; handle.readabilityHandler = nil } else { self.output += data }
            self.condition.broadcast()
            self.condition.unlock()
        }
        try process.run()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    /// Everything the process printed so far.
    var text: String { condition.lock(); defer { condition.unlock() }; return String(decoding: output, as: UTF8.self) }

    /// Waits until the output contains `marker`; false on timeout or exit.
    func wait(for marker: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock(); defer { condition.unlock() }
        while !String(decoding: output, as: UTF8.self).contains(marker) {
            if finished || !condition.wait(until: deadline) { return false }
        }
        return true
    }

    /// Types `line` and a newline at the guest's console.
    func type(_ line: String) { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }

    /// Waits for the process to exit (killing it after `seconds`); its status.
    @discardableResult
    func waitForExit(seconds: Double) -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILL: the hypervisor gets no chance to flush or close anything.
    func killHard() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago (for host forwarding).
func freeLoopbackPort() -> UInt16 {
    let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(s) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in
            _ = bind(s, p, length)
            return getsockname(s, p, &length)
        }
    }
    return UInt16(bigEndian: address.sin_port)
}
