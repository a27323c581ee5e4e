/// What the guest's GICV_IAR, EOIR, DIR and HPPIR (and their Group 1
/// aliases) do to the list registers (ARM IHI 0048B 5.3 and 5.4).
extension GICVirtualInterface {
    /// The ID a read returns when there is nothing to acknowledge.
    public static let spuriousID: UInt32 = 1023
    /// The ID GICV_IAR/HPPIR return for a Group 1 interrupt when AckCtl is
    /// clear (the guest must use the aliased registers for it).
    public static let group1OnlyID: UInt32 = 1022
    /// IDs 1020–1023 are special: writing them to EOIR or DIR does nothing.
    static let firstSpecialID: UInt32 = 1020

    /// The value IAR and HPPIR return for LR value `v`: the virtual ID, and
    /// for an SGI (ID 0–15, HW = 0) the source CPU in bits 12:10.
    @inline(__always) static func interruptID(_ v: UInt32) -> UInt32 {
        let id = v & GICHListRegister.virtualIDMask
        if v & GICHListRegister.hw == 0 && id < 16 { return id | v & GICHListRegister.cpuIDMask }
        return id
    }

    /// GICV_IAR (`aliased` false) or GICV_AIAR (true): acknowledges the
    /// signalled interrupt — pending becomes active (LRs carry no trigger
    /// type, so there is no pending-and-active outcome here; the hypervisor
    /// re-pends a level interrupt) and its group priority is set in APR.
    /// Returns its ID, 1022 for a Group 1 interrupt read through IAR without
    /// AckCtl, or 1023 when nothing is signalled (or AIAR sees Group 0).
    public mutating func acknowledge(aliased: Bool) -> UInt32 {
        guard let n = signalledListRegister() else { return Self.spuriousID }
        let v = lr[n]
        let group1 = v & GICHListRegister.group1 != 0
        if aliased && !group1 { return Self.spuriousID }
        if !aliased && group1 && vmcr & GICHVMCR.ackCtl == 0 { return Self.group1OnlyID }
        lr[n] = v & ~GICHListRegister.stateMask | GICHListRegister.active
        apr |= 1 << (groupPriority(Self.priority(v), group1: group1) >> 3)
        return Self.interruptID(v)
    }

    /// GICV_HPPIR (`aliased` false) or GICV_AHPPIR: the highest-priority
    /// pending interrupt of an enabled group, without acknowledging it and
    /// regardless of PMR and the running priority. The same 1022/1023 rules
    /// as `acknowledge`.
    public func highestPendingID(aliased: Bool) -> UInt32 {
        guard hcr & GICHControl.en != 0, let n = highestPendingListRegister() else { return Self.spuriousID }
        let v = lr[n]
        let group1 = v & GICHListRegister.group1 != 0
        if aliased && !group1 { return Self.spuriousID }
        if !aliased && group1 && vmcr & GICHVMCR.ackCtl == 0 { return Self.group1OnlyID }
        return Self.interruptID(v)
    }

    /// GICV_EOIR / GICV_AEOIR: priority drop (the highest active priority
    /// leaves APR) and, with EOImode 0, deactivation of the interrupt.
    /// An EOI when no priority is active does nothing, so it is not counted
    /// in EOICount either.
    public mutating func endOfInterrupt(_ value: UInt32) {
        guard value & GICHListRegister.virtualIDMask < Self.firstSpecialID, apr != 0 else { return }
        apr &= apr &- 1
        if vmcr & GICHVMCR.eoiMode == 0 { deactivate(value) }
    }

    /// GICV_DIR: deactivation on its own, meaningful only with EOImode 1
    /// (UNPREDICTABLE otherwise, where it is ignored).
    public mutating func deactivateInterrupt(_ value: UInt32) {
        guard value & GICHListRegister.virtualIDMask < Self.firstSpecialID,
              vmcr & GICHVMCR.eoiMode != 0 else { return }
        deactivate(value)
    }

    /// Clears the active state of the LR holding the interrupt `value` names
    /// (ID, and source CPU for an SGI). An interrupt no LR holds is counted
    /// in GICH_HCR.EOICount for the hypervisor. With HW = 1 the physical
    /// interrupt would be deactivated too; there is no physical distributor
    /// in this model, so only the virtual state changes.
    mutating func deactivate(_ value: UInt32) {
        let id = value & GICHListRegister.virtualIDMask
        let cpu = value & GICHListRegister.cpuIDMask
        for n in 0..<Self.listRegisterCount {
            let v = lr[n]
            guard v & GICHListRegister.active != 0, v & GICHListRegister.virtualIDMask == id else { continue }
            if id < 16 && v & GICHListRegister.hw == 0 && v & GICHListRegister.cpuIDMask != cpu { continue }
            lr[n] = v & ~GICHListRegister.active
            return
        }
        let count = (hcr >> GICHControl.eoiCountShift &+ 1) & 0x1F
        hcr = hcr & ~GICHControl.eoiCountMask | count << GICHControl.eoiCountShift
    }
}
