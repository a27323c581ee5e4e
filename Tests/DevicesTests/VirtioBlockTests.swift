import Foundation
import XCTest
@testable import Devices

/// virtio-blk over the virtio-mmio transport, driven by a fake driver that
/// builds rings the way the spec lays them out (modern and legacy).
final class VirtioBlockTests: XCTestCase {
    static let header: UInt64 = FakeVirtioDriver.dataArea
    static let data: UInt64 = FakeVirtioDriver.dataArea + 0x1000
    static let status: UInt64 = FakeVirtioDriver.dataArea + 0x3000

    var imagePath = ""

    /// An 8-sector image whose sector n is filled with the byte 0x10 + n.
    override func setUpWithError() throws {
        imagePath = FileManager.default.temporaryDirectory.appendingPathComponent("virtio-blk-\(UUID()).img").path
        let bytes = (0..<8).flatMap { [UInt8](repeating: UInt8(0x10 + $0), count: 512) }
        try Data(bytes).write(to: URL(fileURLWithPath: imagePath))
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: imagePath) }

    func image() throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: imagePath))) }

    /// Sends one request (header, data, status byte) and returns (status, used length).
    func request(_ d: FakeVirtioDriver, type: UInt32, sector: UInt64, dataLength: Int, dataWritable: Bool,
                 indirect: Bool = false) -> (UInt8, UInt32)? {
        d.put(FakeVirtioDriver.blockHeader(type: type, sector: sector), at: Self.header)
        d.put([0xEE], at: Self.status)
        var buffers: [(UInt64, Int, Bool)] = [(Self.header, 16, false)]
        if dataLength > 0 { buffers.append((Self.data, dataLength, dataWritable)) }
        buffers.append((Self.status, 1, true))
        let head = d.submit(0, buffers, indirectTable: indirect ? FakeVirtioDriver.dataArea + 0x4000 : nil)
        let used = d.takeUsed(0)
        guard used.count == 1, used[0].id == UInt32(head) else { return nil }
        return (d.get(Self.status, 1)[0], used[0].length)
    }

    func testModernTransportIdentifiesABlockDevice() throws {
        let d = FakeVirtioDriver()
        _ = d.attach(try VirtioBlock(path: imagePath), version: .modern)
        XCTAssertEqual(d.read(0x000), 0x7472_6976, "MagicValue 'virt'")
        XCTAssertEqual(d.read(0x004), 2, "Version")
        XCTAssertEqual(d.read(0x008), 2, "DeviceID: block")
        let features = d.deviceFeatures()
        XCTAssertNotEqual(features & (1 << 32), 0, "VIRTIO_F_VERSION_1")
        XCTAssertNotEqual(features & (1 << 28), 0, "VIRTIO_F_INDIRECT_DESC")
        XCTAssertNotEqual(features & (1 << 9), 0, "VIRTIO_BLK_F_FLUSH")
        XCTAssertEqual(features & (1 << 5), 0, "not read-only")
        XCTAssertEqual(d.transport.mmioRead(offset: 0x100, size: 4), 8, "capacity (low word) in sectors")
        XCTAssertEqual(d.transport.mmioRead(offset: 0x104, size: 4), 0, "capacity (high word)")
        d.write(0x030, 1)
        XCTAssertEqual(d.read(0x034), 0, "QueueNumMax of a queue that does not exist")
        XCTAssertEqual(d.initialize() & 0x0F, 0x0F, "ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK")
    }

    func testModernDriverMustAcceptVersion1() throws {
        let d = FakeVirtioDriver()
        _ = d.attach(try VirtioBlock(path: imagePath), version: .modern)
        let status = d.initialize(features: 1 << 9)
        XCTAssertEqual(status & Virtio.statusFeaturesOK, 0, "FEATURES_OK refused without VIRTIO_F_VERSION_1")
    }

    func testReadWriteFlushAndGetIDOnTheModernInterface() throws {
        try readWriteFlushGetID(.modern, indirect: false)
    }

    func testReadWriteFlushAndGetIDOnTheLegacyInterface() throws {
        try readWriteFlushGetID(.legacy, indirect: false)
    }

    func testRequestsThroughIndirectDescriptors() throws {
        try readWriteFlushGetID(.modern, indirect: true)
    }

    func readWriteFlushGetID(_ version: VirtioMMIOTransport.Version, indirect: Bool) throws {
        let d = FakeVirtioDriver()
        _ = d.attach(try VirtioBlock(path: imagePath), version: version)
        XCTAssertNotEqual(d.initialize() & Virtio.statusDriverOK, 0)

        // IN: sectors 2 and 3 into guest memory; used length = data + status byte.
        var r = try XCTUnwrap(request(d, type: 0, sector: 2, dataLength: 1024, dataWritable: true, indirect: indirect))
        XCTAssertEqual(r.0, 0, "VIRTIO_BLK_S_OK")
        XCTAssertEqual(r.1, 1025)
        XCTAssertEqual(d.get(Self.data, 1024), [UInt8](repeating: 0x12, count: 512) + [UInt8](repeating: 0x13, count: 512))
        XCTAssertTrue(d.interruptLevel, "used-buffer interrupt")
        XCTAssertEqual(d.read(0x060) & 1, 1, "InterruptStatus: used buffer")
        d.write(0x064, 1)
        XCTAssertFalse(d.interruptLevel, "InterruptACK lowers the line")

        // OUT: one sector to sector 5.
        d.put([UInt8](repeating: 0xA5, count: 512), at: Self.data)
        r = try XCTUnwrap(request(d, type: 1, sector: 5, dataLength: 512, dataWritable: false, indirect: indirect))
        XCTAssertEqual(r.0, 0)
        XCTAssertEqual(r.1, 1, "only the status byte is written")
        let file = try image()
        XCTAssertEqual(Array(file[2560..<3072]), [UInt8](repeating: 0xA5, count: 512))
        XCTAssertEqual(Array(file[2048..<2560]), [UInt8](repeating: 0x14, count: 512), "neighbours untouched")
        XCTAssertEqual(Array(file[3072..<3584]), [UInt8](repeating: 0x16, count: 512), "neighbours untouched")

        // FLUSH, GET_ID, an unknown type, and sectors past the end.
        XCTAssertEqual(request(d, type: 4, sector: 0, dataLength: 0, dataWritable: false, indirect: indirect)?.0, 0)
        r = try XCTUnwrap(request(d, type: 8, sector: 0, dataLength: 20, dataWritable: true, indirect: indirect))
        XCTAssertEqual(r.0, 0)
        XCTAssertEqual(d.get(Self.data, 20), Array((imagePath as NSString).lastPathComponent.utf8.prefix(20)),
                       "the default serial: the image's file name")
        XCTAssertEqual(request(d, type: 99, sector: 0, dataLength: 0, dataWritable: false, indirect: indirect)?.0, 2,
                       "VIRTIO_BLK_S_UNSUPP")
        XCTAssertEqual(request(d, type: 0, sector: 7, dataLength: 1024, dataWritable: true, indirect: indirect)?.0, 1,
                       "reading past the last sector: VIRTIO_BLK_S_IOERR")
        XCTAssertEqual(request(d, type: 1, sector: 1 << 60, dataLength: 512, dataWritable: false, indirect: indirect)?.0,
                       1, "a sector number that overflows a byte offset")
        XCTAssertEqual(request(d, type: 0, sector: 0, dataLength: 100, dataWritable: true, indirect: indirect)?.0, 1,
                       "data that is not a whole number of sectors")
        XCTAssertEqual(d.read(0x070) & Virtio.statusNeedsReset, 0, "bad requests are not broken rings")
    }

    func testLegacyUsedRingIsAtTheAlignedPage() throws {
        let d = FakeVirtioDriver()
        _ = d.attach(try VirtioBlock(path: imagePath), version: .legacy)
        XCTAssertEqual(d.read(0x004), 1, "Version 1 (legacy)")
        XCTAssertEqual(d.deviceFeatures() >> 32, 0, "legacy devices offer no VIRTIO_F_VERSION_1")
        d.initialize()
        d.write(0x030, 0)
        XCTAssertEqual(UInt64(d.read(0x040)), d.legacyLayout(0).desc / 4096, "QueuePFN reads back")
        _ = try XCTUnwrap(request(d, type: 4, sector: 0, dataLength: 0, dataWritable: false))
        // Queue size 8: table 128 bytes, available ring 6 + 16; used ring at the next 4 KiB.
        let l = d.legacyLayout(0)
        XCTAssertEqual(l.used - l.desc, 4096)
        XCTAssertEqual(d.load16(l.used + 2), 1, "used index published at the aligned page")
        d.write(0x040, 0)
        XCTAssertEqual(d.read(0x040), 0, "QueuePFN 0 stops the queue")
    }

    func testReadOnlyDiskRefusesWritesAndNothingIsWrittenUnlessTheGuestWrites() throws {
        let before = try image()
        let modified = try FileManager.default.attributesOfItem(atPath: imagePath)[.modificationDate] as? Date
        let d = FakeVirtioDriver()
        let blk = try VirtioBlock(path: imagePath, readOnly: true)
        _ = d.attach(blk, version: .modern)
        XCTAssertNotEqual(d.deviceFeatures() & (1 << 5), 0, "VIRTIO_BLK_F_RO")
        d.initialize()
        XCTAssertEqual(request(d, type: 0, sector: 0, dataLength: 512, dataWritable: true)?.0, 0)
        d.put([UInt8](repeating: 0xFF, count: 512), at: Self.data)
        XCTAssertEqual(request(d, type: 1, sector: 0, dataLength: 512, dataWritable: false)?.0, 1, "IOERR")
        blk.shutdown()
        XCTAssertEqual(try image(), before)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: imagePath)[.modificationDate] as? Date, modified)

        // A writable disk only read from is not modified either.
        let rw = try VirtioBlock(path: imagePath)
        let d2 = FakeVirtioDriver()
        _ = d2.attach(rw, version: .modern)
        d2.initialize()
        XCTAssertEqual(request(d2, type: 0, sector: 3, dataLength: 512, dataWritable: true)?.0, 0)
        rw.shutdown()
        XCTAssertEqual(try image(), before)
    }

    func testMissingOrTinyImagesAreClearErrors() throws {
        XCTAssertThrowsError(try VirtioBlock(path: "/nonexistent/disk.img")) { error in
            XCTAssertEqual(error as? DiskImageError, .unreadable(path: "/nonexistent/disk.img", reason: "No such file or directory"))
        }
        let tiny = imagePath + ".tiny"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: tiny))
        defer { try? FileManager.default.removeItem(atPath: tiny) }
        XCTAssertThrowsError(try VirtioBlock(path: tiny))
        XCTAssertThrowsError(try VirtioBlock(path: FileManager.default.temporaryDirectory.path), "a directory")
    }
}
