/// A hash map from `BlockKey` to a 32-bit value, for the JIT's lookups that
/// miss the jump cache (every block after a context switch goes through
/// it).
///
/// Swift's `Dictionary` hashes with seeded SipHash and checks uniqueness
/// on every write: in a Debian boot that was an eighth of the host's time.
/// This is open addressing with linear probing over power-of-two arrays, a
/// multiplicative hash, and tombstones for removals (the table is rebuilt
/// when live entries and tombstones pass half of it).
final class BlockTable {
    private struct Slot {
        var physicalPC: UInt64
        var virtualPC: UInt32
        var key: UInt32
        /// `empty`, `tombstone` or a stored value (>= 0).
        var value: Int32
    }

    private static let empty: Int32 = -1
    private static let tombstone: Int32 = -2

    private var slots: UnsafeMutablePointer<Slot>
    private var mask: Int
    /// Live entries.
    private(set) var count = 0
    /// Live entries plus tombstones (what probing has to step over).
    private var used = 0

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = .allocate(capacity: size)
        mask = size - 1
        clearSlots()
    }

    deinit { slots.deallocate() }

    @inline(__always) private static func hash(_ k: BlockKey) -> Int {
        var h = k.physicalPC &* 0x9E37_79B9_7F4A_7C15
        h ^= (UInt64(k.virtualPC) << 32 | UInt64(k.key)) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    @inline(__always) private static func matches(_ s: Slot, _ k: BlockKey) -> Bool {
        s.physicalPC == k.physicalPC && s.virtualPC == k.virtualPC && s.key == k.key
    }

    /// The value stored for `k`, or nil.
    @inline(__always) subscript(_ k: BlockKey) -> Int32? {
        var i = BlockTable.hash(k) & mask
        while true {
            let s = slots[i]
            if s.value == BlockTable.empty { return nil }
            if s.value >= 0 && BlockTable.matches(s, k) { return s.value }
            i = (i + 1) & mask
        }
    }

    /// Stores `value` (>= 0) for `k`, replacing what was there.
    func insert(_ k: BlockKey, _ value: Int32) {
        precondition(value >= 0, "BlockTable values are non-negative")
        var i = BlockTable.hash(k) & mask
        var reusable = -1
        while true {
            let s = slots[i]
            if s.value == BlockTable.empty { break }
            if s.value == BlockTable.tombstone {
                if reusable < 0 { reusable = i }
            } else if BlockTable.matches(s, k) {
                slots[i].value = value
                return
            }
            i = (i + 1) & mask
        }
        if reusable >= 0 {
            slots[reusable] = Slot(physicalPC: k.physicalPC, virtualPC: k.virtualPC, key: k.key, value: value)
            count += 1
            return
        }
        slots[i] = Slot(physicalPC: k.physicalPC, virtualPC: k.virtualPC, key: k.key, value: value)
        count += 1
        used += 1
        if used * 2 > mask + 1 { rebuild() }
    }

    /// Removes `k`'s entry, if any.
    func remove(_ k: BlockKey) {
        var i = BlockTable.hash(k) & mask
        while true {
            let s = slots[i]
            if s.value == BlockTable.empty { return }
            if s.value >= 0 && BlockTable.matches(s, k) {
                slots[i].value = BlockTable.tombstone
                count -= 1
                return
            }
            i = (i + 1) & mask
        }
    }

    /// Empties the table, keeping its size.
    func removeAll() {
        clearSlots()
        count = 0
        used = 0
    }

    private func clearSlots() {
        slots.initialize(repeating: Slot(physicalPC: 0, virtualPC: 0, key: 0, value: BlockTable.empty),
                         count: mask + 1)
    }

    /// Rehashes the live entries into a table twice their count's size or
    /// more (tombstones go away).
    private func rebuild() {
        let old = slots
        let oldSize = mask + 1
        var size = 16
        while size < count * 4 { size <<= 1 }
        slots = .allocate(capacity: size)
        mask = size - 1
        clearSlots()
        count = 0
        used = 0
        for i in 0..<oldSize where old[i].value >= 0 {
            let s = old[i]
            insert(BlockKey(physicalPC: s.physicalPC, virtualPC: s.virtualPC, key: s.key), s.value)
        }
        old.deallocate()
    }
}
