/// Finds the decode-table line of an instruction word, independently of the
/// order of the table's lines.
///
/// Lines are sorted by specificity (number of fixed bits, most first) when
/// the matcher is built, and grouped into buckets by some fixed bits of the
/// word; the first line of a bucket that matches is the most specific
/// matching line. That is the one meant because the tables keep an
/// invariant, checked by `DecodeTableTests`: two lines that can match the
/// same word always have one strictly more specific than the other (its
/// fixed bits are a strict superset of the other's), so equally specific
/// lines never compete.
///
/// A class over raw memory: decoding reads it with no reference counting
/// (it runs once per instruction per decoded page, millions of times in a
/// Linux boot). Immutable after `init`. Not generic: operations are kept as
/// raw values, because a generic matcher is not specialized across files
/// in the (optimised, non-whole-module) debug build and ran 2x slower.
final class DecodeMatcher: @unchecked Sendable {
    /// 12 bytes: a bucket scan touches few cache lines.
    struct Entry: Sendable {
        let mask: UInt32
        let value: UInt32
        let lineIndex: UInt16
        /// The raw value of the line's operation.
        let op: UInt16
        /// The line has a side condition (`exclusions[line]`).
        let hasExclusion: Bool
        /// Index of the line in the table (for its fields).
        @inline(__always) var line: Int { Int(lineIndex) }
    }

    /// Candidates of all buckets, each bucket's most specific first.
    private let entries: UnsafeMutablePointer<Entry>
    private let entryCount: Int
    /// Bucket k is entries[bucketStart[k] ..< bucketStart[k + 1]].
    private let bucketStart: UnsafeMutablePointer<Int32>
    /// (mask, value) of each line's side condition (a word with
    /// `word & mask == value` does not match), by line.
    private let exclusions: UnsafeMutablePointer<(mask: UInt32, value: UInt32)>
    private let lineCount: Int
    private let keyShift: UInt32
    private let keyMask: UInt32

    /// A matcher for the `lines` that `include` accepts (the others keep
    /// their index but never match), bucketed by the `keyBits` bits of the
    /// word starting at bit `keyShift`.
    init(_ lines: [(UInt16, DecodePattern)], keyShift: UInt32, keyBits: UInt32,
         including include: (DecodePattern) -> Bool = { _ in true }) {
        let order = lines.indices.filter { include(lines[$0].1) }.sorted {
            let a = lines[$0].1.fixedBitCount, b = lines[$1].1.fixedBitCount
            return a != b ? a > b : $0 < $1
        }
        precondition(lines.count <= Int(UInt16.max), "table too large")
        let keyMask: UInt32 = (1 << keyBits) - 1
        var list: [Entry] = []
        var starts: [Int32] = []
        let fieldMask = keyMask << keyShift
        for key in 0...keyMask {
            starts.append(Int32(list.count))
            let bits = key << keyShift
            for i in order {
                let p = lines[i].1
                if bits & p.mask & fieldMask == p.value & fieldMask & p.mask {
                    list.append(Entry(mask: p.mask, value: p.value, lineIndex: UInt16(i), op: lines[i].0,
                                      hasExclusion: p.exclusionMask != 0))
                }
            }
        }
        starts.append(Int32(list.count))
        entryCount = list.count
        entries = .allocate(capacity: max(1, list.count))
        entries.initialize(from: list, count: list.count)
        bucketStart = .allocate(capacity: starts.count)
        bucketStart.initialize(from: starts, count: starts.count)
        lineCount = max(1, lines.count)
        exclusions = .allocate(capacity: lineCount)
        exclusions.initialize(repeating: (0, 1), count: lineCount)
        for (i, l) in lines.enumerated() { exclusions[i] = (l.1.exclusionMask, l.1.exclusionValue) }
        self.keyShift = keyShift
        self.keyMask = keyMask
    }

    deinit {
        entries.deinitialize(count: entryCount)
        entries.deallocate()
        bucketStart.deallocate()
        exclusions.deallocate()
    }

    /// The most specific line matching `word`, or nil.
    @inline(__always) func match(_ word: UInt32) -> Entry? {
        let key = Int((word >> keyShift) & keyMask)
        var i = Int(bucketStart[key])
        let end = Int(bucketStart[key + 1])
        while i < end {
            let c = entries[i]
            if word & c.mask == c.value {
                if !c.hasExclusion { return c }
                let x = exclusions[c.line]
                if word & x.mask != x.value { return c }
            }
            i += 1
        }
        return nil
    }
}
