import Devices
import Foundation
import XCTest

/// `--disk` mistakes on the command line: one line, status 2, image untouched.
extension CommandLineTests {
    func testBadDisksAreOneLineAndStatus2() throws {
        let kernel = try spinGuest()
        let disk = try file("disk.img", [UInt8](repeating: 0x33, count: 8192))
        let odd = try file("odd.img", [UInt8](repeating: 0x44, count: 1000))
        let missing = Self.temp.appendingPathComponent("missing.img").path
        try assertUsageError(["run", "--kernel", kernel, "--disk", missing], mentions: "cannot open \(missing): No such file")
        try assertUsageError(["run", "--kernel", kernel, "--disk", odd], mentions: "size 1000 bytes is not a multiple of 512")
        try assertUsageError(["run", "--kernel", kernel, "--disk", odd + ",ro"], mentions: "not a multiple of 512")
        try assertUsageError(["run", "--kernel", kernel, "--disk", disk + ",cache=none"], mentions: "unknown option 'cache=none'")
        try assertUsageError(["run", "--kernel", kernel, "--disk", disk + ",serial="], mentions: "serial must be")
        try assertUsageError(["run", "--kernel", kernel, "--disk", disk, "--disk", disk], mentions: "(locked)")
        try assertUsageError(["run", "--kernel", kernel] + Array(repeating: ["--disk", disk + ",ro"], count: 9).flatMap { $0 },
                             mentions: "at most 8 --disk")

        // Another process holds the image: read-write excludes both kinds of open…
        var holder: VirtioBlock? = try VirtioBlock(path: disk)
        try assertUsageError(["run", "--kernel", kernel, "--disk", disk], mentions: "in use read-write by another process (locked)")
        try assertUsageError(["run", "--kernel", kernel, "--disk", disk + ",ro"], mentions: "in use read-write")
        holder?.shutdown()
        // …read-only lets other read-only views run.
        holder = try VirtioBlock(path: disk, readOnly: true)
        try assertUsageError(["run", "--kernel", kernel, "--disk", disk], mentions: "use ,ro for a read-only view")
        let r = try run(["run", "--image", kernel, "--disk", disk + ",ro", "--max-instructions", "100000"])
        XCTAssertEqual(r.status, 3, "ran to the instruction limit: \(r.stderr)")
        holder?.shutdown()
        holder = nil

        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: disk))), [UInt8](repeating: 0x33, count: 8192))
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: odd))), [UInt8](repeating: 0x44, count: 1000))
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing), "a missing image is not created")
    }
}
