/// Linux kernels as `--kernel` takes them, placed the way QEMU's `-kernel`
/// places them on a 32-bit `virt` board.
extension GuestImage {
    /// The zImage header's magic number, at offset 0x24 (little-endian).
    public static let zImageMagic: UInt32 = 0x016F_2818
    /// Where a zImage goes: it relocates itself, so any offset works; QEMU
    /// uses RAM + 0x10000.
    public static let zImageOffset: UInt64 = VirtMemoryMap.defaultFlatLoadOffset
    /// Where an uncompressed Image goes: RAM + TEXT_OFFSET (0x8000), because
    /// the kernel derives its physical base from where it runs.
    public static let uncompressedImageOffset: UInt64 = 0x8000

    /// Whether `bytes` carry the zImage magic at offset 0x24.
    public static func isZImage(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 0x30 else { return false }
        let magic = UInt32(bytes[0x24]) | UInt32(bytes[0x25]) << 8 | UInt32(bytes[0x26]) << 16 | UInt32(bytes[0x27]) << 24
        return magic == zImageMagic
    }

    /// A kernel as QEMU's `-kernel` takes it on 32-bit `virt`: an ELF file
    /// at its physical addresses; anything else (a zImage, or any flat
    /// binary such as a kvm-unit-tests `.flat`) at RAM + 0x10000; with
    /// `uncompressed`, an uncompressed Image at RAM + 0x8000. A file that
    /// only looks like ELF but is broken is refused by the ELF loader.
    public static func kernel(_ bytes: [UInt8], path: String, uncompressed: Bool, entry: UInt64? = nil) throws -> GuestImage {
        if isELF(bytes) {
            var image = try elf(bytes)
            if let e = entry { image.entry = e }
            return image
        }
        let base = VirtMemoryMap.ramBase
        if uncompressed { return flat(bytes, at: base + uncompressedImageOffset, entry: entry) }
        return flat(bytes, at: base + zImageOffset, entry: entry)
    }
}
