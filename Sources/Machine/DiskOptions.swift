/// One virtio-blk disk of the `virt` board: a raw image, how it is opened,
/// and the serial the guest sees (GET_ID, `/dev/disk/by-id/virtio-<serial>`).
public struct DiskOptions: Sendable, Equatable {
    /// The raw image file.
    public var path: String
    /// Open the image read-only: the guest sees VIRTIO_BLK_F_RO, other
    /// read-only users may share the image.
    public var readOnly: Bool
    /// GET_ID's answer (at most 20 bytes); nil: the image's file name.
    public var serial: String?

    /// Most disks a board takes (vda…vdh).
    public static let maximumCount = 8

    public init(path: String, readOnly: Bool = false, serial: String? = nil) {
        self.path = path
        self.readOnly = readOnly
        self.serial = serial
    }

    /// Parses the `--disk` grammar `FILE[,ro][,serial=NAME]`. As in QEMU's
    /// option syntax, `,,` stands for a comma in FILE. NAME is 1 to 20
    /// printable ASCII characters.
    public init(parsing spec: String) throws(DiskOptionError) {
        let parts = Self.split(spec)
        guard let file = parts.first, !file.isEmpty else { throw DiskOptionError("--disk '\(spec)': no image file") }
        self.init(path: file)
        for option in parts.dropFirst() {
            if option == "ro" {
                readOnly = true
            } else if option.hasPrefix("serial=") {
                let name = String(option.dropFirst("serial=".count))
                guard (1...20).contains(name.utf8.count), name.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else {
                    throw DiskOptionError("--disk '\(spec)': serial must be 1 to 20 printable ASCII characters")
                }
                serial = name
            } else {
                throw DiskOptionError("--disk '\(spec)': unknown option '\(option)' (expected FILE[,ro][,serial=NAME])")
            }
        }
    }

    /// Splits at single commas; `,,` is a literal comma.
    static func split(_ spec: String) -> [String] {
        var parts = [""]
        var chars = spec.makeIterator(), pending = chars.next()
        while let c = pending {
            pending = chars.next()
            if c != "," {
                parts[parts.count - 1].append(c)
            } else if pending == "," {
                parts[parts.count - 1].append(",")
                pending = chars.next()
            } else {
                parts.append("")
            }
        }
        return parts
    }
}

/// A malformed `--disk` argument, as one line for the user.
public struct DiskOptionError: Error, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
