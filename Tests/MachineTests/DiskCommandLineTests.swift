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

/// What a guest wrote reaches the image as soon as the request completes:
/// it is in the host's page cache, not in Armvisor, so SIGKILL loses nothing.
extension CommandLineTests {
    static let directWriteScript = """
        #!/bin/busybox sh
        /bin/busybox --install -s /bin
        mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
        for m in virtio_mmio.ko virtio_blk.ko; do insmod /lib/modules/$m; done
        i=0; while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do usleep 50000; i=$((i+1)); done
        echo WRITTEN-WITHOUT-FLUSH | dd of=/dev/vda bs=512 seek=16 conv=sync oflag=direct 2>/dev/null
        echo "DIRECT-WRITE rc=$?"
        echo "KILL-NOW"
        while true; do sleep 1; done

        """

    func testAGuestWriteSurvivesSIGKILLOfArmvisor() throws {
        let cache = LinuxBootTests.cache
        let kernel = cache.appendingPathComponent("vmlinuz"), initrd = cache.appendingPathComponent("initrd.cpio.gz")
        guard FileManager.default.fileExists(atPath: kernel.path), FileManager.default.fileExists(atPath: initrd.path) else {
            throw XCTSkip("no Debian guest: run scripts/get-debian-guest")
        }
        var rd = [UInt8](try Data(contentsOf: initrd))
        while rd.count % 4 != 0 { rd.append(0) }
        var overlay = CPIOArchive()
        overlay.addFile("init", contents: Array(Self.directWriteScript.utf8))
        let rdPath = try file("direct-write-initrd", rd + overlay.finished())
        let disk = try file("killed.img", [UInt8](repeating: 0, count: 1 << 20))

        let p = Process()
        p.executableURL = Self.binary
        p.arguments = ["run", "--kernel", kernel.path, "--initrd", rdPath, "--mem", "256M", "--disk", disk]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = Pipe()
        try p.run()
        Self.killIfStillRunning(p, after: 600)
        var text = ""
        while !text.contains("KILL-NOW") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }   // armvisor exited
            text += String(decoding: chunk, as: UTF8.self)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal, String(text.suffix(1000)))
        XCTAssertTrue(text.contains("DIRECT-WRITE rc=0"), String(text.suffix(1000)))
        let image = [UInt8](try Data(contentsOf: URL(fileURLWithPath: disk)))
        XCTAssertEqual(Array(image[(16 * 512)..<(16 * 512 + 21)]), Array("WRITTEN-WITHOUT-FLUSH".utf8),
                       "the write completed to the guest is in the image after SIGKILL")
    }
}
