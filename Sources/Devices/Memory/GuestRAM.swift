/// The narrow view of guest memory that DMA-capable devices (virtio) get,
/// built by the board from whatever backs its RAM: one block of
/// guest-physical RAM and its host mapping. Every access is bounds-checked
/// against the block, so an address or length chosen by the guest can only
/// ever produce `nil`, never a host access outside guest RAM.
public struct GuestRAM: @unchecked Sendable {
    /// First guest-physical address of the block.
    public let guestBase: UInt64
    /// Size of the block in bytes.
    public let size: UInt64
    /// Host address of the byte at `guestBase`.
    public let pointer: UnsafeMutableRawPointer

    /// A view of `size` bytes of host memory at `pointer`, seen by the guest at `guestBase`.
    public init(guestBase: UInt64, size: UInt64, pointer: UnsafeMutableRawPointer) {
        self.guestBase = guestBase
        self.size = size
        self.pointer = pointer
    }

    /// The host pointer for `length` bytes at guest-physical `address`, or
    /// `nil` if any of them lies outside this block.
    public func pointer(at address: UInt64, length: UInt64) -> UnsafeMutableRawPointer? {
        let offset = address &- guestBase
        // Written so that no sum can wrap: offset < size, length <= size - offset.
        guard address >= guestBase, offset <= size, length <= size - offset else { return nil }
        return pointer + Int(offset)
    }

    /// A little-endian 16-bit load, or `nil` outside RAM.
    public func load16(_ address: UInt64) -> UInt16? {
        pointer(at: address, length: 2).map { UInt16(littleEndian: $0.loadUnaligned(as: UInt16.self)) }
    }

    /// A little-endian 32-bit load, or `nil` outside RAM.
    public func load32(_ address: UInt64) -> UInt32? {
        pointer(at: address, length: 4).map { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
    }

    /// A little-endian 64-bit load, or `nil` outside RAM.
    public func load64(_ address: UInt64) -> UInt64? {
        pointer(at: address, length: 8).map { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    }

    /// A little-endian 16-bit store; false (and nothing written) outside RAM.
    @discardableResult
    public func store16(_ address: UInt64, _ value: UInt16) -> Bool {
        guard let p = pointer(at: address, length: 2) else { return false }
        p.storeBytes(of: value.littleEndian, toByteOffset: 0, as: UInt16.self)
        return true
    }

    /// A little-endian 32-bit store; false (and nothing written) outside RAM.
    @discardableResult
    public func store32(_ address: UInt64, _ value: UInt32) -> Bool {
        guard let p = pointer(at: address, length: 4) else { return false }
        p.storeBytes(of: value.littleEndian, toByteOffset: 0, as: UInt32.self)
        return true
    }
}
