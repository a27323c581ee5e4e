/// The host side of a guest network interface: where the Ethernet frames the
/// guest sends go, and where the frames for the guest come from (user-mode
/// networking through libslirp, a TAP device, or a test's fake).
///
/// Threading: `transmit` is called on a VCPU thread (the one that notified
/// the device's transmit queue) and must never block. A backend that runs an
/// event loop delivers received frames from that loop's own thread through
/// `NetworkPort.deliver`.
///
/// Locking (virtio-net): the device calls `transmit` and
/// `receiveSpaceAvailable` (and may call `receiveSpaceAvailable` from a
/// device reset) while holding its virtio transport's lock, and `deliver` /
/// `transmitSpaceAvailable` take that lock. So a backend must not call the
/// port from inside `transmit` or `receiveSpaceAvailable` (wake its own
/// loop instead), and must not hold a lock of its own while calling
/// `deliver` or `transmitSpaceAvailable` if `transmit` or
/// `receiveSpaceAvailable` take that same lock.
public protocol NetworkBackend: AnyObject, Sendable {
    /// Connects the device that receives this backend's frames; called once,
    /// before `start`. The device keeps a strong reference to its backend,
    /// so the backend should hold the port weakly (or drop it in `stop`).
    func attach(_ port: NetworkPort)
    /// Starts the backend's event loop (if it has one).
    func start() throws
    /// Stops the event loop and releases host resources; idempotent.
    func stop()
    /// Sends one Ethernet frame (destination MAC first; no virtio header, no
    /// FCS) from the guest. The frame is complete: checksums filled in and
    /// TCP segmentation done by the device, at least 14 bytes. The buffer is
    /// only valid during the call. Returns `false` when the backend cannot take it
    /// now: the device keeps the frame's chain in its ring, and the backend
    /// calls `port.transmitSpaceAvailable()` once it can take frames again.
    func transmit(_ frame: UnsafeRawBufferPointer) -> Bool
    /// The device has room for received frames again after `deliver`
    /// returned `false`: the backend resumes reading its source. Called on a
    /// VCPU thread; must not block.
    func receiveSpaceAvailable()
}

/// The guest side of a network interface, as its backend sees it (the
/// virtio-net device).
public protocol NetworkPort: AnyObject, Sendable {
    /// Offers one Ethernet frame (no virtio header, no FCS) to the guest.
    /// The device copies it before returning.
    /// Returns `false` when the device cannot hold it (the guest posted no
    /// receive buffers and the device's own bounded queue is full): the
    /// backend keeps the frame, stops reading its source (back-pressure, so
    /// nothing is dropped silently) and offers it again after
    /// `NetworkBackend.receiveSpaceAvailable()`.
    func deliver(_ frame: UnsafeRawBufferPointer) -> Bool
    /// The backend can take frames again after `transmit` returned `false`.
    func transmitSpaceAvailable()
}
