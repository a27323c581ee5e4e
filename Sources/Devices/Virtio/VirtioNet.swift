import Foundation

/// A virtio network device (virtio 1.x §5.1) with one receive and one
/// transmit queue and no control queue, between the guest and a
/// `NetworkBackend` (slirp, TAP, a test's fake).
///
/// Offloads the guest may use are carried out by the device itself:
/// checksums the driver leaves open are completed and TCP GSO frames are
/// segmented in software before transmission (`VirtioNetTransmit.swift`),
/// so a backend only ever sees plain, valid Ethernet frames. On receive the
/// device verifies TCP/UDP checksums on the host and tells the guest when
/// they are valid (`VirtioNetReceive.swift`).
///
/// Threading: the transport serialises `serve`, `activate` and `reset` under
/// its lock; `deliver` and `transmitSpaceAvailable` come from the backend's
/// thread and reach the queues through `transport.hostNotify`. The state
/// both sides touch (pending frames, counters) is guarded by `lock`, which is
/// only ever taken inside the transport's lock, never around it.
public final class VirtioNet: VirtioDevice, NetworkPort, @unchecked Sendable {
    /// An Ethernet address.
    public struct MACAddress: Equatable, Sendable, CustomStringConvertible {
        /// The six bytes, in wire order.
        public let bytes: [UInt8]

        /// Six bytes, first on the wire first.
        public init?(_ bytes: [UInt8]) {
            guard bytes.count == 6 else { return nil }
            self.bytes = bytes
        }

        /// Parses "52:54:00:12:34:56" (or with '-').
        public init?(_ text: String) {
            let parts = text.split(whereSeparator: { $0 == ":" || $0 == "-" })
            guard parts.count == 6 else { return nil }
            let bytes = parts.compactMap { $0.count == 2 ? UInt8($0, radix: 16) : nil }
            self.init(bytes)
        }

        /// QEMU's default for its first NIC, locally administered.
        public static let qemuDefault = MACAddress([0x52, 0x54, 0x00, 0x12, 0x34, 0x56])!

        /// Lower-case hex with colons, as `ip link` shows it.
        public var description: String { bytes.map { String(format: "%02x", $0) }.joined(separator: ":") }
    }

    static let receiveQueue = 0, transmitQueue = 1

    // Feature bits (§5.1.3).
    public static let featureChecksum: UInt64 = 1 << 0
    public static let featureGuestChecksum: UInt64 = 1 << 1
    public static let featureMTU: UInt64 = 1 << 3
    public static let featureMAC: UInt64 = 1 << 5
    public static let featureHostTSO4: UInt64 = 1 << 11
    public static let featureHostTSO6: UInt64 = 1 << 12
    public static let featureMergeableBuffers: UInt64 = 1 << 15
    public static let featureStatus: UInt64 = 1 << 16
    public static let featureSpeedDuplex: UInt64 = 1 << 63
    /// Config `status`: the link is up.
    public static let statusLinkUp: UInt16 = 1

    /// The MTU offered with VIRTIO_NET_F_MTU (what slirp and a default TAP use).
    public static let mtu: UInt16 = 1500
    /// Link speed (Mb/s) reported with VIRTIO_NET_F_SPEED_DUPLEX: nominal, the
    /// real rate is whatever the host manages.
    public static let speed: UInt32 = 1000
    /// Largest Ethernet frame (without the virtio header) the guest may send
    /// (a TSO frame) or be given: 64 KiB.
    public static let maxFrameLength = 65_536
    /// Frames held for the guest while it has no receive buffers.
    public static let pendingCapacity = 256
    /// Once refused, the backend is told to resume when this few frames are left.
    public static let pendingLowWater = 64

    /// The guest's MAC address (config space `mac`).
    public let macAddress: MACAddress
    /// Where transmitted frames go and received ones come from.
    public let backend: NetworkBackend
    /// Serves the queues when frames arrive or the backend has room again
    /// (set by the board to this device's transport, as for `VirtioConsole`).
    public weak var transport: VirtioMMIOTransport?

    /// Guards the state below, shared between the backend's thread and the transport's.
    let lock = NSLock()
    /// Frames waiting for receive buffers, oldest first.
    var pending: [[UInt8]] = []
    /// `deliver` refused a frame: the backend waits for `receiveSpaceAvailable`.
    var backendWaitsForSpace = false
    /// DRIVER_OK set and not reset since: frames are only kept for a live driver.
    var live = false
    var counters = VirtioNetStatistics()

    // Touched only under the transport's lock.
    /// Features the driver accepted (valid while `live`).
    var negotiated: UInt64 = 0
    /// Segments of the frame at the head of the transmit ring already
    /// accepted by the backend when it refused the next one.
    var transmitProgress: (head: UInt16, segmentsSent: Int)?

    /// A device with address `macAddress` connected to `backend`: it calls
    /// `backend.attach(self)` here. Starting and stopping the backend is the
    /// owner's business (the board's `VirtioDevices`).
    public init(macAddress: MACAddress = .qemuDefault, backend: NetworkBackend) {
        self.macAddress = macAddress
        self.backend = backend
        backend.attach(self)
    }

    /// A snapshot of the counters.
    public var statistics: VirtioNetStatistics { lock.withLock { counters } }

    // MARK: VirtioDevice

    public var deviceID: UInt32 { 1 }
    public var queueCount: Int { 2 }
    public var deviceFeatures: UInt64 {
        Self.featureChecksum | Self.featureGuestChecksum | Self.featureMTU | Self.featureMAC
            | Self.featureHostTSO4 | Self.featureHostTSO6 | Self.featureMergeableBuffers | Self.featureStatus
            | Self.featureSpeedDuplex
    }

    /// mac[6], status, max_virtqueue_pairs (1), mtu, speed (le32), duplex (1: full).
    public func configSpace() -> [UInt8] {
        var c = macAddress.bytes
        func le16(_ v: UInt16) { c += [UInt8(v & 0xFF), UInt8(v >> 8)] }
        le16(Self.statusLinkUp)
        le16(1)
        le16(Self.mtu)
        c += withUnsafeBytes(of: Self.speed.littleEndian) { Array($0) }
        c.append(1)
        return c
    }

    public func activate(negotiatedFeatures: UInt64) {
        negotiated = negotiatedFeatures
        transmitProgress = nil
        lock.withLock { live = true }
    }

    /// Forgets pending frames and transmit progress; a backend waiting for
    /// room is released (the frames it still holds go to the next driver).
    public func reset() {
        negotiated = 0
        transmitProgress = nil
        let resume = lock.withLock {
            live = false
            pending.removeAll()
            defer { backendWaitsForSpace = false }
            return backendWaitsForSpace
        }
        if resume { backend.receiveSpaceAvailable() }
    }

    public func serve(queue: Int, session: inout VirtqueueSession) throws(VirtqueueError) {
        if queue == Self.receiveQueue {
            try serveReceive(&session)
        } else {
            while let chain = try session.peek() {
                guard let written = serve(queue: queue, chain: chain) else { return }
                try session.use(chain, written: written)
            }
        }
    }

    /// One transmit chain (receive chains go through `serve(queue:session:)`,
    /// which may need several at once).
    public func serve(queue: Int, chain: DescriptorChain) -> UInt32? {
        queue == Self.transmitQueue ? transmit(chain) : nil
    }

    /// Header length for the negotiated features: 12 bytes with VERSION_1 or
    /// MRG_RXBUF (`num_buffers` present), else the legacy 10.
    var headerLength: Int {
        negotiated & (Virtio.version1 | Self.featureMergeableBuffers) != 0
            ? VirtioNetHeader.length : VirtioNetHeader.legacyLength
    }

    // MARK: NetworkPort

    /// Queues a copy of `frame` for the guest and serves the receive queue.
    /// Returns `false` (keeping nothing) when `pendingCapacity` frames already
    /// wait; the backend is called back through `receiveSpaceAvailable` once
    /// they have drained to `pendingLowWater`. Frames arriving while no
    /// driver is live (before DRIVER_OK, after a reset), or longer than
    /// 64 KiB, are dropped and counted, as a NIC whose interface is down drops.
    public func deliver(_ frame: UnsafeRawBufferPointer) -> Bool {
        let (accepted, queued): (Bool, Bool) = lock.withLock {
            guard live else {
                counters.receiveDroppedNotReady += 1
                return (true, false)
            }
            guard frame.count <= Self.maxFrameLength else {
                counters.receiveDroppedOversize += 1
                return (true, false)
            }
            guard pending.count < Self.pendingCapacity else {
                backendWaitsForSpace = true
                counters.receiveQueueFull += 1
                return (false, false)
            }
            pending.append(Array(frame))
            return (true, true)
        }
        if queued { transport?.hostNotify(queue: Self.receiveQueue) }
        return accepted
    }

    public func transmitSpaceAvailable() {
        transport?.hostNotify(queue: Self.transmitQueue)
    }
}
