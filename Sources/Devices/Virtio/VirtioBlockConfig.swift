/// virtio-blk feature bits and `struct virtio_blk_config` (virtio 1.2 §5.2.3, §5.2.4).
extension VirtioBlock {
    // Feature bits (§5.2.3).
    public static let featureSegmentMax: UInt64 = 1 << 2
    public static let featureReadOnly: UInt64 = 1 << 5
    public static let featureBlockSize: UInt64 = 1 << 6
    public static let featureFlush: UInt64 = 1 << 9
    public static let featureDiscard: UInt64 = 1 << 13
    public static let featureWriteZeroes: UInt64 = 1 << 14

    /// Byte offsets of the configuration fields. Fields of features not
    /// offered (size_max, geometry, topology, writeback, num_queues) read 0.
    public enum ConfigOffset {
        public static let capacity = 0                  // le64
        public static let sizeMax = 8                   // le32
        public static let segMax = 12                   // le32
        public static let geometry = 16                 // le16 cylinders, u8 heads, u8 sectors
        public static let blockSize = 20                // le32
        public static let topology = 24                 // 8 bytes
        public static let writeback = 32                // u8, then u8 unused0
        public static let numQueues = 34                // le16
        public static let maxDiscardSectors = 36        // le32
        public static let maxDiscardSegments = 40       // le32
        public static let discardSectorAlignment = 44   // le32
        public static let maxWriteZeroesSectors = 48    // le32
        public static let maxWriteZeroesSegments = 52   // le32
        public static let writeZeroesMayUnmap = 56      // u8, then u8 unused1[3]
        /// Size of the structure.
        public static let size = 60
    }

    // Limits of one DISCARD or WRITE_ZEROES request. Punching a hole is
    // cheap whatever its size; write-zeroes may fall back to writing
    // zeroes on the VCPU's thread, so its requests are kept smaller.
    static let maxDiscardSectors: UInt32 = 1 << 22           // 2 GiB
    static let maxDiscardSegments: UInt32 = 16
    static let maxWriteZeroesSectors: UInt32 = 1 << 16       // 32 MiB
    static let maxWriteZeroesSegments: UInt32 = 1

    /// The configuration space as the driver reads it (little-endian).
    func makeConfigSpace() -> [UInt8] {
        var c = [UInt8](repeating: 0, count: ConfigOffset.size)
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
            for i in 0..<MemoryLayout<T>.size { c[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
        }
        put(capacity, at: ConfigOffset.capacity)
        put(segmentMax, at: ConfigOffset.segMax)
        put(UInt32(Self.sectorSize), at: ConfigOffset.blockSize)
        if !readOnly {
            put(Self.maxDiscardSectors, at: ConfigOffset.maxDiscardSectors)
            put(Self.maxDiscardSegments, at: ConfigOffset.maxDiscardSegments)
            put(discardAlignment, at: ConfigOffset.discardSectorAlignment)
            put(Self.maxWriteZeroesSectors, at: ConfigOffset.maxWriteZeroesSectors)
            put(Self.maxWriteZeroesSegments, at: ConfigOffset.maxWriteZeroesSegments)
            put(UInt8(1), at: ConfigOffset.writeZeroesMayUnmap)
        }
        return c
    }
}
