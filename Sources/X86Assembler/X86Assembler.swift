/// An x86-64 machine-code emitter.
///
/// Emit instructions with the mutating methods, then call ``finish()`` to
/// resolve label jumps and get the bytes. Label jumps are always `rel32`, so
/// the size of the code never depends on where labels end up.
///
/// Misuse (an operand with no encoding, an unbound label) does not trap: the
/// first error is recorded and thrown by ``finish()``.
public struct X86Assembler: Sendable {
    /// The bytes emitted so far.
    var bytes: [UInt8] = []
    /// Bound offset of each label, `nil` until bound.
    var labelOffsets: [Int?] = []
    /// rel32 fields waiting for their label: the field's offset and target.
    var fixups: [(field: Int, label: Label)] = []
    /// The first misuse seen; thrown by `finish()`.
    var firstError: AssemblerError?

    /// Creates an empty assembler.
    public init() {
        bytes.reserveCapacity(256)
    }

    /// The number of bytes emitted so far (the offset of the next instruction).
    public var offset: Int { bytes.count }

    /// Creates a label, to be bound later with ``bind(_:)``.
    public mutating func newLabel() -> Label {
        labelOffsets.append(nil)
        return Label(id: labelOffsets.count - 1)
    }

    /// Binds `l` to the current offset. Binding a label twice is an error.
    public mutating func bind(_ l: Label) {
        guard labelOffsets.indices.contains(l.id) else {
            record(.unknownLabel(id: l.id))
            return
        }
        guard labelOffsets[l.id] == nil else {
            record(.labelBoundTwice(id: l.id))
            return
        }
        labelOffsets[l.id] = offset
    }

    /// Resolves all label jumps and returns the code.
    ///
    /// - Throws: ``AssemblerError`` for the first misuse recorded while
    ///   emitting, or for a jumped-to label that was never bound.
    public mutating func finish() throws -> [UInt8] {
        if let firstError { throw firstError }
        for fixup in fixups {
            guard labelOffsets.indices.contains(fixup.label.id) else {
                throw AssemblerError.unknownLabel(id: fixup.label.id)
            }
            guard let target = labelOffsets[fixup.label.id] else {
                throw AssemblerError.unboundLabel(id: fixup.label.id)
            }
            guard let rel = Self.rel32(from: fixup.field, to: target) else {
                throw AssemblerError.displacementOutOfRange
            }
            store32(UInt32(bitPattern: rel), at: fixup.field)
        }
        fixups.removeAll()
        return bytes
    }

    /// The rel32 value for a 4-byte field at `fieldOffset` that should reach
    /// `target`: x86 displacements count from the end of the instruction, which
    /// for every rel32 jump is the end of the field. `nil` if out of range.
    public static func rel32(from fieldOffset: Int, to target: Int) -> Int32? {
        let (end, o1) = fieldOffset.addingReportingOverflow(4)
        guard !o1 else { return nil }
        let (delta, o2) = target.subtractingReportingOverflow(end)
        guard !o2 else { return nil }
        return Int32(exactly: delta)
    }

    /// Remembers the first misuse; later ones are usually consequences.
    mutating func record(_ error: AssemblerError) {
        if firstError == nil { firstError = error }
    }
}
