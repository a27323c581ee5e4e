/// A flattened device tree (DTB, format version 17) writer: nodes and
/// properties in order, strings de-duplicated, big-endian as the format says.
public struct FDTWriter {
    private var structure: [UInt8] = []
    private var strings: [UInt8] = []
    private var stringOffsets: [String: UInt32] = [:]
    private var depth = 0
    /// Physical id of the boot CPU (the header's boot_cpuid_phys).
    public var bootCPU: UInt32 = 0

    enum Token: UInt32 { case beginNode = 1, endNode = 2, prop = 3, end = 9 }

    public init() {}

    /// Opens a node; the root node's name is "".
    public mutating func beginNode(_ name: String) {
        append32(Token.beginNode.rawValue)
        structure += Array(name.utf8) + [0]
        pad()
        depth += 1
    }

    /// Closes the innermost open node.
    public mutating func endNode() {
        precondition(depth > 0, "endNode without beginNode")
        append32(Token.endNode.rawValue)
        depth -= 1
    }

    /// A property with raw bytes.
    public mutating func property(_ name: String, bytes: [UInt8]) {
        append32(Token.prop.rawValue)
        append32(UInt32(bytes.count))
        append32(stringOffset(name))
        structure += bytes
        pad()
    }

    /// An empty (boolean) property.
    public mutating func property(_ name: String) { property(name, bytes: []) }

    /// A property of 32-bit cells.
    public mutating func property(_ name: String, cells: [UInt32]) {
        property(name, bytes: cells.flatMap(FDTWriter.bigEndian))
    }

    /// A property of 64-bit values, each as two cells.
    public mutating func property(_ name: String, u64 values: [UInt64]) {
        property(name, cells: values.flatMap { [UInt32($0 >> 32), UInt32(truncatingIfNeeded: $0)] })
    }

    /// A string (or string-list) property.
    public mutating func property(_ name: String, strings list: [String]) {
        property(name, bytes: list.flatMap { Array($0.utf8) + [0] })
    }

    /// A single-string property.
    public mutating func property(_ name: String, string: String) { property(name, strings: [string]) }

    /// The finished blob.
    public func finish() -> [UInt8] {
        precondition(depth == 0, "unclosed FDT node")
        var body = structure
        body += FDTWriter.bigEndian(Token.end.rawValue)
        let headerSize = 40
        let reserveOffset = headerSize                 // one empty reservation entry (16 bytes)
        let structOffset = reserveOffset + 16
        let stringsOffset = structOffset + body.count
        let total = stringsOffset + strings.count
        var out: [UInt8] = []
        for v in [0xD00D_FEED, UInt32(total), UInt32(structOffset), UInt32(stringsOffset), UInt32(reserveOffset),
                  17, 16, bootCPU, UInt32(strings.count), UInt32(body.count)] as [UInt32] {
            out += FDTWriter.bigEndian(v)
        }
        out += [UInt8](repeating: 0, count: 16)
        out += body
        out += strings
        return out
    }

    private mutating func stringOffset(_ name: String) -> UInt32 {
        if let o = stringOffsets[name] { return o }
        let o = UInt32(strings.count)
        strings += Array(name.utf8) + [0]
        stringOffsets[name] = o
        return o
    }

    private mutating func append32(_ v: UInt32) { structure += FDTWriter.bigEndian(v) }

    private mutating func pad() {
        while structure.count % 4 != 0 { structure.append(0) }
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
    }
}
