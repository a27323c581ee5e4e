import Foundation
import XCTest
@testable import Devices

/// DISCARD and WRITE_ZEROES (virtio 1.2 §5.2.6), their configuration
/// fields (§5.2.4), and what a read-only disk offers.
final class VirtioBlockDiscardTests: XCTestCase {
    let images = ScratchImages()
    override func tearDown() { images.removeAll() }

    /// A 64 KiB image of non-zero data, allocated on the host.
    func dataImage() throws -> String {
        try images.make((0..<(64 << 10)).map { UInt8(truncatingIfNeeded: $0 % 251 + 1) })
    }

    func driver(_ blk: VirtioBlock) -> FakeVirtioDriver {
        let d = FakeVirtioDriver()
        _ = d.attach(blk, version: .modern)
        XCTAssertNotEqual(d.initialize() & Virtio.statusDriverOK, 0)
        return d
    }

    func testConfigurationFieldsAtTheirSpecOffsets() throws {
        let path = try dataImage()
        let d = driver(try VirtioBlock(path: path))
        let features = d.deviceFeatures()
        for (bit, name) in [(2, "SEG_MAX"), (6, "BLK_SIZE"), (9, "FLUSH"), (13, "DISCARD"), (14, "WRITE_ZEROES")] {
            XCTAssertNotEqual(features & (1 << UInt64(bit)), 0, "VIRTIO_BLK_F_\(name)")
        }
        XCTAssertEqual(features & (1 << 5), 0, "not VIRTIO_BLK_F_RO")
        XCTAssertEqual(d.config(0, size: 8), 128, "capacity")
        XCTAssertEqual(d.config(8), 0, "size_max: not offered")
        XCTAssertEqual(d.config(12), 254, "seg_max: queue size 256 less header and status")
        XCTAssertEqual(d.config(16), 0, "geometry: not offered")
        XCTAssertEqual(d.config(20), 512, "blk_size")
        XCTAssertEqual(d.config(24, size: 8), 0, "topology: not offered")
        XCTAssertEqual(d.config(36), 1 << 22, "max_discard_sectors")
        XCTAssertEqual(d.config(40), 16, "max_discard_seg")
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(d.config(44), UInt64(min(max(Int(st.st_blksize), 512), 1 << 20) / 512), "discard_sector_alignment: a host block")
        XCTAssertEqual(d.config(48), 1 << 16, "max_write_zeroes_sectors")
        XCTAssertEqual(d.config(52), 1, "max_write_zeroes_seg")
        XCTAssertEqual(d.config(56, size: 1), 1, "write_zeroes_may_unmap")
        XCTAssertEqual(d.config(57, size: 4), 0, "unused1 and past the end")
    }

    func testDiscardPunchesAHoleThatReadsZeroes() throws {
        let path = try dataImage()
        let probe = try images.make([UInt8](repeating: 1, count: 8192))
        let pfd = open(probe, O_RDWR)
        let punchable = HostFileSpace.deallocate(pfd, offset: 0, length: 4096) == .done
        close(pfd)

        let before = ScratchImages.allocatedBlocks(path), original = try ScratchImages.contents(path)
        let d = driver(try VirtioBlock(path: path))
        // Two segments: sectors 16..<64 and 64..<112 (8 KiB to 56 KiB, host-block aligned).
        let r = try XCTUnwrap(d.blockRequest(type: BlockRequest.discard,
                                             payload: FakeVirtioDriver.segment(16, 48) + FakeVirtioDriver.segment(64, 48)))
        XCTAssertEqual(r.status, BlockStatus.ok)
        XCTAssertEqual(r.used, 1, "only the status byte")
        let after = try ScratchImages.contents(path)
        XCTAssertEqual(after.count, original.count, "the size is kept")
        XCTAssertEqual(Array(after[8192..<57344]), [UInt8](repeating: 0, count: 49152))
        XCTAssertEqual(Array(after[..<8192]), Array(original[..<8192]), "neighbours untouched")
        XCTAssertEqual(Array(after[57344...]), Array(original[57344...]), "neighbours untouched")
        // The guest reads the zeroes through the device too.
        XCTAssertEqual(d.blockRequest(type: BlockRequest.read, sector: 20, readBack: 512)?.data, [UInt8](repeating: 0, count: 512))
        guard punchable else {
            throw XCTSkip("the filesystem of \(path) cannot punch holes: block count not checked")
        }
        XCTAssertLessThanOrEqual(ScratchImages.allocatedBlocks(path), before - 96, "48 KiB deallocated on the host")
    }

    func testWriteZeroesWithAndWithoutUnmap() throws {
        let path = try dataImage()
        let original = try ScratchImages.contents(path)
        let d = driver(try VirtioBlock(path: path))
        XCTAssertEqual(d.blockRequest(type: BlockRequest.writeZeroes, payload: FakeVirtioDriver.segment(1, 2))?.status,
                       BlockStatus.ok)
        XCTAssertEqual(d.blockRequest(type: BlockRequest.writeZeroes, payload: FakeVirtioDriver.segment(8, 24, flags: 1))?.status,
                       BlockStatus.ok, "UNMAP")
        let after = try ScratchImages.contents(path)
        XCTAssertEqual(Array(after[512..<1536]), [UInt8](repeating: 0, count: 1024))
        XCTAssertEqual(Array(after[4096..<16384]), [UInt8](repeating: 0, count: 12288))
        XCTAssertEqual(Array(after[..<512]), Array(original[..<512]))
        XCTAssertEqual(Array(after[1536..<4096]), Array(original[1536..<4096]))
        XCTAssertEqual(Array(after[16384...]), Array(original[16384...]))
    }

    func testTheWriteFallbackZeroesExactlyTheRange() throws {
        let path = try images.make([UInt8](repeating: 7, count: 200_000))
        let fd = open(path, O_RDWR)
        defer { close(fd) }
        XCTAssertEqual(HostFileSpace.writeZeroes(fd, offset: 1000, length: 150_000), .done)
        let after = try ScratchImages.contents(path)
        XCTAssertEqual(after.count, 200_000)
        XCTAssertEqual(after[999], 7); XCTAssertEqual(after[151_000], 7)
        XCTAssertTrue(after[1000..<151_000].allSatisfy { $0 == 0 })
    }

    func testBadSegmentsAreRefusedBeforeAnythingChanges() throws {
        let path = try dataImage()
        let original = try ScratchImages.contents(path)
        let d = driver(try VirtioBlock(path: path))
        let good = FakeVirtioDriver.segment(0, 8)
        func status(_ type: UInt32, _ payload: [UInt8]) -> UInt8? { d.blockRequest(type: type, payload: payload)?.status }
        for type in [BlockRequest.discard, BlockRequest.writeZeroes] {
            // A good segment first (discard takes several): it must not be applied either.
            let first = type == BlockRequest.discard ? good : []
            XCTAssertEqual(status(type, first + FakeVirtioDriver.segment(8, 8, flags: 2)), BlockStatus.unsupported,
                           "unknown flag \(type)")
            XCTAssertEqual(status(type, first + FakeVirtioDriver.segment(8, 8, flags: 1 << 31)), BlockStatus.unsupported)
            XCTAssertEqual(status(type, FakeVirtioDriver.segment(120, 9)), BlockStatus.ioError, "past the end")
            XCTAssertEqual(status(type, FakeVirtioDriver.segment(128, 0)), BlockStatus.ok, "an empty range at the end")
            XCTAssertEqual(status(type, FakeVirtioDriver.segment(129, 0)), BlockStatus.ioError, "beyond the end")
            XCTAssertEqual(status(type, FakeVirtioDriver.segment(.max, 2)), BlockStatus.ioError, "sector overflow")
            XCTAssertEqual(status(type, []), BlockStatus.ioError, "no segment")
            XCTAssertEqual(status(type, Array(good.prefix(8))), BlockStatus.ioError, "a partial segment")
        }
        XCTAssertEqual(status(BlockRequest.discard, FakeVirtioDriver.segment(0, 8, flags: 1)), BlockStatus.unsupported,
                       "UNMAP is for write-zeroes only")
        XCTAssertEqual(status(BlockRequest.discard, (0..<17).flatMap { FakeVirtioDriver.segment(UInt64($0), 1) }),
                       BlockStatus.ioError, "more than max_discard_seg")
        XCTAssertEqual(status(BlockRequest.writeZeroes, good + good), BlockStatus.ioError, "more than max_write_zeroes_seg")
        XCTAssertEqual(try ScratchImages.contents(path), original, "no bad request changed the image")
        XCTAssertEqual(d.read(0x070) & Virtio.statusNeedsReset, 0, "bad requests are not broken rings")

        // max_write_zeroes_sectors on a big (sparse) disk.
        let big = try images.makeSparse(size: 64 << 20)
        let d2 = driver(try VirtioBlock(path: big))
        XCTAssertEqual(d2.blockRequest(type: BlockRequest.writeZeroes, payload: FakeVirtioDriver.segment(0, (1 << 16) + 1))?.status,
                       BlockStatus.ioError)
        XCTAssertEqual(d2.blockRequest(type: BlockRequest.writeZeroes, payload: FakeVirtioDriver.segment(0, 1 << 16))?.status,
                       BlockStatus.ok)
    }

    func testReadOnlyDiskOffersNeitherAndRefusesBoth() throws {
        let path = try dataImage()
        let original = try ScratchImages.contents(path)
        let d = driver(try VirtioBlock(path: path, readOnly: true))
        let features = d.deviceFeatures()
        XCTAssertNotEqual(features & (1 << 5), 0, "VIRTIO_BLK_F_RO")
        XCTAssertEqual(features & (1 << 13 | 1 << 14), 0, "no DISCARD, no WRITE_ZEROES")
        for offset in stride(from: 36, through: 56, by: 4) { XCTAssertEqual(d.config(offset), 0, "config \(offset)") }
        for type in [BlockRequest.discard, BlockRequest.writeZeroes] {
            XCTAssertEqual(d.blockRequest(type: type, payload: FakeVirtioDriver.segment(0, 8))?.status, BlockStatus.ioError)
        }
        XCTAssertEqual(d.blockRequest(type: BlockRequest.write, payload: [UInt8](repeating: 0, count: 512))?.status,
                       BlockStatus.ioError)
        XCTAssertEqual(d.blockRequest(type: BlockRequest.flush)?.status, BlockStatus.ok, "nothing to flush")
        XCTAssertEqual(try ScratchImages.contents(path), original)
    }
}
