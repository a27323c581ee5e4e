import Devices
import Foundation
import XCTest
@testable import Machine

/// The `--disk` grammar and disks on the board: several, in order, locked.
final class DiskOptionsTests: XCTestCase {
    func testTheDiskGrammar() throws {
        XCTAssertEqual(try DiskOptions(parsing: "disk.img"), DiskOptions(path: "disk.img"))
        XCTAssertEqual(try DiskOptions(parsing: "disk.img,ro"), DiskOptions(path: "disk.img", readOnly: true))
        XCTAssertEqual(try DiskOptions(parsing: "/a/b.img,serial=root-01,ro"),
                       DiskOptions(path: "/a/b.img", readOnly: true, serial: "root-01"))
        XCTAssertEqual(try DiskOptions(parsing: "a,,b.img,ro"), DiskOptions(path: "a,b.img", readOnly: true), ",, is a comma")
        XCTAssertEqual(try DiskOptions(parsing: "x,serial=with space"), DiskOptions(path: "x", serial: "with space"))
        for (bad, mentions) in [("disk.img,rw", "unknown option 'rw'"), ("disk.img,", "unknown option ''"),
                                (",ro", "no image file"), ("", "no image file"),
                                ("d,serial=", "serial must be"), ("d,serial=123456789012345678901", "serial must be"),
                                ("d,serial=tab\there", "serial must be")] {
            XCTAssertThrowsError(try DiskOptions(parsing: bad), bad) { error in
                let text = (error as? DiskOptionError)?.description ?? "\(error)"
                XCTAssertTrue(text.contains(mentions), text)
                XCTAssertTrue(text.hasPrefix("--disk '"), text)
            }
        }
    }

    func testDisksComeFirstInOrderAndOneImageCannotBeTwoDisks() throws {
        let dir = FileManager.default.temporaryDirectory
        let a = dir.appendingPathComponent("disk-a-\(UUID()).img"), b = dir.appendingPathComponent("disk-b-\(UUID()).img")
        try Data(count: 4096).write(to: a)
        try Data(count: 8192).write(to: b)
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }

        var options = VirtioOptions()
        options.disks = [DiskOptions(path: a.path), DiskOptions(path: b.path, readOnly: true, serial: "second")]
        XCTAssertEqual(options.transportCount, 4)
        let m = try VirtMachine(ramSize: 16 << 20, virtio: options) { _ in }
        XCTAssertEqual(m.virtio.transports.map(\.device.deviceID), [2, 2, 4, 3], "vda, vdb, entropy, console")
        XCTAssertEqual(m.virtio.blocks.map(\.capacity), [8, 16])
        XCTAssertEqual(m.virtio.blocks.map(\.readOnly), [false, true])
        XCTAssertEqual(m.virtio.blocks[1].serial, Array("second".utf8))
        XCTAssertTrue(m.virtio.block === m.virtio.blocks[0])
        m.virtio.shutdown()

        options.disks = [DiskOptions(path: a.path), DiskOptions(path: a.path, readOnly: true)]
        XCTAssertThrowsError(try VirtMachine(ramSize: 16 << 20, virtio: options) { _ in }) { error in
            XCTAssertEqual(error as? DiskImageError, .locked(path: a.path, heldReadWrite: true))
        }
        options.disks = [DiskOptions(path: a.path, readOnly: true), DiskOptions(path: a.path, readOnly: true)]
        XCTAssertNoThrow(try VirtMachine(ramSize: 16 << 20, virtio: options) { _ in }.virtio.shutdown(),
                         "read-only views share an image")
        XCTAssertEqual(try Data(contentsOf: a), Data(count: 4096))
    }
}
