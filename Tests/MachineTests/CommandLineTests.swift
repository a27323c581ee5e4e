import Foundation
import XCTest
import Machine

/// The built `armvisor` binary: bad input is one line and status 2; the
/// console quits on Ctrl-A x, signals stop the VM with 128 + n, and a
/// terminal comes back out of raw mode.
final class CommandLineTests: XCTestCase {
    /// The `armvisor` next to this test bundle (same build configuration).
    static var binary: URL {
        // Linux reports the build directory itself; elsewhere it is the .xctest bundle.
        let url = Bundle(for: CommandLineTests.self).bundleURL
        return (url.pathExtension == "xctest" ? url.deletingLastPathComponent() : url).appendingPathComponent("armvisor")
    }

    static let temp = FileManager.default.temporaryDirectory.appendingPathComponent("armvisor-cli-\(getpid())")

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("no \(Self.binary.path): CI must build the armvisor binary before the tests")
                throw XCTSkip("armvisor binary missing")
            }
            throw XCTSkip("no \(Self.binary.path): build it first with `swift build --build-tests`")
        }
        try FileManager.default.createDirectory(at: Self.temp, withIntermediateDirectories: true)
    }

    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = Self.temp.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// A guest that spins forever (`b .`).
    func spinGuest() throws -> String { try file("spin.bin", [0xFE, 0xFF, 0xFF, 0xEA]) }

    struct Result { var status: Int32; var stderr: String; var stdout: String }

    func run(_ args: [String], stdin: Any? = nil, whileRunning: ((Process) -> Void)? = nil) throws -> Result {
        let p = Process()
        p.executableURL = Self.binary
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = stdin ?? FileHandle.nullDevice
        try p.run()
        whileRunning?(p)
        Self.killIfStillRunning(p, after: 60)
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stderr: String(decoding: e, as: UTF8.self),
                      stdout: String(decoding: o, as: UTF8.self))
    }

    /// A hung armvisor fails the test instead of hanging the suite.
    static func killIfStillRunning(_ p: Process, after seconds: Double) {
        let pid = p.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [weak p] in
            if p?.isRunning == true { kill(pid, SIGKILL) }
        }
    }

    func assertUsageError(_ args: [String], mentions: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try run(args)
        XCTAssertEqual(r.status, 2, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("armvisor: "), r.stderr, file: file, line: line)
        XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, "one line: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(mentions), r.stderr, file: file, line: line)
    }

    func testBadInputIsOneLineAndStatus2() throws {
        let empty = try file("empty", [])
        var junk = (0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        junk[0] = 0; junk[0x24] = 0
        let junkPath = try file("junk", junk)
        let big = try file("big-initrd", [UInt8](repeating: 0x5A, count: 20 << 20))
        var z = [UInt8](repeating: 0, count: 0x100)
        z[0x24] = 0x18; z[0x25] = 0x28; z[0x26] = 0x6F; z[0x27] = 0x01
        let zImage = try file("zImage", z)
        try assertUsageError(["run", "--kernel", Self.temp.appendingPathComponent("nope").path], mentions: "no such file")
        try assertUsageError(["run", "--kernel", empty], mentions: "is empty")
        try assertUsageError(["run", "--kernel", zImage, "--initrd", big, "--mem", "16M"], mentions: "initrd")
        try assertUsageError(["run", "--mem", "0"], mentions: "bad size '0'")
        try assertUsageError(["run", "--cpus", "9"], mentions: "--cpus must be 1 to 8")
        try assertUsageError(["run", "--cpus", "0"], mentions: "--cpus must be 1 to 8")
        try assertUsageError(["run", "--no-such-option"], mentions: "--no-such-option")
        try assertUsageError(["run", "--uncompressed-kernel"], mentions: "needs --kernel")
    }

    /// A kernel file of garbage is a flat binary to QEMU's -kernel too: the
    /// guest executes it and crashes; the host reports it in one line.
    func testGarbageKernelIsAGuestErrorNotAHostCrash() throws {
        var junk = (0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        junk[0] = 0; junk[0x24] = 0
        let r = try run(["run", "--kernel", try file("junk", junk), "--max-instructions", "20000000"])
        XCTAssertTrue([1, 3].contains(r.status), "status \(r.status): \(r.stderr)")
        XCTAssertTrue(r.stderr.hasPrefix("armvisor: "), r.stderr)
        XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, "one line: \(r.stderr)")
    }

    func testCtrlAXOnPipedInputQuitsWithStatus0() throws {
        let input = Pipe()
        let r = try run(["run", "--image", try spinGuest()], stdin: input) { _ in
            usleep(200_000)
            input.fileHandleForWriting.write(Data([0x01, 0x68, 0x01, 0x78]))
        }
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Ctrl-A x"), "Ctrl-A h printed the help: \(r.stdout)")
        XCTAssertEqual(r.stderr, "armvisor: quit from the console\n")
    }

    func testSignalsStopTheMachineWith128PlusN() throws {
        for sig in [SIGTERM, SIGINT] {
            let input = Pipe()
            let r = try run(["run", "--image", try spinGuest()], stdin: input) { p in
                usleep(300_000)
                kill(p.processIdentifier, sig)
            }
            XCTAssertEqual(r.status, 128 + sig, r.stderr)
            XCTAssertEqual(r.stderr, "armvisor: terminated by signal \(sig)\n")
        }
    }

    /// A signal at any moment of start-up ends the process: before the
    /// handler is installed by the default action, after it by a clean stop;
    /// never lost (a lost SIGTERM left the VM running).
    func testSignalDuringStartUpIsNeverLost() throws {
        for delay in [0, 2_000, 5_000, 10_000, 20_000, 40_000] as [useconds_t] {
            let p = Process()
            p.executableURL = Self.binary
            p.arguments = ["run", "--image", try spinGuest()]
            p.standardInput = Pipe()
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(delay)
            kill(p.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(20)
            while p.isRunning && Date() < deadline { usleep(5_000) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
            p.waitUntilExit()
            let clean = p.terminationReason == .exit && p.terminationStatus == 128 + SIGTERM
            let early = p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGTERM
            XCTAssertTrue(clean || early, "SIGTERM \(delay) µs after start: \(p.terminationReason) \(p.terminationStatus)")
        }
    }

    func testTerminalIsRawWhileRunningAndRestoredAfter() throws {
        // A pseudo-terminal by hand (/dev/ptmx): unlock it (TIOCSPTLCK), ask its
        // number (TIOCGPTN); the _IOW/_IOR macros do not reach Swift.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        XCTAssertGreaterThanOrEqual(master, 0)
        defer { close(master) }
        var unlock: CInt = 0, number: CInt = 0
        XCTAssertEqual(ioctl(master, UInt(0x4004_5431), &unlock), 0)
        XCTAssertEqual(ioctl(master, UInt(0x8004_5430), &number), 0)
        let slavePath = "/dev/pts/\(number)"
        let slave = open(slavePath, O_RDWR | O_NOCTTY)
        defer { close(slave) }
        func lflag() -> tcflag_t { var t = termios(); tcgetattr(slave, &t); return t.c_lflag }
        let cooked = lflag()
        XCTAssertNotEqual(cooked & tcflag_t(ICANON | ECHO), 0)
        for stop in ["quit", "signal"] {
            let p = Process()
            p.executableURL = Self.binary
            p.arguments = ["run", "--image", try spinGuest()]
            let tty = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
            p.standardInput = tty
            p.standardOutput = tty
            p.standardError = FileHandle.nullDevice
            try p.run()
            Self.killIfStillRunning(p, after: 60)
            var raw = cooked
            for _ in 0..<200 where raw == cooked { usleep(10_000); raw = lflag() }
            XCTAssertEqual(raw & tcflag_t(ICANON | ECHO | ISIG), 0, "raw mode while running (\(stop))")
            if stop == "quit" {
                _ = [UInt8]([0x01, 0x78]).withUnsafeBytes { write(master, $0.baseAddress, 2) }
            } else {
                kill(p.processIdentifier, SIGTERM)
            }
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, stop == "quit" ? 0 : 128 + SIGTERM)
            XCTAssertEqual(lflag(), cooked, "terminal restored after \(stop)")
        }
    }
}
