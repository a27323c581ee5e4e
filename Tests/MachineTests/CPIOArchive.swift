/// A minimal "newc" cpio archive writer, for initramfs overlays in tests:
/// Linux unpacks archives concatenated after the initrd in order, so a
/// later /init replaces the initrd's own.
struct CPIOArchive {
    private(set) var bytes: [UInt8] = []
    private var inode: UInt32 = 1000

    /// Adds a regular file with permission bits `mode` (e.g. 0o755).
    mutating func addFile(_ name: String, contents: [UInt8], mode: UInt32 = 0o755) {
        add(name, mode: 0o100000 | mode, data: contents)
    }

    /// The archive with its trailer, padded to 4 bytes.
    func finished() -> [UInt8] {
        var a = self
        a.add("TRAILER!!!", mode: 0, data: [])
        return a.bytes
    }

    private mutating func add(_ name: String, mode: UInt32, data: [UInt8]) {
        inode += 1
        let nameBytes = Array(name.utf8) + [0]
        let fields: [UInt32] = [inode, mode, 0, 0, 1, 0, UInt32(data.count), 0, 0, 0, 0, UInt32(nameBytes.count), 0]
        bytes += Array("070701".utf8)
        for f in fields {
            let hex = String(f, radix: 16, uppercase: true)
            bytes += Array((String(repeating: "0", count: 8 - hex.count) + hex).utf8)
        }
        bytes += nameBytes
        pad()
        bytes += data
        pad()
    }

    private mutating func pad() {
        while bytes.count % 4 != 0 { bytes.append(0) }
    }
}
