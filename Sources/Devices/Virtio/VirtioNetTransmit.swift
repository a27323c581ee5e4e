/// Transmit (§5.1.6.2): each chain of the transmit queue is one virtio-net
/// header and one Ethernet frame. The device carries out the offloads the
/// header asks for, so the backend gets only finished frames.
extension VirtioNet {
    /// Sends one chain's frame. Returns 0 (nothing written) once the frame is
    /// sent or dropped, `nil` to leave the chain in the ring because the
    /// backend refused a frame; `transmitSpaceAvailable` retries it.
    ///
    /// A GSO frame goes out as several segments and the backend may refuse
    /// one in the middle. The device remembers how many it accepted
    /// (`transmitProgress`, keyed by the chain's head, which stays at the
    /// front of the ring until it is used) and on retry resumes with the next
    /// segment, rebuilt from the unchanged guest buffers, so no segment is
    /// sent twice. (The backend API has no "is there room"
    /// query, so sending and learning about room are one call.)
    func transmit(_ chain: DescriptorChain) -> UInt32? {
        let headerLength = headerLength
        let total = chain.readableLength
        guard total >= headerLength + 14 else { return drop(\.transmitDroppedShort) }
        guard total - headerLength <= Self.maxFrameLength else { return drop(\.transmitDroppedLong) }
        guard let headerBytes = chain.read(headerLength), let header = VirtioNetHeader(headerBytes, length: headerLength),
              var frame = chain.read(total - headerLength, from: headerLength) else {
            return drop(\.transmitDroppedShort)
        }

        // A frame goes out as `count` frames, built one at a time.
        let count: Int, build: (Int) -> [UInt8]
        if header.gsoType != VirtioNetHeader.gsoNone {
            // HOST_ECN and UDP segmentation are not offered: such frames are a driver bug.
            guard header.gsoType == VirtioNetHeader.gsoTCPv4 || header.gsoType == VirtioNetHeader.gsoTCPv6,
                  let plan = TCPSegmentation(frame, gsoType: header.gsoType, mss: Int(header.gsoSize))
            else { return drop(\.transmitDroppedBadGSO) }
            (count, build) = (plan.count, plan.segment)
        } else {
            if header.flags & VirtioNetHeader.needsChecksum != 0 {
                guard InternetChecksum.complete(&frame, start: Int(header.csumStart), offset: Int(header.csumOffset))
                else { return drop(\.transmitDroppedBadChecksumRequest) }
                lock.withLock { counters.transmitChecksumCompleted += 1 }
            }
            let finished = frame
            (count, build) = (1, { _ in finished })
        }

        var sent = transmitProgress.map { $0.head == chain.head ? $0.segmentsSent : 0 } ?? 0
        while sent < count {
            let segment = build(sent)
            let accepted = segment.withUnsafeBytes { backend.transmit($0) }
            guard accepted else {
                transmitProgress = (chain.head, sent)
                lock.withLock { counters.transmitBackendBusy += 1 }
                return nil
            }
            lock.withLock {
                counters.transmittedFrames += 1
                counters.transmittedBytes += UInt64(segment.count)
            }
            sent += 1
        }
        transmitProgress = nil
        if header.gsoType != VirtioNetHeader.gsoNone { lock.withLock { counters.transmitSegmented += 1 } }
        return 0
    }

    /// Counts a dropped guest frame; its chain is used with nothing written.
    private func drop(_ reason: WritableKeyPath<VirtioNetStatistics, UInt64>) -> UInt32 {
        transmitProgress = nil
        lock.withLock { counters[keyPath: reason] += 1 }
        return 0
    }
}
