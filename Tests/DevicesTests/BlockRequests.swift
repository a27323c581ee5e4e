import Foundation
@testable import Devices

/// virtio-blk requests for tests: header, an optional device-readable
/// payload (OUT data or DISCARD/WRITE_ZEROES segments), optional
/// device-writable data, and the status byte (§5.2.6).
extension FakeVirtioDriver {
    static let blockHeaderAt = dataArea
    static let blockPayloadAt = dataArea + 0x1000
    static let blockReadBackAt = dataArea + 0x3000
    static let blockStatusAt = dataArea + 0x5000

    struct BlockReply { var status: UInt8; var used: UInt32; var data: [UInt8] }

    /// Sends one request on queue 0 and waits for its used element.
    func blockRequest(type: UInt32, sector: UInt64 = 0, payload: [UInt8] = [], readBack: Int = 0) -> BlockReply? {
        precondition(payload.count <= 0x2000 && readBack <= 0x2000)
        put(Self.blockHeader(type: type, sector: sector), at: Self.blockHeaderAt)
        put(payload, at: Self.blockPayloadAt)
        put([0xEE], at: Self.blockStatusAt)
        var buffers: [(UInt64, Int, Bool)] = [(Self.blockHeaderAt, 16, false)]
        if !payload.isEmpty { buffers.append((Self.blockPayloadAt, payload.count, false)) }
        if readBack > 0 { buffers.append((Self.blockReadBackAt, readBack, true)) }
        buffers.append((Self.blockStatusAt, 1, true))
        let head = submit(0, buffers)
        let used = takeUsed(0)
        guard used.count == 1, used[0].id == UInt32(head) else { return nil }
        return BlockReply(status: get(Self.blockStatusAt, 1)[0], used: used[0].length,
                          data: get(Self.blockReadBackAt, readBack))
    }

    /// One DISCARD / WRITE_ZEROES segment: sector le64, num_sectors le32, flags le32.
    static func segment(_ sector: UInt64, _ count: UInt32, flags: UInt32 = 0) -> [UInt8] {
        withUnsafeBytes(of: sector.littleEndian) { Array($0) } + withUnsafeBytes(of: count.littleEndian) { Array($0) }
            + withUnsafeBytes(of: flags.littleEndian) { Array($0) }
    }

    /// A little-endian configuration field of `size` bytes at `offset`.
    func config(_ offset: Int, size: Int = 4) -> UInt64 {
        transport.mmioRead(offset: 0x100 + UInt64(offset), size: size)
    }
}

/// Status values (§5.2.6).
enum BlockStatus {
    static let ok: UInt8 = 0, ioError: UInt8 = 1, unsupported: UInt8 = 2
}

/// Request types (§5.2.6).
enum BlockRequest {
    static let read: UInt32 = 0, write: UInt32 = 1, flush: UInt32 = 4, getID: UInt32 = 8
    static let discard: UInt32 = 11, writeZeroes: UInt32 = 13
}

/// Scratch image files in the temporary directory, removed by `removeAll()`.
final class ScratchImages {
    private(set) var paths: [String] = []

    /// A new file holding `bytes`.
    func make(_ bytes: [UInt8], name: String = "img") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("blk-\(name)-\(UUID()).img").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        paths.append(path)
        return path
    }

    /// A sparse file of `size` bytes (no data blocks).
    func makeSparse(size: off_t) throws -> String {
        let path = try make([])
        guard truncate(path, size) == 0 else { throw POSIXError(.EIO) }
        return path
    }

    func removeAll() {
        for p in paths { try? FileManager.default.removeItem(atPath: p) }
        paths = []
    }

    static func contents(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    /// Allocated 512-byte blocks (st_blocks) after pushing dirty data out.
    static func allocatedBlocks(_ path: String) -> Int64 {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        fsync(fd)
        var st = stat()
        fstat(fd, &st)
        return Int64(st.st_blocks)
    }
}
