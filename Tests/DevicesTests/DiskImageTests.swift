import Foundation
import XCTest
@testable import Devices

/// Opening an image (sizes, locks), GET_ID serials and durability of what
/// the guest wrote and flushed.
final class DiskImageTests: XCTestCase {
    let images = ScratchImages()
    override func tearDown() { images.removeAll() }

    func modified(_ path: String) throws -> Date? {
        try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
    }

    func assertOpenFails(_ path: String, readOnly: Bool = false, _ expected: DiskImageError,
                         file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try VirtioBlock(path: path, readOnly: readOnly), file: file, line: line) { error in
            XCTAssertEqual(error as? DiskImageError, expected, file: file, line: line)
        }
    }

    func testSizesThatAreNotWholeSectorsAreOneLineErrorsAndNothingIsWritten() throws {
        let odd = try images.make([UInt8](repeating: 0x5A, count: 1000))
        let empty = try images.make([])
        let mtime = try modified(odd)
        assertOpenFails(odd, .badSize(path: odd, size: 1000))
        assertOpenFails(odd, readOnly: true, .badSize(path: odd, size: 1000))
        assertOpenFails(empty, .badSize(path: empty, size: 0))
        let fifo = odd + ".fifo"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        defer { unlink(fifo) }
        assertOpenFails(fifo, readOnly: true, .unreadable(path: fifo, reason: "not a regular file"))
        XCTAssertEqual(try ScratchImages.contents(odd), [UInt8](repeating: 0x5A, count: 1000), "not rounded, not padded")
        XCTAssertEqual(try modified(odd), mtime)
        XCTAssertEqual(DiskImageError.badSize(path: "disk.img", size: 1000).description,
                       "disk.img: size 1000 bytes is not a multiple of 512 (a raw image is whole sectors)")
        for e in [DiskImageError.badSize(path: "d", size: 0), .locked(path: "d", heldReadWrite: true),
                  .locked(path: "d", heldReadWrite: false), .unreadable(path: "d", reason: "r")] {
            XCTAssertFalse(e.description.contains("\n"), "one line: \(e)")
        }
    }

    func testReadWriteOpensExcludeEveryoneReadOnlyOpensShare() throws {
        let path = try images.make([UInt8](repeating: 1, count: 4096))
        let rw = try VirtioBlock(path: path)
        XCTAssertTrue(rw.isLocked, "ext4 and tmpfs support OFD locks")
        assertOpenFails(path, .locked(path: path, heldReadWrite: true))
        assertOpenFails(path, readOnly: true, .locked(path: path, heldReadWrite: true))
        XCTAssertEqual(DiskImageError.locked(path: "disk.img", heldReadWrite: true).description,
                       "disk.img: in use read-write by another process (locked)")
        rw.shutdown()

        // Closing drops the lock; read-only users share, and keep writers out.
        let ro1 = try VirtioBlock(path: path, readOnly: true)
        let ro2 = try VirtioBlock(path: path, readOnly: true)
        assertOpenFails(path, .locked(path: path, heldReadWrite: false))
        XCTAssertEqual(DiskImageError.locked(path: "disk.img", heldReadWrite: false).description,
                       "disk.img: in use by another process (locked); use ,ro for a read-only view")
        ro1.shutdown()
        assertOpenFails(path, .locked(path: path, heldReadWrite: false))
        ro2.shutdown()
        XCTAssertNoThrow(try VirtioBlock(path: path).shutdown())
        XCTAssertEqual(try ScratchImages.contents(path), [UInt8](repeating: 1, count: 4096))
    }

    func testGetIDAnswersTheSerial() throws {
        let path = try images.make([UInt8](repeating: 0, count: 512))
        func id(_ blk: VirtioBlock, buffer: Int = 20) throws -> (UInt8, UInt32, [UInt8]) {
            let d = FakeVirtioDriver()
            _ = d.attach(blk, version: .modern)
            d.initialize()
            let r = try XCTUnwrap(d.blockRequest(type: BlockRequest.getID, readBack: buffer))
            blk.shutdown()
            return (r.status, r.used, r.data)
        }
        var r = try id(try VirtioBlock(path: path, serial: "vm7-root"))
        XCTAssertEqual(r.0, BlockStatus.ok)
        XCTAssertEqual(r.1, 21, "20 bytes and the status")
        XCTAssertEqual(r.2, Array("vm7-root".utf8) + [UInt8](repeating: 0, count: 12), "NUL-padded")
        r = try id(try VirtioBlock(path: path, serial: "abcdefghijklmnopqrstuvwxyz"))
        XCTAssertEqual(r.2, Array("abcdefghijklmnopqrst".utf8), "20 bytes, no terminator")
        r = try id(try VirtioBlock(path: path, serial: "0123456789012345678é"))
        XCTAssertEqual(r.2, Array("0123456789012345678".utf8) + [0], "not cut inside a UTF-8 character")
        let name = (path as NSString).lastPathComponent
        r = try id(try VirtioBlock(path: path))
        XCTAssertEqual(r.2, Array(name.utf8.prefix(20)), "default: the file name, cut to 20 bytes")
        r = try id(try VirtioBlock(path: path, serial: "short"), buffer: 3)
        XCTAssertEqual(r.1, 4, "a short buffer gets what fits")
        XCTAssertEqual(r.2, Array("sho".utf8))
    }

    func testWrittenDataIsVisibleToOtherReadersAndFlushedDataIsDurable() throws {
        let path = try images.make([UInt8](repeating: 0, count: 8 * 512))
        let blk = try VirtioBlock(path: path)
        var synced = 0
        blk.syncFile = { synced += 1; return fdatasync($0) }
        let d = FakeVirtioDriver()
        _ = d.attach(blk, version: .modern)
        d.initialize()
        let sector = (0..<512).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
        XCTAssertEqual(d.blockRequest(type: BlockRequest.write, sector: 3, payload: sector)?.status, BlockStatus.ok)

        // Another open file sees the write at once: it is in the host's page
        // cache, not in an Armvisor buffer, so killing Armvisor keeps it.
        func readThroughAnotherDescriptor() -> [UInt8] {
            let fd = open(path, O_RDONLY)
            defer { close(fd) }
            var buffer = [UInt8](repeating: 0, count: 512)
            XCTAssertEqual(buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 512, 3 * 512) }, 512)
            return buffer
        }
        XCTAssertEqual(readThroughAnotherDescriptor(), sector)
        XCTAssertEqual(d.blockRequest(type: BlockRequest.flush)?.status, BlockStatus.ok)
        XCTAssertEqual(synced, 1, "FLUSH is an fdatasync of the image")
        XCTAssertEqual(readThroughAnotherDescriptor(), sector)
    }

    func testAFailedFlushFailsEveryLaterFlush() throws {
        let path = try images.make([UInt8](repeating: 0, count: 4096))
        let blk = try VirtioBlock(path: path)
        let d = FakeVirtioDriver()
        _ = d.attach(blk, version: .modern)
        d.initialize()
        XCTAssertEqual(d.blockRequest(type: BlockRequest.flush)?.status, BlockStatus.ok)
        blk.syncFile = { _ in errno = EIO; return -1 }
        XCTAssertEqual(d.blockRequest(type: BlockRequest.flush)?.status, BlockStatus.ioError)
        // Linux may have dropped the pages whose writeback failed and report
        // success next time: the loss must not be acknowledged as durable.
        blk.syncFile = { fdatasync($0) }
        XCTAssertEqual(d.blockRequest(type: BlockRequest.flush)?.status, BlockStatus.ioError)
        blk.shutdown()
        XCTAssertEqual(d.blockRequest(type: BlockRequest.flush)?.status, BlockStatus.ioError, "closed")
    }
}
