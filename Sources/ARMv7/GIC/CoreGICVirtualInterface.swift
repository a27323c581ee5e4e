/// The core's side of its GIC virtual interface bank: the physical windows
/// answered in the memory-access slow path, the accessors Hyp software uses,
/// and the signals (virtual IRQ/FIQ, maintenance IRQ) the run loop samples.
extension Core {
    // MARK: Hyp software's accessors

    /// Reads the GICH register at `offset` (see `GICHOffset`) of this core's
    /// bank, as a load from the GICH window at `offset`.
    public func readGICH(_ offset: UInt32) -> UInt32 {
        gicVirtualInterface.readControl(offset)
    }

    /// Writes the GICH register at `offset` of this core's bank.
    public func writeGICH(_ offset: UInt32, _ value: UInt32) {
        gicVirtualInterface.writeControl(offset, value)
        gicSignalsChanged()
    }

    /// Restores GICH_HCR, GICH_VMCR, GICH_APR and GICH_LR0–3 in one go (the
    /// world switch's entry half): the same result as the seven register
    /// writes, with the signals recomputed once.
    public func restoreGICH(hcr: UInt32, vmcr: UInt32, apr: UInt32, lr: InlineArray<4, UInt32>) {
        gicVirtualInterface.restore(hcr: hcr, vmcr: vmcr, apr: apr, lr: lr)
        gicSignalsChanged()
    }

    /// Whether the virtual CPU interface currently signals an IRQ (or FIQ)
    /// to this core, and whether its maintenance interrupt is asserted.
    public var gicSignals: (virtualIRQ: Bool, virtualFIQ: Bool, maintenance: Bool) {
        (gicVirtualLines & HCR.vi != 0, gicVirtualLines & HCR.vf != 0, gicMaintenanceIRQ)
    }

    /// Recomputes what the interface signals after any change to it.
    @inline(__always) func gicSignalsChanged() {
        gicVirtualLines = gicVirtualInterface.virtualLines
        gicMaintenanceIRQ = gicVirtualInterface.maintenanceInterrupt
    }

    // MARK: Physical accesses (memory-access slow path)

    /// A load from `pa` if it falls in this core's GICH or GICV window, nil
    /// otherwise. Registers are words: other sizes and unaligned offsets
    /// read as zero.
    @inline(never)
    func gicVirtualInterfaceRead(_ pa: UInt64, size: Int) -> UInt32? {
        let windows = memory.gicVirtualInterface
        if let control = windows.controlOffset(pa) {
            return size == 4 && control & 3 == 0 ? readGICH(UInt32(control)) : 0
        }
        guard let cpu = windows.cpuInterfaceOffset(pa) else { return nil }
        guard size == 4 && cpu & 3 == 0 else { return 0 }
        let v = gicVirtualInterface.readCPUInterface(UInt32(cpu))
        gicSignalsChanged()   // IAR/AIAR change LR state
        return v
    }

    /// A store to `pa` if it falls in this core's GICH or GICV window
    /// (returns true), false otherwise. Non-word and unaligned stores are
    /// ignored. A store that leaves an interrupt signalled ends the block
    /// after the storing instruction, so the interrupt is taken before the
    /// next one, as `BlockEndSignal.interruptWindow` does for CPSR writes
    /// (see `BlockEndSignal.interruptWindowAtNextFetch` for the difference).
    @inline(never)
    func gicVirtualInterfaceWrite(_ pa: UInt64, size: Int, value: UInt32) -> Bool {
        let windows = memory.gicVirtualInterface
        if let control = windows.controlOffset(pa) {
            if size == 4 && control & 3 == 0 { gicVirtualInterface.writeControl(UInt32(control), value) }
        } else if let cpu = windows.cpuInterfaceOffset(pa) {
            if size == 4 && cpu & 3 == 0 { gicVirtualInterface.writeCPUInterface(UInt32(cpu), value) }
        } else {
            return false
        }
        gicSignalsChanged()
        if gicVirtualLines != 0 || gicMaintenanceIRQ {
            pendingBlockEnd = .interruptWindowAtNextFetch
            invalidateFetchPage()
        }
        return true
    }
}
