import XCTest
@testable import ARMv7

/// The GICv2 virtual CPU interface of a core (ARM IHI 0048B chapter 5):
/// list registers, GICV acknowledge/EOI, priorities, maintenance, and the
/// virtual IRQ the core takes from it.
final class GICVirtualInterfaceTests: XCTestCase {
    static let gich = UInt32(TestMachine.gicVirtualInterface.controlBase)
    static let gicv = UInt32(TestMachine.gicVirtualInterface.cpuInterfaceBase)
    let base = TestMachine.ramBase

    /// Group 0 enabled, PMR = 0xF8 (everything but the lowest priority).
    static let openVMCR: UInt32 = GICHVMCR.enableGrp0 | 0x1F << GICHVMCR.priMaskShift

    /// A core placed as a guest would be (SVC, HCR.IMO/FMO routing the
    /// virtual lines), with the interface enabled and `lrs` loaded.
    func guestCore(_ words: [UInt32] = [], lrs: [UInt32], vmcr: UInt32 = openVMCR,
                   hcr: UInt32 = GICHControl.en) -> TestMachine {
        let t = TestMachine(words, at: 0x100)
        t.core.sys.vbar = base
        t.core.sys.hcr = HCR.imo | HCR.fmo
        t.core.setRegister(4, Self.gicv)
        t.core.writeGICH(GICHOffset.vmcr, vmcr)
        for (n, v) in lrs.enumerated() { t.core.writeGICH(GICHOffset.lr0 + 4 * UInt32(n), v) }
        t.core.writeGICH(GICHOffset.hcr, hcr)
        return t
    }

    func gicv(_ t: TestMachine, _ offset: UInt32) throws -> UInt32 { try t.core.read32(Self.gicv + offset) }
    func setGICV(_ t: TestMachine, _ offset: UInt32, _ v: UInt32) throws { try t.core.write32(Self.gicv + offset, v) }
    func lr(_ t: TestMachine, _ n: UInt32) -> UInt32 { t.core.readGICH(GICHOffset.lr0 + 4 * n) }
    func state(_ v: UInt32) -> UInt32 { v >> 28 & 3 }

    // MARK: Identification

    func testVTRReportsFourListRegistersAndFiveBitPriorities() throws {
        let t = guestCore(lrs: [])
        XCTAssertEqual(try t.core.read32(Self.gich + 4), 0x9000_0003)
        try t.core.write32(Self.gich + 4, 0)
        XCTAssertEqual(try t.core.read32(Self.gich + 4), 0x9000_0003, "VTR is read-only")
        XCTAssertEqual(try gicv(t, GICVOffset.iidr), GICVirtualInterface.iidr)
    }

    // MARK: Taking the virtual IRQ

    func testPendingListRegisterIsTakenAtTheIRQVectorAndEOIFreesIt() throws {
        // +0x100: cpsie i ; b .        IRQ vector (+0x18): b +0x200
        // +0x200: ldr r0,[r4,#IAR] ; str r0,[r4,#EOIR] ; ldr r1,[r4,#IAR] ; b .
        let t = guestCore([0xF108_0080, 0xEAFF_FFFE],
                          lrs: [GICHListRegister.pending(id: 37, priority: 0xA0)])
        t.write([0xEA00_0078], at: base + 0x18)
        t.write([0xE594_000C, 0xE584_0010, 0xE594_100C, 0xEAFF_FFFE], at: base + 0x200)
        XCTAssertTrue(t.core.gicSignals.virtualIRQ)
        t.run(1)
        XCTAssertEqual(t.core.mode, .irq, "taken right after CPSIE unmasked it")
        XCTAssertEqual(t.core.pc, base + 0x18)
        XCTAssertEqual(t.core.register(14), base + 0x104 + 4)
        t.run(5)
        XCTAssertEqual(t.core.register(0), 37, "GICV_IAR returns the LR's virtual ID")
        XCTAssertEqual(t.core.register(1), 1023, "nothing else pending: spurious")
        XCTAssertEqual(state(lr(t, 0)), 0, "EOIR (EOImode 0) deactivated it")
        XCTAssertEqual(t.core.readGICH(GICHOffset.elrsr0) & 1, 1, "LR0 is free again")
        XCTAssertEqual(t.core.readGICH(GICHOffset.apr), 0, "priority dropped")
        XCTAssertFalse(t.core.gicSignals.virtualIRQ)
    }

    func testMaskedByCPSRIUntilTheGuestUnmasks() {
        let t = guestCore([0xE1A0_0000, 0xE1A0_0000, 0xEAFF_FFFE],
                          lrs: [GICHListRegister.pending(id: 40, priority: 0)])
        t.run(10)
        XCTAssertEqual(t.core.mode, .supervisor, "CPSR.I is set at reset")
        XCTAssertEqual(state(lr(t, 0)), 1, "still pending")
    }

    func testNotTakenWithoutHCRIMO() {
        let t = guestCore([0xF108_0080, 0xEAFF_FFFE], lrs: [GICHListRegister.pending(id: 40, priority: 0)])
        t.core.sys.hcr = 0
        t.run(10)
        XCTAssertEqual(t.core.mode, .supervisor)
    }

    func testStoreThatUnmasksAnInterruptEndsTheBlock() {
        // PMR starts at 0 (masks everything). +0x100: str r1,[r4,#PMR] ; nop ; nop ; b .
        let t = guestCore([0xE584_1004, 0xE1A0_0000, 0xE1A0_0000, 0xEAFF_FFFE],
                          lrs: [GICHListRegister.pending(id: 50, priority: 0x40)],
                          vmcr: GICHVMCR.enableGrp0)
        t.core.writeCPSR(0x153, mask: 0xFF, exceptionReturn: true)   // SVC, I clear
        t.core.setRegister(1, 0xF8)
        XCTAssertFalse(t.core.gicSignals.virtualIRQ)
        t.run(100)
        XCTAssertEqual(t.core.mode, .irq)
        XCTAssertEqual(t.core.register(14), base + 0x104 + 4, "taken before the instruction after the store")
    }

    func testISRShowsTheVirtualIRQ() {
        // mrc p15,0,r5,c12,c1,0 (ISR) ; b .
        let t = guestCore([0xEE1C_5F11, 0xEAFF_FFFE], lrs: [GICHListRegister.pending(id: 40, priority: 0)])
        t.run(2)
        XCTAssertEqual(t.core.register(5) & 0x80, 0x80)
    }

    func testFIQEnSignalsGroup0AsAVirtualFIQ() {
        let t = guestCore([0xF108_00C0, 0xEAFF_FFFE], lrs: [GICHListRegister.pending(id: 40, priority: 0)],
                          vmcr: Self.openVMCR | GICHVMCR.fiqEn)
        XCTAssertEqual(t.core.gicSignals.virtualIRQ, false)
        XCTAssertEqual(t.core.gicSignals.virtualFIQ, true)
        t.run(1)
        XCTAssertEqual(t.core.mode, .fiq)
        XCTAssertEqual(t.core.pc, base + 0x1C)
    }

    // MARK: GICV semantics

    func testSGIAcknowledgeReportsTheSourceCPUAndEOIMustMatchIt() throws {
        let sgi = GICHListRegister.pending(id: 3, priority: 0x80, cpuID: 2)
        let t = guestCore(lrs: [sgi])
        XCTAssertEqual(try gicv(t, GICVOffset.iar), 2 << 10 | 3)
        XCTAssertEqual(state(lr(t, 0)), 2, "active")
        try setGICV(t, GICVOffset.eoir, 2 << 10 | 3)
        XCTAssertEqual(state(lr(t, 0)), 0)
        XCTAssertEqual(t.core.readGICH(GICHOffset.hcr) >> 27, 0)

        let u = guestCore(lrs: [sgi])
        XCTAssertEqual(try gicv(u, GICVOffset.iar), 2 << 10 | 3)
        try setGICV(u, GICVOffset.eoir, 3)   // CPUID 0: not the interrupt in LR0
        XCTAssertEqual(state(lr(u, 0)), 2, "still active")
        XCTAssertEqual(u.core.readGICH(GICHOffset.hcr) >> 27, 1, "an EOI no LR matched is counted in EOICount")
        XCTAssertEqual(u.core.readGICH(GICHOffset.apr), 0, "but the priority was dropped")
    }

    func testPriorityMaskAndRunningPriorityDecideWhatIsSignalled() throws {
        let vmcr = GICHVMCR.enableGrp0 | (0x80 >> 3) << GICHVMCR.priMaskShift   // PMR 0x80
        let t = guestCore(lrs: [GICHListRegister.pending(id: 32, priority: 0x80)], vmcr: vmcr)
        XCTAssertEqual(try gicv(t, GICVOffset.pmr), 0x80)
        XCTAssertFalse(t.core.gicSignals.virtualIRQ, "priority must be higher (lower value) than PMR")
        XCTAssertEqual(try gicv(t, GICVOffset.iar), 1023)
        XCTAssertEqual(state(lr(t, 0)), 1)
        XCTAssertEqual(try gicv(t, GICVOffset.hppir), 32, "HPPIR names it regardless of PMR")
        try setGICV(t, GICVOffset.pmr, 0x88)
        XCTAssertTrue(t.core.gicSignals.virtualIRQ)
        XCTAssertEqual(try gicv(t, GICVOffset.rpr), 0xFF, "idle")
        XCTAssertEqual(try gicv(t, GICVOffset.iar), 32)
        XCTAssertEqual(try gicv(t, GICVOffset.rpr), 0x80)

        // While 0x80 is active, another 0x80 waits; a 0x40 preempts.
        try setGICV(t, GICVOffset.pmr, 0xF8)
        t.core.writeGICH(GICHOffset.lr0 + 4, GICHListRegister.pending(id: 33, priority: 0x80))
        XCTAssertFalse(t.core.gicSignals.virtualIRQ)
        XCTAssertEqual(try gicv(t, GICVOffset.iar), 1023)
        t.core.writeGICH(GICHOffset.lr0 + 8, GICHListRegister.pending(id: 34, priority: 0x40))
        XCTAssertTrue(t.core.gicSignals.virtualIRQ)
        XCTAssertEqual(try gicv(t, GICVOffset.iar), 34)
        XCTAssertEqual(try gicv(t, GICVOffset.rpr), 0x40)
        XCTAssertEqual(t.core.readGICH(GICHOffset.apr), 1 << 8 | 1 << 16, "one APR bit per active group priority")
        try setGICV(t, GICVOffset.eoir, 34)
        XCTAssertEqual(try gicv(t, GICVOffset.rpr), 0x80, "the EOI dropped the highest active priority")
        XCTAssertFalse(t.core.gicSignals.virtualIRQ, "33 still waits for 32")
        try setGICV(t, GICVOffset.eoir, 32)
        XCTAssertTrue(t.core.gicSignals.virtualIRQ)
        XCTAssertEqual(try gicv(t, GICVOffset.iar), 33)
    }

    func testBinaryPointLimitsPreemptionToTheGroupPriority() throws {
        let t = guestCore(lrs: [GICHListRegister.pending(id: 40, priority: 0x60)])
        try setGICV(t, GICVOffset.bpr, 0)
        XCTAssertEqual(try gicv(t, GICVOffset.bpr), 2, "below the minimum reads as the minimum (7 - 5 preemption bits)")
        try setGICV(t, GICVOffset.bpr, 5)   // group priority = bits 7:6
        XCTAssertEqual(try gicv(t, GICVOffset.iar), 40)
        XCTAssertEqual(try gicv(t, GICVOffset.rpr), 0x40)
        t.core.writeGICH(GICHOffset.lr0 + 4, GICHListRegister.pending(id: 41, priority: 0x50))
        XCTAssertFalse(t.core.gicSignals.virtualIRQ, "0x50 has the same group priority (0x40) as the active 0x60")
        t.core.writeGICH(GICHOffset.lr0 + 8, GICHListRegister.pending(id: 42, priority: 0x30))
        XCTAssertEqual(try gicv(t, GICVOffset.iar), 42, "group priority 0x00 preempts")
    }

    func testSpuriousAndGroupRules() throws {
        XCTAssertEqual(try gicv(guestCore(lrs: []), GICVOffset.iar), 1023, "no LR")
        let pending = GICHListRegister.pending(id: 40, priority: 0)
        let disabled = guestCore(lrs: [pending], hcr: 0)
        XCTAssertFalse(disabled.core.gicSignals.virtualIRQ)
        XCTAssertEqual(try gicv(disabled, GICVOffset.iar), 1023, "GICH_HCR.En clear")
        let grp0Off = guestCore(lrs: [pending], vmcr: 0x1F << GICHVMCR.priMaskShift)
        XCTAssertEqual(try gicv(grp0Off, GICVOffset.iar), 1023, "Group 0 disabled")

        let g1 = GICHListRegister.pending(id: 45, priority: 0, group1: true)
        let t = guestCore(lrs: [g1], vmcr: Self.openVMCR | GICHVMCR.enableGrp1)
        XCTAssertEqual(try gicv(t, GICVOffset.hppir), 1022)
        XCTAssertEqual(try gicv(t, GICVOffset.iar), 1022, "Group 1 through IAR needs AckCtl")
        XCTAssertEqual(state(lr(t, 0)), 1, "not acknowledged")
        XCTAssertEqual(try gicv(t, GICVOffset.ahppir), 45)
        XCTAssertEqual(try gicv(t, GICVOffset.aiar), 45)
        XCTAssertEqual(state(lr(t, 0)), 2)
        try setGICV(t, GICVOffset.aeoir, 45)
        XCTAssertEqual(state(lr(t, 0)), 0)

        let acked = guestCore(lrs: [g1], vmcr: Self.openVMCR | GICHVMCR.enableGrp1 | GICHVMCR.ackCtl)
        XCTAssertEqual(try gicv(acked, GICVOffset.iar), 45, "AckCtl lets IAR acknowledge Group 1")
        let g0 = guestCore(lrs: [pending])
        XCTAssertEqual(try gicv(g0, GICVOffset.aiar), 1023, "AIAR never acknowledges Group 0")
        XCTAssertEqual(state(lr(g0, 0)), 1)
    }

    func testEOIMode1SplitsPriorityDropFromDeactivation() throws {
        let t = guestCore(lrs: [GICHListRegister.pending(id: 60, priority: 0x20)])
        try setGICV(t, GICVOffset.ctlr, GICHVMCR.enableGrp0 | GICHVMCR.eoiMode)
        XCTAssertEqual(try gicv(t, GICVOffset.iar), 60)
        try setGICV(t, GICVOffset.eoir, 60)
        XCTAssertEqual(t.core.readGICH(GICHOffset.apr), 0, "priority dropped")
        XCTAssertEqual(state(lr(t, 0)), 2, "still active")
        try setGICV(t, GICVOffset.dir, 60)
        XCTAssertEqual(state(lr(t, 0)), 0)
    }

    func testHardwareListRegisterIsDeactivatedWithoutEOIMaintenance() throws {
        // HW = 1, physical ID 60 in bits 19:10 (bit 19 is then not the EOI bit).
        let v: UInt32 = GICHListRegister.hw | 60 << 10 | GICHListRegister.pending | (0x20 >> 3) << 23 | 60
        let t = guestCore(lrs: [v], hcr: GICHControl.en | GICHControl.npie)
        XCTAssertEqual(try gicv(t, GICVOffset.iar), 60, "no CPUID in the ID of a hardware interrupt")
        try setGICV(t, GICVOffset.eoir, 60)
        XCTAssertEqual(state(lr(t, 0)), 0)
        XCTAssertEqual(t.core.readGICH(GICHOffset.eisr0), 0)
        XCTAssertEqual(t.core.readGICH(GICHOffset.elrsr0) & 1, 1)
    }

    // MARK: Maintenance

    func testEOIMaintenanceReachesHypAsAPhysicalIRQ() {
        // The guest acknowledges and EOIs an LR with EOI = 1; the next
        // instruction is interrupted by the maintenance IRQ, routed to Hyp by IMO.
        let t = guestCore([0xF108_0080, 0xEAFF_FFFE],
                          lrs: [GICHListRegister.pending(id: 27, priority: 0xA0, eoiMaintenance: true)])
        t.write([0xEA00_0078], at: base + 0x18)
        t.write([0xE594_000C, 0xE584_0010, 0xE1A0_0000, 0xEAFF_FFFE], at: base + 0x200)
        t.core.sys.hvbar = base + 0x400
        t.core.interceptHypVectors = true
        XCTAssertEqual(t.run(100), .hypVector(offset: 0x18))
        XCTAssertEqual(t.core.elrHyp, base + 0x208, "taken right after the EOIR store")
        XCTAssertEqual(t.core.readGICH(GICHOffset.eisr0), 1, "LR0: invalid with its EOI request met")
        XCTAssertEqual(t.core.readGICH(GICHOffset.misr) & GICHMaintenance.eoi, GICHMaintenance.eoi)
        XCTAssertEqual(t.core.readGICH(GICHOffset.elrsr0) & 1, 0, "not empty until Hyp consumes the EOI")
        XCTAssertTrue(t.core.gicSignals.maintenance)
        t.core.writeGICH(GICHOffset.lr0, 0)   // Hyp handles it
        XCTAssertFalse(t.core.gicSignals.maintenance)
        XCTAssertEqual(t.core.readGICH(GICHOffset.elrsr0), 0xF)
    }

    func testMaintenanceCausesFollowTheirEnables() throws {
        let pending = GICHListRegister.pending(id: 9, priority: 0)
        // Underflow: at most one valid LR.
        let u = guestCore(lrs: [pending], hcr: GICHControl.en | GICHControl.uie)
        XCTAssertEqual(u.core.readGICH(GICHOffset.misr), GICHMaintenance.underflow)
        u.core.writeGICH(GICHOffset.lr0 + 4, pending | 1)
        XCTAssertEqual(u.core.readGICH(GICHOffset.misr), 0, "two valid LRs")
        // No pending: only an active LR left.
        let np = guestCore(lrs: [pending], hcr: GICHControl.en | GICHControl.npie)
        XCTAssertEqual(np.core.readGICH(GICHOffset.misr), 0)
        XCTAssertFalse(np.core.gicSignals.maintenance)
        XCTAssertEqual(try gicv(np, GICVOffset.iar), 9)
        XCTAssertEqual(np.core.readGICH(GICHOffset.misr), GICHMaintenance.noPending)
        XCTAssertTrue(np.core.gicSignals.maintenance)
        // LR entry not present: an EOI for an interrupt Hyp took out of the LRs.
        let lrenp = guestCore(lrs: [pending], hcr: GICHControl.en | GICHControl.lrenpie)
        XCTAssertEqual(try gicv(lrenp, GICVOffset.iar), 9)
        lrenp.core.writeGICH(GICHOffset.lr0, 0)
        try setGICV(lrenp, GICVOffset.eoir, 9)
        XCTAssertEqual(lrenp.core.readGICH(GICHOffset.hcr) >> 27, 1)
        XCTAssertEqual(lrenp.core.readGICH(GICHOffset.misr), GICHMaintenance.lrEntryNotPresent)
        // Group enable/disable notifications.
        let groups = guestCore(lrs: [], vmcr: GICHVMCR.enableGrp0,
                               hcr: GICHControl.en | 0xF0)   // all four VGrp enables
        XCTAssertEqual(groups.core.readGICH(GICHOffset.misr),
                       GICHMaintenance.vgrp0Enabled | GICHMaintenance.vgrp1Disabled)
        // Without En the causes show in MISR but no interrupt is raised.
        let off = guestCore(lrs: [], hcr: GICHControl.uie)
        XCTAssertEqual(off.core.readGICH(GICHOffset.misr), GICHMaintenance.underflow)
        XCTAssertFalse(off.core.gicSignals.maintenance)
    }

    // MARK: Banking and robustness

    func testEachCoreAnswersWithItsOwnBank() throws {
        let t = TestMachine([])
        let other = Core(memory: t.memory, coreID: 1)
        try t.core.write32(Self.gich + GICHOffset.lr0, 0x1234)
        try other.write32(Self.gich + GICHOffset.lr0, 0x5678)
        XCTAssertEqual(try t.core.read32(Self.gich + GICHOffset.lr0), 0x1234)
        XCTAssertEqual(try other.read32(Self.gich + GICHOffset.lr0), 0x5678)
        XCTAssertFalse(t.memory.isMMIO(UInt64(Self.gich)), "not a shared device")
    }

    func testTheBoardPlacesTheWindows() throws {
        let memory = PhysicalMemory(gicVirtualInterface: GICVirtualInterfaceWindows(controlBase: 0x2C00_4000,
                                                                                    cpuInterfaceBase: 0x2C00_6000))
        let core = Core(memory: memory)
        try core.write32(0x2C00_4000 + GICHOffset.lr0, 0x1234)
        XCTAssertEqual(core.readGICH(GICHOffset.lr0), 0x1234)
        XCTAssertEqual(try core.read32(0x2C00_4000 + GICHOffset.vtr), 0x9000_0003)
        XCTAssertThrowsError(try core.read32(Self.gich + GICHOffset.vtr), "nothing at virt's address on this board")
        let bare = Core(memory: PhysicalMemory())
        XCTAssertThrowsError(try bare.read32(Self.gich + GICHOffset.vtr), "no windows unless the board asks")
        XCTAssertThrowsError(try bare.read32(Self.gicv), "no windows unless the board asks")
    }

    func testGarbageAndOddSizedAccessesNeverCrash() throws {
        let t = guestCore(lrs: [GICHListRegister.pending(id: 5, priority: 0)])
        let lr0 = lr(t, 0)
        // Bytes and halfwords to LR0 are ignored; so is an unaligned word.
        try t.core.write8(Self.gich + GICHOffset.lr0, 0xFF)
        try t.core.write16(Self.gich + GICHOffset.lr0 + 2, 0xFFFF)
        try t.core.write32(Self.gich + GICHOffset.lr0 + 1, 0xFFFF_FFFF)
        XCTAssertEqual(lr(t, 0), lr0)
        XCTAssertEqual(try t.core.read8(Self.gicv + GICVOffset.iar), 0, "a byte read does not acknowledge")
        XCTAssertEqual(state(lr(t, 0)), 1)
        // Every offset of both windows, every size, pseudo-random values.
        var x: UInt32 = 0x1234_5678
        func next() -> UInt32 { x = x &* 1_664_525 &+ 1_013_904_223; return x }
        for window in [Self.gich, Self.gicv] {
            let size: UInt32 = window == Self.gich ? 0x1000 : 0x2000
            var offset: UInt32 = 0
            while offset < size {
                try t.core.write32(window + offset, next())
                try t.core.write16(window + offset, next())
                try t.core.write8(window + offset + 3, next())
                _ = try t.core.read32(window + offset)
                _ = try t.core.read16(window + offset + 2)
                offset += 4
            }
        }
        XCTAssertEqual(t.core.readGICH(GICHOffset.vtr), GICVirtualInterface.vtr)
        XCTAssertEqual(t.core.readGICH(GICHOffset.hcr) & ~GICHControl.writable, 0, "reserved bits stay clear")
        XCTAssertEqual(lr(t, 3) & 7 << 20, 0, "LR bits 22:20 are reserved")
        t.run(50)   // and the core still runs whatever it now signals
    }
}
