/// A virtio entropy device (virtio 1.x §5.4): every writable buffer the
/// driver queues is filled from the host's random number generator.
public final class VirtioRNG: VirtioDevice, @unchecked Sendable {
    public init() {}

    public var deviceID: UInt32 { 4 }
    public var queueCount: Int { 1 }
    public var deviceFeatures: UInt64 { 0 }
    public func configSpace() -> [UInt8] { [] }
    public func reset() {}

    public func serve(queue: Int, chain: DescriptorChain) -> UInt32? {
        var generator = SystemRandomNumberGenerator()
        for b in chain.writable {
            var at = 0
            while at < b.length {
                let word = generator.next()
                let n = min(8, b.length - at)
                withUnsafeBytes(of: word) { (b.pointer + at).copyMemory(from: $0.baseAddress!, byteCount: n) }
                at += n
            }
        }
        return UInt32(chain.writableLength)
    }
}
