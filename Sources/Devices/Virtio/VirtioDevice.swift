/// Feature bits and status values shared by every virtio device (virtio 1.x §2, §6).
public enum Virtio {
    /// VIRTIO_F_INDIRECT_DESC: descriptors may point to a table of descriptors.
    public static let indirectDescriptors: UInt64 = 1 << 28
    /// VIRTIO_F_VERSION_1: the modern (non-legacy) interface.
    public static let version1: UInt64 = 1 << 32

    // Device status bits (§2.1).
    public static let statusAcknowledge: UInt32 = 1
    public static let statusDriver: UInt32 = 2
    public static let statusDriverOK: UInt32 = 4
    public static let statusFeaturesOK: UInt32 = 8
    public static let statusNeedsReset: UInt32 = 64
    public static let statusFailed: UInt32 = 128
}

/// What a virtio device type (block, console, entropy…) supplies to a
/// transport. The transport owns the queues and serialises every call to
/// its device under its own lock, so a device needs no lock for state that
/// only these calls touch.
public protocol VirtioDevice: AnyObject {
    /// The virtio device ID (§5): 2 block, 3 console, 4 entropy.
    var deviceID: UInt32 { get }
    /// Device-type feature bits offered (the transport adds its own).
    var deviceFeatures: UInt64 { get }
    /// Number of virtqueues.
    var queueCount: Int { get }
    /// The device configuration space (little-endian), read at offset 0x100 of the window.
    func configSpace() -> [UInt8]
    /// Serves one chain made available on `queue`. Returns the number of
    /// bytes written into the chain's writable buffers, or `nil` to leave the
    /// chain in the ring for later (e.g. receive buffers with no input yet).
    func serve(queue: Int, chain: DescriptorChain) -> UInt32?
    /// The driver reset the device.
    func reset()
    /// Serves what the driver made available on `queue`, chain by chain,
    /// until the ring is empty or the device defers. The default calls
    /// `serve(queue:chain:)` for each chain; a device that needs several
    /// chains at once (virtio-net mergeable receive buffers) implements it.
    /// A thrown error means the driver broke the ring (DEVICE_NEEDS_RESET).
    func serve(queue: Int, session: inout VirtqueueSession) throws(VirtqueueError)
    /// The driver set DRIVER_OK having accepted `negotiatedFeatures`
    /// (device and transport bits); called before any queue is served.
    /// Default: nothing (for devices whose behaviour does not depend on them).
    func activate(negotiatedFeatures: UInt64)
}

extension VirtioDevice {
    public func serve(queue: Int, session: inout VirtqueueSession) throws(VirtqueueError) {
        while let chain = try session.peek() {
            guard let written = serve(queue: queue, chain: chain) else { return }
            try session.use(chain, written: written)
        }
    }

    public func activate(negotiatedFeatures: UInt64) {}
}
