import CSlirp
import Devices
import Foundation

/// User-mode networking: libslirp plays the guest's LAN (gateway, DHCP,
/// DNS) and turns the guest's TCP and UDP into the host's own sockets, with
/// no privileges needed. See `SlirpConfiguration` for the addresses.
///
/// libslirp is not thread-safe, so every `slirp_*` call happens on the
/// backend's `NetworkEventLoop` thread. `transmit` (a VCPU thread) only
/// copies the frame into a bounded queue and wakes the loop. Frames for the
/// guest go to `NetworkPort.deliver`; when it refuses one, that frame and all
/// later ones wait in order in a backlog, and the loop stops reading slirp's
/// sockets and feeding it guest frames until `receiveSpaceAvailable()`.
public final class SlirpBackend: NetworkBackend, NetworkEventHandler, @unchecked Sendable {
    /// The virtual network and the host forwards.
    public let configuration: SlirpConfiguration
    /// How many guest frames may wait for the loop; `transmit` refuses more.
    public let transmitQueueLimit: Int
    /// How many frames for the guest the backlog holds at most. Beyond it
    /// (only slirp's timers can still produce frames then) frames are
    /// dropped, with a line on standard error.
    static let backlogLimit = 4096

    let loop: NetworkEventLoop
    private var port: NetworkPort?
    private let callbacks: UnsafeMutablePointer<SlirpCb>

    // Shared with VCPU threads, under `lock`.
    private let lock = NSLock()
    private var transmitQueue: [[UInt8]] = []
    private var transmitRefused = false
    private var receiveSpaceSignalled = false

    // The loop thread's own.
    private var slirp: OpaquePointer?
    private var backlog = FrameBacklog()
    private var droppedFrames = 0
    /// The poll set slirp_pollfds_fill appends to, and where its part begins.
    private var pollTarget: UnsafeMutablePointer<[pollfd]>?
    private var pollBase = 0
    /// The descriptors with their revents, while slirp_pollfds_poll runs.
    private var polled: UnsafeMutableBufferPointer<pollfd>?

    /// A backend for `configuration`; nothing is opened until `start`.
    public init(_ configuration: SlirpConfiguration, transmitQueueLimit: Int = 256) throws {
        self.configuration = configuration
        self.transmitQueueLimit = transmitQueueLimit
        loop = try NetworkEventLoop(name: "armvisor-slirp")
        callbacks = .allocate(capacity: 1)
        callbacks.initialize(to: Self.callbackTable())
    }

    deinit {
        stop()
        callbacks.deinitialize(count: 1)
        callbacks.deallocate()
    }

    // MARK: NetworkBackend

    public func attach(_ port: NetworkPort) {
        self.port = port
    }

    /// Starts libslirp on the loop thread and sets up the host forwards;
    /// throws (one line, naming the rule) when a forward's port cannot be
    /// bound, e.g. `hostfwd tcp:127.0.0.1:2222-:22: address already in use`.
    public func start() throws {
        try loop.start(self)
    }

    public func stop() {
        loop.stop()
    }

    public func transmit(_ frame: UnsafeRawBufferPointer) -> Bool {
        lock.lock()
        guard transmitQueue.count < transmitQueueLimit else {
            transmitRefused = true
            lock.unlock()
            return false
        }
        transmitQueue.append([UInt8](frame))
        lock.unlock()
        loop.wake()
        return true
    }

    public func receiveSpaceAvailable() {
        lock.lock()
        receiveSpaceSignalled = true
        lock.unlock()
        loop.wake()
    }

    // MARK: NetworkEventHandler (the loop thread)

    public func loopDidStart(_ loop: NetworkEventLoop) throws {
        let opaque = Unmanaged.passUnretained(self).toOpaque()
        guard let slirp = configuration.withSlirpConfig({ slirp_new($0, callbacks, opaque) as OpaquePointer? }) else {
            throw NetworkBackendError("user networking: libslirp could not start")
        }
        self.slirp = slirp
        for forward in configuration.forwards {
            errno = 0
            let added = slirp_add_hostfwd(slirp, forward.transport == .udp ? 1 : 0,
                                          forward.hostAddress.inAddr, Int32(forward.hostPort),
                                          forward.guestAddress.inAddr, Int32(forward.guestPort))
            if added < 0 {
                let code = errno
                throw NetworkBackendError("hostfwd \(forward): \(code == 0 ? "cannot listen" : errnoMessage(code))")
            }
        }
    }

    public func service(_ loop: NetworkEventLoop) {
        lock.lock()
        let signalled = receiveSpaceSignalled
        receiveSpaceSignalled = false
        var batch = transmitQueue
        transmitQueue.removeAll(keepingCapacity: true)
        lock.unlock()

        if signalled, let port {
            _ = backlog.drain { port.deliver($0) }
        }
        // While the guest cannot take frames, feeding slirp its frames would
        // only grow the backlog with the replies: keep them queued.
        var fed = 0
        while fed < batch.count && backlog.isEmpty {
            batch[fed].withUnsafeBufferPointer { slirp_input(slirp, $0.baseAddress, Int32($0.count)) }
            fed += 1
        }
        batch.removeFirst(fed)

        lock.lock()
        transmitQueue.insert(contentsOf: batch, at: 0)
        let roomAgain = transmitRefused && transmitQueue.count < transmitQueueLimit
        if roomAgain { transmitRefused = false }
        lock.unlock()
        if roomAgain { port?.transmitSpaceAvailable() }
    }

    public func preparePoll(_ fds: inout [pollfd]) -> Int32 {
        guard let slirp else { return -1 }
        var timeout = UInt32.max
        pollBase = fds.count
        withUnsafeMutablePointer(to: &fds) { target in
            pollTarget = target
            slirp_pollfds_fill(slirp, &timeout, { fd, events, opaque in
                SlirpBackend.from(opaque).addPoll(fd, events)
            }, Unmanaged.passUnretained(self).toOpaque())
            pollTarget = nil
        }
        return timeout == UInt32.max ? -1 : Int32(clamping: timeout)
    }

    public func pollDidReturn(_ fds: UnsafeMutableBufferPointer<pollfd>, failed: Bool) {
        guard let slirp else { return }
        polled = fds
        slirp_pollfds_poll(slirp, failed ? 1 : 0, { index, opaque in
            SlirpBackend.from(opaque).revents(index)
        }, Unmanaged.passUnretained(self).toOpaque())
        polled = nil
    }

    public func loopWillExit(_ loop: NetworkEventLoop) {
        if let slirp { slirp_cleanup(slirp) }
        slirp = nil
    }

    // MARK: From libslirp's callbacks (the loop thread)

    static func from(_ opaque: UnsafeMutableRawPointer?) -> SlirpBackend {
        Unmanaged<SlirpBackend>.fromOpaque(opaque!).takeUnretainedValue()
    }

    /// A frame from slirp for the guest.
    func send(_ frame: UnsafeRawBufferPointer) {
        if backlog.isEmpty, let port, port.deliver(frame) { return }
        guard backlog.count < Self.backlogLimit else {
            droppedFrames += 1
            if droppedFrames == 1 || droppedFrames.isMultiple(of: 1000) {
                logLine("slirp: the guest takes no frames; \(droppedFrames) dropped beyond a backlog of \(Self.backlogLimit)")
            }
            return
        }
        backlog.append([UInt8](frame))
    }

    /// slirp asks to poll `fd`; returns its index for `revents`, or -1 when it
    /// is left out (it only wants input while the backlog holds frames).
    private func addPoll(_ fd: Int32, _ slirpEvents: Int32) -> Int32 {
        let readable = backlog.isEmpty
        var events: Int16 = 0
        if slirpEvents & Int32(SLIRP_POLL_IN) != 0 && readable { events |= Int16(POLLIN) }
        if slirpEvents & Int32(SLIRP_POLL_PRI) != 0 && readable { events |= Int16(POLLPRI) }
        if slirpEvents & Int32(SLIRP_POLL_OUT) != 0 { events |= Int16(POLLOUT) }
        guard events != 0, let pollTarget else { return -1 }
        pollTarget.pointee.append(pollfd(fd: fd, events: events, revents: 0))
        return Int32(pollTarget.pointee.count - 1 - pollBase)
    }

    private func revents(_ index: Int32) -> Int32 {
        guard let polled, index >= 0, Int(index) < polled.count else { return 0 }
        let revents = Int32(polled[Int(index)].revents)
        var result: Int32 = 0
        if revents & Int32(POLLIN) != 0 { result |= Int32(SLIRP_POLL_IN) }
        if revents & Int32(POLLOUT) != 0 { result |= Int32(SLIRP_POLL_OUT) }
        if revents & Int32(POLLPRI) != 0 { result |= Int32(SLIRP_POLL_PRI) }
        if revents & Int32(POLLERR) != 0 { result |= Int32(SLIRP_POLL_ERR) }
        if revents & Int32(POLLHUP) != 0 { result |= Int32(SLIRP_POLL_HUP) }
        return result
    }

    /// A timer that calls slirp's handler for `id` (libslirp's
    /// `timer_new_opaque`).
    func makeTimer(_ id: SlirpTimerId, _ timerOpaque: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer {
        let timer = loop.makeTimer { [unowned self] in
            if let slirp { slirp_handle_timer(slirp, id, timerOpaque) }
        }
        return Unmanaged.passUnretained(timer).toOpaque()
    }

    /// A timer that calls `callback(callbackOpaque)` (libslirp's older `timer_new`).
    func makeTimer(_ callback: SlirpTimerCb?, _ callbackOpaque: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer {
        let timer = loop.makeTimer { callback?(callbackOpaque) }
        return Unmanaged.passUnretained(timer).toOpaque()
    }

    func freeTimer(_ timer: UnsafeMutableRawPointer?) {
        guard let timer else { return }
        loop.removeTimer(Unmanaged<NetworkTimer>.fromOpaque(timer).takeUnretainedValue())
    }

    func modifyTimer(_ timer: UnsafeMutableRawPointer?, expiresAtMilliseconds: Int64) {
        guard let timer else { return }
        Unmanaged<NetworkTimer>.fromOpaque(timer).takeUnretainedValue().deadline = expiresAtMilliseconds
    }
}
