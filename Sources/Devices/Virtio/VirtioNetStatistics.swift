/// What a virtio-net device has passed and dropped, for `--stats` and tests.
/// Frames are counted without the virtio header; a GSO frame counts once as
/// `transmitSegmented` and each of its segments as a transmitted frame.
public struct VirtioNetStatistics: Equatable, Sendable {
    /// Frames (and their bytes) written into the guest's receive buffers.
    public var receivedFrames: UInt64 = 0
    public var receivedBytes: UInt64 = 0
    /// Frames (and their bytes) the backend accepted from the guest.
    public var transmittedFrames: UInt64 = 0
    public var transmittedBytes: UInt64 = 0
    /// GSO frames the device segmented.
    public var transmitSegmented: UInt64 = 0
    /// Frames whose checksum the driver left to the device (NEEDS_CSUM, not GSO).
    public var transmitChecksumCompleted: UInt64 = 0
    /// Received frames marked DATA_VALID: their checksum verified on the host.
    public var receiveChecksumVerified: UInt64 = 0
    /// Times the backend refused a frame (the chain waited in the ring: not a drop).
    public var transmitBackendBusy: UInt64 = 0
    /// Times `deliver` refused a frame because the pending queue was full (not a drop).
    public var receiveQueueFull: UInt64 = 0

    // Drops, by reason.
    /// Received frames offered while the driver had not set DRIVER_OK.
    public var receiveDroppedNotReady: UInt64 = 0
    /// Received frames larger than any buffer the guest can offer (one
    /// chain without mergeable buffers, the whole ring with them), than the
    /// MTU when the driver negotiated VIRTIO_NET_F_MTU, or than 64 KiB.
    public var receiveDroppedOversize: UInt64 = 0
    /// Mergeable receive buffers too small to hold even the header (used empty).
    public var receiveBuffersTooSmall: UInt64 = 0
    /// Guest frames shorter than an Ethernet header.
    public var transmitDroppedShort: UInt64 = 0
    /// Guest frames longer than 64 KiB.
    public var transmitDroppedLong: UInt64 = 0
    /// Checksum requests whose offsets point outside the frame.
    public var transmitDroppedBadChecksumRequest: UInt64 = 0
    /// GSO frames the device does not segment: UDP, ECN (HOST_ECN is not
    /// offered), unknown types, or not a TCP frame of the stated IP version.
    public var transmitDroppedBadGSO: UInt64 = 0

    /// All counters zero.
    public init() {}

    /// All drops together.
    public var dropped: UInt64 {
        receiveDroppedNotReady + receiveDroppedOversize + transmitDroppedShort + transmitDroppedLong
            + transmitDroppedBadChecksumRequest + transmitDroppedBadGSO
    }
}
