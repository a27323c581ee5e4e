import Foundation

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
        public var status: Int32
        /// Whether the timeout killed it.
        public var timedOut: Bool
        public var stderr: String
        /// The last 2 KB of standard output (for error messages).
        public var outputTail: String
    }

    /// Runs `executable` with `arguments` (standard input /dev/null) and times it.
    public static func time(executable: String, arguments: [String], marker: String,
                            timeout: Double) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        final class Collected: @unchecked Sendable { var data = Data() }
        let errData = Collected(), errDone = DispatchSemaphore(value: 0)
        let start = MachineLifecycle.monotonicNanoseconds()
        try p.run()
        DispatchQueue.global().async {
            errData.data = err.fileHandleForReading.readDataToEndOfFile()
            errDone.signal()
        }
        final class Flag: @unchecked Sendable { var set = false }
        let killed = Flag()
        let pid = p.processIdentifier
        let watchdog = DispatchWorkItem { killed.set = true; kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let needle = Array(marker.utf8)
        var window: [UInt8] = [], tail: [UInt8] = []
        var markerAt: UInt64?
        let fd = out.fileHandleForReading.fileDescriptor
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            let now = MachineLifecycle.monotonicNanoseconds()
            let chunk = buffer[0..<n]
            if markerAt == nil {
                window += chunk
                if contains(window, needle) { markerAt = now }
                window = Array(window.suffix(needle.count))
            }
            tail = Array((tail + chunk).suffix(2048))
        }
        p.waitUntilExit()
        let end = MachineLifecycle.monotonicNanoseconds()
        watchdog.cancel()
        errDone.wait()
        return Run(spawnedAt: start, markerSeconds: markerAt.map { Double($0 - start) / 1e9 },
                   exitSeconds: Double(end - start) / 1e9, status: p.terminationStatus, timedOut: killed.set,
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
