import CHostNetwork
import Devices
import Foundation

/// A host TAP interface as the guest's network: the guest's frames go out
/// through the host kernel's interface `ifname`, and what the kernel sends on
/// it comes to the guest. The host configures the interface (addresses,
/// bridge) itself.
///
/// `transmit` writes the frame straight to the non-blocking TAP descriptor;
/// when the kernel's queue is full it returns `false`, and the loop polls for
/// room and calls `NetworkPort.transmitSpaceAvailable()`. The loop reads
/// frames and delivers them; when the port refuses one, it keeps that frame
/// and reads nothing more until `receiveSpaceAvailable()`.
public final class TapBackend: NetworkBackend, NetworkEventHandler, @unchecked Sendable {
    /// The host interface's name.
    public let ifname: String
    /// The most frames one loop iteration reads, so that transmit-room
    /// notifications are not starved.
    static let readBurst = 64
    /// The largest frame read: a 64 KiB payload and its Ethernet header.
    static let frameLimit = 65536 + 14

    private let loop: NetworkEventLoop
    private var port: NetworkPort?

    // Shared with VCPU threads, under `lock`.
    private let lock = NSLock()
    private var fd: Int32
    private var transmitRefused = false
    private var receiveSpaceSignalled = false

    // The loop thread's own.
    private var refusedFrame: [UInt8]?
    private var buffer = [UInt8](repeating: 0, count: TapBackend.frameLimit)
    private var polledTap = false
    /// The descriptor reported an error with nothing to read or write (the
    /// interface was deleted): it is polled no more, so the loop cannot spin.
    private var tapFailed = false

    /// Opens /dev/net/tun and attaches to (or creates) the TAP interface
    /// `ifname`; throws a one-line error saying what to do when it cannot
    /// (no /dev/net/tun, no permission, the interface busy or not a TAP).
    public init(ifname: String) throws {
        self.ifname = ifname
        let opened = ifname.utf8.contains(0) ? -EINVAL : armv_tap_open(ifname)
        guard opened >= 0 else { throw NetworkBackendError.tapOpen(-opened, ifname: ifname) }
        fd = opened
        do {
            loop = try NetworkEventLoop(name: "armvisor-tap")
        } catch {
            close(opened)
            throw error
        }
    }

    deinit {
        stop()
    }

    // MARK: NetworkBackend

    public func attach(_ port: NetworkPort) {
        self.port = port
    }

    public func start() throws {
        try loop.start(self)
    }

    /// Stops the loop and closes the descriptor (a TAP interface that
    /// armvisor created disappears with it).
    public func stop() {
        loop.stop()
        lock.lock()
        if fd >= 0 { close(fd) }
        fd = -1
        lock.unlock()
    }

    public func transmit(_ frame: UnsafeRawBufferPointer) -> Bool {
        lock.lock()
        guard fd >= 0 else { lock.unlock(); return true }   // stopped: lost, as on a dead link
        var written: Int
        repeat { written = write(fd, frame.baseAddress, frame.count) } while written < 0 && errno == EINTR
        let full = written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
        if full { transmitRefused = true }
        lock.unlock()
        // Other errors (the interface is down): the frame is lost, as on a dead link.
        guard full else { return true }
        loop.wake()   // to poll for room
        return false
    }

    public func receiveSpaceAvailable() {
        lock.lock()
        receiveSpaceSignalled = true
        lock.unlock()
        loop.wake()
    }

    // MARK: NetworkEventHandler (the loop thread)

    public func loopDidStart(_ loop: NetworkEventLoop) throws {}

    public func service(_ loop: NetworkEventLoop) {
        lock.lock()
        let signalled = receiveSpaceSignalled
        receiveSpaceSignalled = false
        lock.unlock()
        if signalled, let frame = refusedFrame, let port {
            if frame.withUnsafeBytes({ port.deliver($0) }) { refusedFrame = nil }
        }
    }

    public func preparePoll(_ fds: inout [pollfd]) -> Int32 {
        lock.lock()
        let wantRoom = transmitRefused
        lock.unlock()
        var events: Int16 = 0
        if refusedFrame == nil { events |= Int16(POLLIN) }
        if wantRoom { events |= Int16(POLLOUT) }
        polledTap = events != 0 && !tapFailed
        if polledTap { fds.append(pollfd(fd: fd, events: events, revents: 0)) }
        return -1
    }

    public func pollDidReturn(_ fds: UnsafeMutableBufferPointer<pollfd>, failed: Bool) {
        guard polledTap, let revents = fds.first?.revents else { return }
        if revents & Int16(POLLOUT) != 0 {
            lock.lock()
            transmitRefused = false
            lock.unlock()
            port?.transmitSpaceAvailable()
        }
        if revents & Int16(POLLIN) != 0 { readFrames() }
        let broken = Int16(POLLERR) | Int16(POLLHUP) | Int16(POLLNVAL), working = Int16(POLLIN) | Int16(POLLOUT)
        if revents & broken != 0 && revents & working == 0 {
            tapFailed = true
            logLine("tap \(ifname): the interface failed (deleted?); the guest's network is down")
        }
    }

    public func loopWillExit(_ loop: NetworkEventLoop) {}

    /// Reads and delivers frames until the kernel has no more, the port
    /// refuses one (kept for later), or a burst is done.
    private func readFrames() {
        guard let port else { return }
        for _ in 0..<Self.readBurst {
            let length = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard length > 0 else { return }
            let taken = buffer.withUnsafeBytes { port.deliver(UnsafeRawBufferPointer(rebasing: $0[..<length])) }
            if !taken {
                refusedFrame = Array(buffer[..<length])
                return
            }
        }
    }
}
