import Devices
import Foundation

/// A virtio-net device stand-in: records the frames a backend delivers,
/// refuses them while `accepting` is false, and can answer the backend's ARP
/// requests for the guest's address (as a guest's kernel would).
final class FakePort: NetworkPort, @unchecked Sendable {
    private let condition = NSCondition()
    private var frames: [[UInt8]] = []
    private var attempts = 0
    private var transmitSpaceCalls = 0
    private var refusing = false
    /// Answers ARP requests for `ip` with `mac` through this backend.
    private var arpResponder: (backend: NetworkBackend, mac: [UInt8], ip: [UInt8])?

    var accepting: Bool {
        get { condition.withLock { !refusing } }
        set { condition.withLock { refusing = !newValue } }
    }
    /// Every `deliver` call so far, taken or refused.
    var deliveryAttempts: Int { condition.withLock { attempts } }
    var transmitSpaceAvailableCalls: Int { condition.withLock { transmitSpaceCalls } }
    var delivered: [[UInt8]] { condition.withLock { frames } }

    func answerARP(through backend: NetworkBackend, mac: [UInt8], ip: [UInt8]) {
        condition.withLock { arpResponder = (backend, mac, ip) }
    }

    func deliver(_ frame: UnsafeRawBufferPointer) -> Bool {
        condition.lock()
        attempts += 1
        guard !refusing else { condition.unlock(); return false }
        let bytes = [UInt8](frame)
        frames.append(bytes)
        let responder = arpResponder
        condition.broadcast()
        condition.unlock()
        let parsed = ParsedFrame(bytes)
        if let responder, parsed.isARP, parsed.arpOperation == 1, parsed.arpTargetIP == responder.ip {
            let reply = Packets.arpReply(from: responder.mac, ip: responder.ip,
                                         to: parsed.arpSenderMAC, ip: parsed.arpSenderIP)
            _ = reply.withUnsafeBytes { responder.backend.transmit($0) }
        }
        return true
    }

    func transmitSpaceAvailable() {
        condition.withLock {
            transmitSpaceCalls += 1
            condition.broadcast()
        }
    }

    /// The first delivered frame (from the start, or after `skipping` frames)
    /// that `matches`, waiting up to `timeout` seconds for it.
    func waitForFrame(skipping: Int = 0, timeout: TimeInterval = 5,
                      _ matches: (ParsedFrame) -> Bool) -> ParsedFrame? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock(); defer { condition.unlock() }
        var checked = skipping
        while true {
            while checked < frames.count {
                let frame = ParsedFrame(frames[checked])
                checked += 1
                if matches(frame) { return frame }
            }
            if !condition.wait(until: deadline) { return nil }
        }
    }

    /// Waits until `condition` holds of the port (up to `timeout` seconds).
    func wait(timeout: TimeInterval = 5, until check: (FakePort) -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while !check(self) {
            if Date() > deadline { return false }
            usleep(2000)
        }
        return true
    }
}
