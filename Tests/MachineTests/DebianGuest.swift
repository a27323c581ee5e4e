import Foundation
import XCTest
import Guests
@testable import Machine
@testable import Devices

/// The cached Debian guest of scripts/get-debian-guest (Debian's armhf kernel
/// and our busybox initramfs), shared by the tests that boot it.
enum DebianGuest {
    /// The kernel and initramfs; a missing guest (or one whose recipe stamp
    /// lacks `feature`) fails under CI=true, which must fetch it first, and
    /// skips elsewhere with what to run.
    static func files(requiring feature: String? = nil) throws -> (kernel: URL, initrd: URL) {
        let cache = LinuxBootTests.cache
        let kernel = cache.appendingPathComponent("vmlinuz"), initrd = cache.appendingPathComponent("initrd.cpio.gz")
        let stamp = (try? String(contentsOf: cache.appendingPathComponent("initrd.version"), encoding: .utf8)) ?? ""
        guard FileManager.default.fileExists(atPath: kernel.path), FileManager.default.fileExists(atPath: initrd.path),
              feature.map(stamp.contains) ?? true else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("no current Debian guest in \(cache.path): CI must run scripts/get-debian-guest first")
                throw XCTSkip("failed above")
            }
            throw XCTSkip("no current Debian guest: run scripts/get-debian-guest (downloads Debian's armhf kernel and busybox)")
        }
        return (kernel, initrd)
    }

    /// The cached initramfs with `script` as its /init: a second cpio archive
    /// appended after it (the kernel unpacks both; the later file wins).
    static func initrd(_ path: URL, withInit script: String) throws -> [UInt8] {
        var rd = try GuestImage.read(path: path.path)
        while rd.count % 4 != 0 { rd.append(0) }
        var overlay = CPIOArchive()
        overlay.addFile("init", contents: Array(script.utf8))
        return rd + overlay.finished()
    }

    /// Boots the guest on a 256 MiB virt board with `virtio` and `bootargs`
    /// until it powers off (or `maxInstructions`); the outcome, the console
    /// text and the (shut down) machine.
    static func boot(virtio: VirtioOptions, bootargs: String, requiring feature: String? = nil,
                     maxInstructions: UInt64 = 20_000_000_000) throws -> (outcome: RunOutcome, text: String, machine: VirtMachine) {
        let (kernel, initrd) = try files(requiring: feature)
        let capture = GuestRunner.Capture()
        let machine = try VirtMachine(ramSize: 256 << 20, virtio: virtio) { capture.bytes.append($0) }
        let image = GuestImage.flat(try GuestImage.read(path: kernel.path),
                                    at: VirtMemoryMap.ramBase + VirtMemoryMap.defaultFlatLoadOffset)
        try machine.load(image, bootargs: bootargs, initrd: try GuestImage.read(path: initrd.path))
        let outcome = machine.run(maxInstructions: maxInstructions)
        machine.shutdown()
        return (outcome, capture.text, machine)
    }

    /// The SHA-256 of `bytes` in hex, by the host's sha256sum (the guest's
    /// busybox prints the same form).
    static func sha256(_ bytes: [UInt8]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return String(text.prefix(64))
    }
}
