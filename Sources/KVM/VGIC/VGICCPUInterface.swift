/// The guest's GICv2 CPU interface emulated by trapping its window (for
/// cores without the GIC virtualization extensions): acknowledge, priority
/// drop and deactivation as GIC Architecture Specification v2 chapter 3
/// describes, driving the VCPU's virtual IRQ line (HCR.VI).
struct EmulatedCPUInterface {
    /// GICC_CTLR (bit 0: signal group-0 interrupts).
    var control: UInt32 = 0
    /// GICC_PMR: only priorities numerically below it are signalled.
    var priorityMask: UInt8 = 0
    var binaryPoint: UInt32 = 2
    /// Acknowledged, not yet completed interrupts (innermost last).
    var activeStack: [(id: Int, priority: UInt8)] = []

    var runningPriority: UInt8 { activeStack.last?.priority ?? 0xFF }
}

extension VGIC {
    /// The interrupt the CPU interface of `cpu` would signal: enabled,
    /// pending, above the priority mask and preempting the running priority.
    /// Caller holds the lock.
    func signalledInterrupt(_ cpu: Int) -> (id: Int, priority: UInt8)? {
        let ci = cpuInterfaces[cpu]
        guard ci.control & 1 != 0, let best = highestPending(cpu),
              best.priority < ci.priorityMask, best.priority < ci.runningPriority else { return nil }
        return best
    }

    /// Whether `cpu`'s IRQ output is asserted.
    public func irqOutput(cpu: Int) -> Bool {
        guard cpu >= 0, cpu < cpuCount else { return false }
        lock.lock(); defer { lock.unlock() }
        return signalledInterrupt(cpu) != nil
    }

    /// A guest read of the CPU interface window.
    func readCPUInterface(offset o: Int, cpu: Int) -> UInt32 {
        lock.lock()
        var result: UInt32 = 0
        switch o {
        case 0x00: result = cpuInterfaces[cpu].control
        case 0x04: result = UInt32(cpuInterfaces[cpu].priorityMask)
        case 0x08: result = cpuInterfaces[cpu].binaryPoint
        case 0x0C: result = acknowledge(cpu)
        case 0x14: result = UInt32(cpuInterfaces[cpu].runningPriority)
        case 0x18:
            if let best = highestPending(cpu) {
                result = UInt32(best.id) | (best.id < 16 ? UInt32(lowestSource(best.id, cpu)) << 10 : 0)
            } else {
                result = 1023
            }
        case 0xFC: result = 0x0202_043B   // GICC_IIDR: GICv2, ARM
        default: result = 0
        }
        version.add(1, ordering: .releasing)
        lock.unlock()
        notify?(cpu)
        return result
    }

    /// A guest write to the CPU interface window.
    func writeCPUInterface(offset o: Int, value v: UInt32, cpu: Int) {
        lock.lock()
        switch o {
        case 0x00: cpuInterfaces[cpu].control = v & 1
        case 0x04: cpuInterfaces[cpu].priorityMask = UInt8(v & 0xF8)
        case 0x08: cpuInterfaces[cpu].binaryPoint = max(v & 7, 2)
        case 0x10: complete(Int(v & 0x3FF), cpu)
        default: break
        }
        version.add(1, ordering: .releasing)
        lock.unlock()
        notify?(cpu)
    }

    private func lowestSource(_ id: Int, _ cpu: Int) -> Int {
        let s = sgiSources[cpu * 16 + id]
        return s == 0 ? 0 : s.trailingZeroBitCount
    }

    /// GICC_IAR: the signalled interrupt becomes active (an SGI per source).
    private func acknowledge(_ cpu: Int) -> UInt32 {
        guard let best = signalledInterrupt(cpu) else { return 1023 }
        let id = best.id
        var value = UInt32(id)
        if id < 16 {
            let src = lowestSource(id, cpu)
            sgiSources[cpu * 16 + id] &= ~(1 << UInt8(src))
            value |= UInt32(src) << 10
            privateLines[cpu * 32 + id].pending = sgiSources[cpu * 16 + id] != 0
        } else {
            // Acknowledging consumes an edge and a level's ISPENDR latch;
            // a level still high stays pending (active and pending).
            update(id, cpu) { l in
                l.softPending = false
                l.pending = l.edge ? false : l.level
            }
        }
        update(id, cpu) { $0.active = true }
        cpuInterfaces[cpu].activeStack.append((id, best.priority))
        return value
    }

    /// GICC_EOIR: priority drop and deactivation of `id`. An ID that is not
    /// active on this interface is ignored (UNPREDICTABLE in the spec).
    private func complete(_ id: Int, _ cpu: Int) {
        guard id < Self.lineCount, let i = cpuInterfaces[cpu].activeStack.lastIndex(where: { $0.id == id }) else { return }
        cpuInterfaces[cpu].activeStack.remove(at: i)
        update(id, cpu) { l in
            l.active = false
            if !l.edge && l.level { l.pending = true }
        }
    }
}
