import XCTest
import Machine

/// What `--kernel` accepts and where it puts it.
final class KernelImageTests: XCTestCase {
    func zImage(size: Int = 0x100) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: size)
        b[0x24] = 0x18; b[0x25] = 0x28; b[0x26] = 0x6F; b[0x27] = 0x01
        return b
    }

    func testZImageGoesToRAMPlus0x10000() throws {
        let image = try GuestImage.kernel(zImage(), path: "z", uncompressed: false)
        XCTAssertEqual(image.segments.first?.address, 0x4001_0000)
        XCTAssertEqual(image.entry, 0x4001_0000)
    }

    func testUncompressedImageGoesToRAMPlus0x8000() throws {
        let image = try GuestImage.kernel([UInt8](repeating: 0xAB, count: 64), path: "Image", uncompressed: true)
        XCTAssertEqual(image.segments.first?.address, 0x4000_8000)
        XCTAssertEqual(image.entry, 0x4000_8000)
    }

    func testAnyOtherFlatBinaryGoesToRAMPlus0x10000LikeQEMU() throws {
        var g = SystemRandomNumberGenerator()
        var bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &g) }
        bytes[0] = 0; bytes[0x24] = 0   // neither ELF nor zImage magic
        let image = try GuestImage.kernel(bytes, path: "test.flat", uncompressed: false)
        XCTAssertEqual(image.segments.first?.address, 0x4001_0000)
        XCTAssertEqual(image.segments.first?.bytes, bytes)
        XCTAssertEqual(image.entry, 0x4001_0000)
        XCTAssertFalse(GuestImage.isZImage(Array(zImage().prefix(0x28))), "too short for a header")
    }
}

/// A file larger than any guest RAM is refused before it is read.
final class HugeImageTests: XCTestCase {
    func testFileLargerThanGuestRAMIsRefusedWithoutReadingIt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("armvisor-huge-\(getpid()).bin").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertEqual(truncate(path, off_t(VirtMemoryMap.ramLimit) + 1), 0, "sparse file")
        XCTAssertThrowsError(try GuestImage.read(path: path)) { error in
            guard case .doesNotFit = error as? LoadError else { return XCTFail("\(error)") }
        }
    }
}
