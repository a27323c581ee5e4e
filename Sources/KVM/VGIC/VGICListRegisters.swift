import ARMv7
import Hyp

/// vgic.c's flush and sync: with the core's GIC virtual CPU interface, the
/// guest's GICC page is the GICV page (mapped by stage 2, no traps), and the
/// distributor hands interrupts to it through the four list registers that
/// the world switch restores and saves.
extension VGIC {
    /// Before an entry: queue the highest-priority pending interrupts of
    /// `cpu` into free list registers (one source of an SGI at a time; a
    /// level-sensitive interrupt asks for an EOI maintenance interrupt so its
    /// line is sampled again), and ask for an underflow maintenance
    /// interrupt when more are waiting than fit.
    func flush(cpu: Int, into state: inout VGICCPUState, cache: inout FlushCache) {
        // Nothing changed since the last flush and nothing was left waiting:
        // the list registers are still right.
        let now = version.load(ordering: .acquiring)
        if now == cache.version && !cache.waiting { return }
        lock.lock(); defer { lock.unlock() }
        cache.version = version.load(ordering: .relaxed)
        retractWithdrawn(cpu: cpu, from: &state)
        var free: UInt8 = 0   // bit n: LR n holds nothing
        for n in 0..<VGICCPUState.listRegisterCount where state.lr[n] & GICHListRegister.stateMask == 0 {
            state.lr[n] = 0
            free |= 1 << UInt8(n)
        }
        var waiting = false
        while let best = highestPending(cpu, .skipQueued) {
            guard free != 0 else { waiting = true; break }
            let n = free.trailingZeroBitCount
            free &= free - 1
            let id = best.id
            var source: UInt32 = 0
            if id < 16 {
                let sources = sgiSources[cpu * 16 + id]
                source = UInt32(sources == 0 ? 0 : sources.trailingZeroBitCount)
                sgiSources[cpu * 16 + id] &= ~(1 << UInt8(source))
                privateLines[cpu * 32 + id].pending = sgiSources[cpu * 16 + id] != 0
            }
            var level = false
            update(id, cpu) { l in
                l.queued = true
                l.owner = UInt8(cpu)
                level = !l.edge
                if l.edge { l.pending = false }
            }
            state.lr[n] = GICHListRegister.pending(id: UInt32(id), priority: UInt32(best.priority), cpuID: source,
                                                   eoiMaintenance: level)
        }
        state.hcr = GICHControl.en | (waiting ? GICHControl.uie : 0)
        cache.waiting = waiting
    }

    /// After an exit: list registers the guest has completed (state
    /// invalid) give their interrupts back to the distributor; a level that
    /// is still high is pending again.
    func sync(cpu: Int, from state: inout VGICCPUState) {
        var inUse = false
        for n in 0..<VGICCPUState.listRegisterCount where state.lr[n] != 0 { inUse = true }
        guard inUse else { return }
        lock.lock(); defer { lock.unlock() }
        var completed = false
        for n in 0..<VGICCPUState.listRegisterCount {
            let v = state.lr[n]
            guard v != 0 else { continue }
            let id = Int(v & GICHListRegister.virtualIDMask)
            let inFlight = v & GICHListRegister.stateMask
            guard id < Self.lineCount else { state.lr[n] = 0; continue }
            update(id, cpu) { l in
                l.active = inFlight & GICHListRegister.active != 0
                // Acknowledged (active) or completed: the ISPENDR latch is consumed.
                if inFlight != GICHListRegister.pending {
                    l.softPending = false
                    if !l.edge { l.pending = l.level }
                }
                if inFlight == 0 { l.queued = false }
            }
            if inFlight == 0 { state.lr[n] = 0; completed = true }
        }
        if completed { version.add(1, ordering: .releasing) }
    }

    /// Takes back list register entries that are still only pending but
    /// that the distributor no longer offers: a level-sensitive line that
    /// went low or was cleared (ICPENDR), or a line that was disabled. The
    /// guest has not acknowledged them, so they must not reach it any more
    /// (as KVM prunes its ap_list before each entry). SGIs stay: their
    /// pending state lives in the per-source bits. Caller holds the lock.
    private func retractWithdrawn(cpu: Int, from state: inout VGICCPUState) {
        for n in 0..<VGICCPUState.listRegisterCount
        where state.lr[n] & GICHListRegister.stateMask == GICHListRegister.pending {
            let id = Int(state.lr[n] & GICHListRegister.virtualIDMask)
            guard id >= 16, id < Self.lineCount else { continue }
            let l = line(id, cpu)
            guard l.queued, l.owner == UInt8(cpu), (!l.edge && !l.pending) || !l.enabled || !targets(id, cpu) else { continue }
            update(id, cpu) { l in
                l.queued = false
                if l.edge { l.pending = true }   // an edge stays latched in the distributor
            }
            state.lr[n] = 0
        }
    }
}

/// What a VCPU remembers of its last flush.
struct FlushCache {
    var version: UInt64 = .max
    /// More interrupts were pending than list registers could hold.
    var waiting = false
}

extension VCPU {
    /// Whether the guest's virtual CPU interface, loaded with `state`,
    /// would signal an interrupt now (the WFI wake-up condition).
    static func signals(_ state: VGICCPUState) -> Bool {
        var gicv = GICVirtualInterface()
        gicv.restore(hcr: state.hcr, vmcr: state.vmcr, apr: state.apr, lr: state.lr)
        return gicv.virtualLines != 0
    }
}
