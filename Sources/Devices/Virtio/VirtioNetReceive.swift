/// Receive (§5.1.6.3–4): frames the backend delivered wait in `pending`
/// until the guest has posted receive buffers, then go out in order, each
/// behind a virtio-net header.
extension VirtioNet {
    /// Fills receive chains with pending frames until either runs out.
    ///
    /// Without mergeable buffers a frame (and its header) must fit one chain;
    /// a frame that does not is dropped and the chain kept for the next one.
    /// With them a frame spreads over as many chains as it needs, each filled
    /// before the next, and `num_buffers` says how many; if not enough chains
    /// are available yet, all stay in the ring until the driver adds more.
    func serveReceive(_ session: inout VirtqueueSession) throws(VirtqueueError) {
        let mergeable = negotiated & Self.featureMergeableBuffers != 0
        let guestChecksum = negotiated & Self.featureGuestChecksum != 0
        let headerLength = headerLength
        // With F_MTU negotiated the device must not pass longer frames (a device
        // requirement of the configuration layout, virtio 1.x §5.1.4).
        let mtuLimited = negotiated & Self.featureMTU != 0
        var resumeBackend = false
        // Called after the loop, still under the transport's lock (see NetworkBackend).
        defer { if resumeBackend { backend.receiveSpaceAvailable() } }

        while let frame = lock.withLock({ pending.first }) {
            if mtuLimited && frame.count > Self.longestFrame(mtu: Self.mtu, tagged: Self.isVLANTagged(frame)) {
                resumeBackend = finishFrame(delivered: false) || resumeBackend
                continue
            }
            let needed = headerLength + frame.count
            var chains: [DescriptorChain] = []
            if mergeable {
                guard let first = try session.peek() else { return }
                if first.writableLength < headerLength {
                    // The driver must post buffers that hold a header (§5.1.6.3.1):
                    // return this one empty rather than stall the queue on it.
                    try session.use(first, written: 0)
                    lock.withLock { counters.receiveBuffersTooSmall += 1 }
                    continue
                }
                chains.append(first)
                var room = first.writableLength
                while room < needed, chains.count < Int(UInt16.max), let next = try session.peek(ahead: chains.count) {
                    chains.append(next)
                    room += next.writableLength
                }
                if room < needed {
                    // A ring full of buffers that still cannot hold it never will.
                    guard chains.count >= Int(session.queue.size) else { return }
                    resumeBackend = finishFrame(delivered: false) || resumeBackend
                    continue
                }
            } else {
                guard let chain = try session.peek() else { return }
                guard chain.writableLength >= needed else {
                    resumeBackend = finishFrame(delivered: false) || resumeBackend
                    continue
                }
                chains.append(chain)
            }

            var header = VirtioNetHeader()
            if guestChecksum && InternetChecksum.receivedFrameVerifies(frame[...]) {
                header.flags = VirtioNetHeader.dataValid
            }
            // Without mergeable buffers a 12-byte header says 1 (§5.1.6.4).
            header.numBuffers = UInt16(chains.count)
            let bytes = header.bytes(length: headerLength) + frame
            var written: [UInt32] = []
            var offset = 0
            bytes.withUnsafeBytes { all in
                for chain in chains {
                    let n = chain.write(UnsafeRawBufferPointer(rebasing: all[offset...]))
                    written.append(UInt32(n))
                    offset += n
                }
            }
            try session.use(chains, written: written)
            if header.flags != 0 { lock.withLock { counters.receiveChecksumVerified += 1 } }
            resumeBackend = finishFrame(delivered: true, length: frame.count) || resumeBackend
        }
    }

    /// The longest frame an interface with `mtu` carries: the IP packet
    /// plus the Ethernet header (and an 802.1Q/802.1ad tag).
    static func longestFrame(mtu: UInt16, tagged: Bool) -> Int { Int(mtu) + 14 + (tagged ? 4 : 0) }

    static func isVLANTagged(_ frame: [UInt8]) -> Bool {
        guard frame.count >= 14 else { return false }
        let type = UInt16(frame[12]) << 8 | UInt16(frame[13])
        return type == 0x8100 || type == 0x88A8
    }

    /// Removes the oldest pending frame, counting it as delivered or
    /// dropped (oversize); returns whether the backend should now resume.
    private func finishFrame(delivered: Bool, length: Int = 0) -> Bool {
        lock.withLock {
            pending.removeFirst()
            if delivered {
                counters.receivedFrames += 1
                counters.receivedBytes += UInt64(length)
            } else {
                counters.receiveDroppedOversize += 1
            }
            guard backendWaitsForSpace, pending.count <= Self.pendingLowWater else { return false }
            backendWaitsForSpace = false
            return true
        }
    }
}
