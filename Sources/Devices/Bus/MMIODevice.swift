/// A device that answers loads and stores in a physical address window.
///
/// Devices know nothing of the CPU: they see an offset into their window,
/// an access size in bytes (1, 2, 4 or 8) and a value. The bus that owns a
/// device serialises calls into it, so a device need not be thread-safe.
public protocol MMIODevice: AnyObject {
    /// Reads `size` bytes at `offset` within the device window.
    func mmioRead(offset: UInt64, size: Int) -> UInt64
    /// Writes the low `size` bytes of `value` at `offset`.
    func mmioWrite(offset: UInt64, size: Int, value: UInt64)
}
