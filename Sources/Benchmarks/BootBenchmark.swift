import Foundation
import Machine

/// Times a whole boot from outside, the same way for Armvisor and for QEMU:
/// the clock starts just before the process is spawned, the marker time is
/// when the marker first appears on its standard output, and the exit time
/// when the process has exited (after the guest powered off).
public enum BootBenchmark {
    /// One timed process run.
    public struct Run: Sendable {
        /// CLOCK_MONOTONIC just before the spawn, in nanoseconds.
        public var spawnedAt: UInt64
        /// Seconds from the spawn to the marker on standard output (nil if it never came).
        public var markerSeconds: Double?
        /// Seconds from the spawn to the exit.
        public var exitSeconds: Double
        /// Exit status as a shell reports it (128 + n for signal n).
        public var status: Int32
        /// Whether the timeout killed it.
        public var timedOut: Bool
        /// Everything the process wrote on standard error.
        public var stderr: String
        /// The last 2 KB of standard output (for error messages).
        public var outputTail: String
    }

    /// Runs `executable` with `arguments` (standard input /dev/null) and times it.
    /// The process is started with posix_spawn directly: Foundation's
    /// `Process` does work of its own before the exec that would be counted
    /// as the guest's start-up.
    ///
    /// `stopAtMarker`: send SIGTERM once the marker appears (a guest that
    /// does not power itself off, such as a system at its login prompt).
    public static func time(executable: String, arguments: [String], marker: String,
                            timeout: Double, stopAtMarker: Bool = false) throws -> Run {
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw LoadError.badOption("pipe: \(errno)") }
        for fd in [outPipe[0], errPipe[0]] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        posix_spawn_file_actions_addclose(&actions, outPipe[1])
        posix_spawn_file_actions_addclose(&actions, errPipe[1])
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let start = MachineLifecycle.monotonicNanoseconds()
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(outPipe[1]); close(errPipe[1])
        guard rc == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw LoadError.unreadable(path: executable, reason: String(cString: strerror(rc)))
        }
        final class Collected: @unchecked Sendable { var data: [UInt8] = [] }
        let errData = Collected(), errDone = DispatchSemaphore(value: 0)
        let errFD = errPipe[0]
        DispatchQueue.global().async {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(errFD, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                errData.data += buffer[0..<n]
            }
            close(errFD)
            errDone.signal()
        }
        final class Flag: @unchecked Sendable { var set = false }
        let killed = Flag()
        let watchdog = DispatchWorkItem { killed.set = true; kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let needle = Array(marker.utf8)
        var window: [UInt8] = [], tail: [UInt8] = []
        var markerAt: UInt64?
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(outPipe[0], $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            let now = MachineLifecycle.monotonicNanoseconds()
            let chunk = buffer[0..<n]
            if markerAt == nil {
                window += chunk
                if contains(window, needle) {
                    markerAt = now
                    if stopAtMarker { kill(pid, SIGTERM) }
                }
                window = Array(window.suffix(needle.count))
            }
            tail = Array((tail + chunk).suffix(2048))
        }
        close(outPipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let end = MachineLifecycle.monotonicNanoseconds()
        watchdog.cancel()
        errDone.wait()
        // Exit status as a shell reports it: the code, or 128 + the signal.
        let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Run(spawnedAt: start, markerSeconds: markerAt.map { Double($0 - start) / 1e9 },
                   exitSeconds: Double(end - start) / 1e9, status: code, timedOut: killed.set,
                   stderr: String(decoding: errData.data, as: UTF8.self),
                   outputTail: String(decoding: tail, as: UTF8.self))
    }

    /// The first executable called `name` on PATH (or `name` itself if it is a path).
    public static func findExecutable(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The median of `values` (the mean of the middle two for an even count).
    public static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
