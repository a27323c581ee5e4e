import Foundation

/// A single-port virtio console (virtio 1.x §5.3, no multiport): what the
/// guest writes to its transmit queue goes to the same sink as the PL011;
/// bytes given to `receive` fill the buffers of its receive queue.
public final class VirtioConsole: VirtioDevice, @unchecked Sendable {
    static let receiveQueue = 0, transmitQueue = 1

    /// Receives every byte the guest transmits.
    public let output: (UInt8) -> Void
    /// Serves the receive queue when input arrives (set by the board to its transport).
    public weak var transport: VirtioMMIOTransport?
    private let inputLock = NSLock()
    private var input: [UInt8] = []
    /// Input kept while the guest has no receive buffer; older bytes are dropped beyond this.
    static let inputLimit = 4096

    public init(output: @escaping (UInt8) -> Void) {
        self.output = output
    }

    public var deviceID: UInt32 { 3 }
    public var queueCount: Int { 2 }
    public var deviceFeatures: UInt64 { 0 }
    /// cols, rows (unused without VIRTIO_CONSOLE_F_SIZE), max_nr_ports = 1.
    public func configSpace() -> [UInt8] { [0, 0, 0, 0, 1, 0, 0, 0] }

    public func reset() {}

    /// Queues input bytes (from the console) for the guest.
    public func receive(_ bytes: [UInt8]) {
        inputLock.lock()
        input.append(contentsOf: bytes)
        if input.count > Self.inputLimit { input.removeFirst(input.count - Self.inputLimit) }
        inputLock.unlock()
        transport?.hostNotify(queue: Self.receiveQueue)
    }

    public func serve(queue: Int, chain: DescriptorChain) -> UInt32? {
        if queue == Self.transmitQueue {
            for b in chain.readable {
                for byte in UnsafeRawBufferPointer(start: b.pointer, count: b.length) { output(byte) }
            }
            return 0
        }
        inputLock.lock(); defer { inputLock.unlock() }
        guard !input.isEmpty else { return nil }   // keep the buffer until input arrives
        let n = chain.write(input)
        input.removeFirst(n)
        return UInt32(n)
    }
}
