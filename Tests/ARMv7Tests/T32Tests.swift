import XCTest
@testable import ARMv7

/// Hand-assembled Thumb code (checked with arm-none-eabi-as; the assembly is
/// in the comments) placed at offsets from the RAM base of a `TestMachine`.
struct T32Program {
    let m: TestMachine
    var base: UInt32 { TestMachine.ramBase }
    /// Halfwords at `offset`.
    func t(_ offset: UInt32, _ hws: [UInt16]) {
        for (i, h) in hws.enumerated() {
            _ = m.memory.write(UInt64(base + offset) + UInt64(2 * i), size: 2, value: UInt64(h))
        }
    }
    /// An A32 instruction or data word at `offset`.
    func a(_ offset: UInt32, _ word: UInt32) { m.write([word], at: base + offset) }
}

extension TestMachine {
    /// A machine whose core starts in Thumb state at RAM base + `start`.
    static func thumb(start: UInt32 = 0x100, stopOn: @escaping (ExceptionKind) -> Bool = { _ in false },
                      _ build: (T32Program) -> Void) -> TestMachine {
        let m = TestMachine([], stopOn: stopOn)
        build(T32Program(m: m))
        m.core.sys.vbar = TestMachine.ramBase
        m.core.branch(to: TestMachine.ramBase + start, thumb: true)
        return m
    }
    var r: (Int) -> UInt32 { { [core] in core.register($0) } }
}

final class T32Tests: XCTestCase {
    let base = TestMachine.ramBase

    // MARK: IT blocks and flag setting

    /// Every IT mask (1 to 4 instructions, all T/E combinations) with EQ and
    /// NE as first condition, with the condition passing and failing. The
    /// block holds 16-bit MOVS Rn, #imm, which inside an IT block set no flags
    /// (if they did, the later EQ instructions would see Z = 0).
    func testITAllMasksAndConditions() {
        for firstcond: UInt16 in [0x0, 0x1] {             // EQ, NE
            for length in 1...4 {
                for pattern in 0..<(1 << (length - 1)) {    // bit i set: instruction i+1 is an "else"
                    for zSet in [true, false] {
                        var mask: UInt16 = 0
                        for i in 0..<(length - 1) {
                            let isElse = pattern & (1 << i) != 0
                            let bit: UInt16 = isElse ? (firstcond & 1) ^ 1 : firstcond & 1
                            mask |= bit << UInt16(3 - i)
                        }
                        mask |= 1 << UInt16(4 - length)
                        var code: [UInt16] = [0xBF00 | firstcond << 4 | mask]          // IT<x><y><z> <firstcond>
                        for i in 0..<length { code.append(0x2000 | UInt16(i) << 8 | UInt16(i + 1)) } // MOV<c> ri, #i+1
                        code.append(0x3701)                                            // adds r7, #1
                        let t = TestMachine.thumb { p in p.t(0x100, code) }
                        for i in 0..<8 { t.core.setRegister(i, 0xAA) }
                        t.core.setRegister(7, 0)
                        t.core.setNZCV(zSet ? PSR.z : 0)
                        t.run(length + 2)
                        let desc = "firstcond \(firstcond) length \(length) pattern \(pattern) Z \(zSet)"
                        let firstPasses = (firstcond == 0) == zSet
                        for i in 0..<length {
                            let isElse = i > 0 && pattern & (1 << (i - 1)) != 0
                            let executes = firstPasses != isElse
                            XCTAssertEqual(t.core.register(i), executes ? UInt32(i + 1) : 0xAA, "r\(i) \(desc)")
                        }
                        XCTAssertEqual(t.core.register(7), 1, "instruction after the block runs: \(desc)")
                        XCTAssertEqual(t.core.itState, 0, desc)
                        XCTAssertEqual(t.core.cpsr & 0xF000_0000, 0, "ADDS outside the block sets flags: \(desc)")
                        XCTAssertEqual(t.core.pc, base + 0x100 + UInt32(2 * (length + 2)), desc)
                    }
                }
            }
        }
    }

    /// 16-bit ADDS sets flags outside an IT block only; CMP sets them inside too.
    func testFlagSettingInsideAndOutsideIT() {
        let t = TestMachine.thumb { p in
            p.t(0x100, [0x1888])   // adds r0, r1, r2     (1 + -1 = 0: Z, C)
            p.t(0x102, [0xBF04])   // itt eq
            p.t(0x104, [0x184B])   // addeq r3, r1, r1    (no flags in IT: Z stays)
            p.t(0x106, [0x190C])   // addeq r4, r1, r4
            p.t(0x108, [0xBF04])   // itt eq
            p.t(0x10A, [0x4291])   // cmpeq r1, r2        (sets flags: 1 vs -1, Z = 0)
            p.t(0x10C, [0x1A0D])   // subeq r5, r1, r0    (skipped)
        }
        t.core.setRegister(1, 1); t.core.setRegister(2, 0xFFFF_FFFF); t.core.setRegister(4, 10)
        t.core.setRegister(5, 0x55)
        t.run(3)
        XCTAssertEqual(t.core.cpsr & 0xF000_0000, 0x6000_0000, "ADDS outside IT sets Z and C")
        t.run(1)
        XCTAssertEqual(t.core.register(3), 2)
        XCTAssertEqual(t.core.cpsr & 0xF000_0000, 0x6000_0000, "ADD inside IT leaves the flags")
        t.run(1)
        XCTAssertEqual(t.core.register(4), 11, "second instruction of the block saw Z still set")
        t.run(2)
        XCTAssertEqual(t.core.cpsr & 0x4000_0000, 0, "CMP inside IT sets the flags")
        XCTAssertEqual(t.core.register(5), 0x55, "the EQ instruction after it failed")
        XCTAssertEqual(t.core.itState, 0)
    }

    // MARK: Exceptions inside IT blocks

    /// SVC inside an IT block: SPSR holds ITSTATE advanced past the SVC, LR is
    /// the next instruction (pc + 2), and MOVS PC, LR resumes the block.
    func testSVCInsideITBlockReturnsIntoTheBlock() {
        let t = TestMachine.thumb { p in
            p.a(0x008, 0xE1B0_F00E)      // SVC vector (A32): movs pc, lr
            p.t(0x100, [0xBF0A])         // itet eq
            p.t(0x102, [0xDF01])         // svceq 1
            p.t(0x104, [0x2105])         // movne r1, #5
            p.t(0x106, [0x2206])         // moveq r2, #6
            p.t(0x108, [0x2404])         // movs r4, #4
        }
        t.core.setNZCV(PSR.z)
        t.run(2)
        XCTAssertEqual(t.core.mode, .supervisor)
        XCTAssertEqual(t.events.map(\.kind), [.supervisorCall])
        XCTAssertEqual(t.core.register(14), base + 0x104, "LR = address of the next instruction")
        let spsr = t.core.savedPSR(of: .supervisor)!
        XCTAssertEqual(PSR.unpackIT(spsr), 0x14, "ITSTATE advanced past the SVC (ITET EQ: 0x0A -> 0x14)")
        XCTAssertNotEqual(spsr & PSR.t, 0)
        XCTAssertEqual(t.core.itState, 0, "ITSTATE is cleared on entry")
        t.run(1)   // movs pc, lr
        XCTAssertTrue(t.core.thumb)
        XCTAssertEqual(t.core.itState, 0x14)
        t.run(3)
        XCTAssertEqual(t.core.register(1), 0, "MOVNE skipped")
        XCTAssertEqual(t.core.register(2), 6, "MOVEQ executed")
        XCTAssertEqual(t.core.register(4), 4)
        XCTAssertEqual(t.core.cpsr & 0x4000_0000, 0, "MOVS outside the block sets flags (Z = 0)")
    }

    /// An UNDEFINED 32-bit instruction inside an IT block: SPSR holds the
    /// ITSTATE of that instruction and LR = pc + 2 (Thumb undefined entries
    /// always use address + 2); the handler (A32) skips the 32-bit
    /// instruction and advances the saved ITSTATE the way an emulating
    /// handler must, then returns.
    func testUndefinedInsideITBlockReturnsIntoTheBlock() {
        let t = TestMachine.thumb { p in
            p.a(0x004, 0xEA00_0005)   // undefined vector: b 0x20
            p.a(0x020, 0xE14F_8000)   // mrs r8, SPSR
            p.a(0x024, 0xE3C8_9406)   // bic r9, r8, #0x6000000
            p.a(0x028, 0xE3C9_9B3F)   // bic r9, r9, #0xfc00
            p.a(0x02C, 0xE389_9301)   // orr r9, r9, #0x4000000
            p.a(0x030, 0xE389_9B05)   // orr r9, r9, #0x1400      (ITSTATE 0x16)
            p.a(0x034, 0xE16F_F009)   // msr SPSR_fsxc, r9
            p.a(0x038, 0xE28E_E002)   // add lr, lr, #2            (skip the rest of the 32-bit MCR)
            p.a(0x03C, 0xE1B0_F00E)   // movs pc, lr
            p.t(0x100, [0xBF0B])          // itete eq
            p.t(0x102, [0xEE00, 0x0710])  // mcreq p7, 0, r0, c0, c0, 0   (no coprocessor 7: UNDEFINED)
            p.t(0x106, [0x2101])          // movne r1, #1
            p.t(0x108, [0x2202])          // moveq r2, #2
            p.t(0x10A, [0x2303])          // movne r3, #3
            p.t(0x10C, [0x2404])          // movs r4, #4
        }
        t.core.setNZCV(PSR.z)
        t.run(2)
        XCTAssertEqual(t.core.mode, .undefined)
        XCTAssertEqual(t.core.register(14), base + 0x104, "LR = address + 2, also for a 32-bit instruction")
        t.run(9)
        XCTAssertEqual(PSR.unpackIT(t.core.register(8)), 0x0B, "saved ITSTATE is the MCR's own (ITETE EQ)")
        t.run(4)
        XCTAssertTrue(t.core.thumb)
        XCTAssertEqual(t.core.mode, .supervisor)
        XCTAssertEqual(t.core.register(1), 0)
        XCTAssertEqual(t.core.register(2), 2)
        XCTAssertEqual(t.core.register(3), 0)
        XCTAssertEqual(t.core.register(4), 4)
        XCTAssertEqual(t.core.pc, base + 0x10E)
    }

    // MARK: Interworking

    /// BLX Rm to ARM and BX LR back; BL within Thumb; BLX label to ARM from
    /// pc & 2 == 0 and == 2 (target Align(PC, 4) + imm).
    func testBranchInterworking() {
        let t = TestMachine.thumb { p in
            p.t(0x100, [0x4780])          // blx r0              (r0 = 0x200, ARM)
            p.t(0x102, [0x2209])          // movs r2, #9
            p.t(0x104, [0xF000, 0xF80C])  // bl 0x120 <tf>
            p.t(0x108, [0xF000, 0xE87E])  // blx 0x208 <af>
            p.t(0x10C, [0x2303])          // movs r3, #3
            p.t(0x10E, [0xF000, 0xE880])  // blx 0x210 <af2>
            p.t(0x112, [0xE7FE])          // b.n 0x112
            p.t(0x120, [0x2101])          // tf: movs r1, #1
            p.t(0x122, [0x4770])          // bx lr
            p.a(0x200, 0xE3A0_1007)       // mov r1, #7
            p.a(0x204, 0xE12F_FF1E)       // bx lr
            p.a(0x208, 0xE3A0_4002)       // af: mov r4, #2
            p.a(0x20C, 0xE12F_FF1E)       // bx lr
            p.a(0x210, 0xE3A0_5005)       // af2: mov r5, #5
            p.a(0x214, 0xE12F_FF1E)       // bx lr
        }
        t.core.setRegister(0, base + 0x200)
        t.run(1)
        XCTAssertFalse(t.core.thumb)
        XCTAssertEqual(t.core.pc, base + 0x200)
        XCTAssertEqual(t.core.register(14), base + 0x103, "BLX Rm: LR = next instruction | 1")
        t.run(3)
        XCTAssertTrue(t.core.thumb)
        XCTAssertEqual(t.core.register(1), 7)
        XCTAssertEqual(t.core.register(2), 9)
        t.run(3)   // bl, movs, bx
        XCTAssertEqual(t.core.register(1), 1)
        XCTAssertEqual(t.core.register(14), base + 0x109, "BL: LR = next | 1")
        XCTAssertEqual(t.core.pc, base + 0x108)
        t.run(1)
        XCTAssertFalse(t.core.thumb)
        XCTAssertEqual(t.core.pc, base + 0x208)
        t.run(3)
        XCTAssertEqual(t.core.register(4), 2)
        XCTAssertEqual(t.core.register(3), 3)
        t.run(1)
        XCTAssertEqual(t.core.pc, base + 0x210, "BLX from pc & 2 == 2")
        XCTAssertEqual(t.core.register(14), base + 0x113)
        t.run(3)
        XCTAssertEqual(t.core.register(5), 5)
        XCTAssertEqual(t.core.pc, base + 0x112)
        XCTAssertTrue(t.core.thumb)
    }

    /// LDR PC and POP {PC} interwork in both directions.
    func testLoadToPCInterworking() {
        let t = TestMachine.thumb { p in
            p.t(0x100, [0xF8D0, 0xF000])  // ldr.w pc, [r0]       -> ARM 0x200
            p.t(0x110, [0x2202])          // movs r2, #2
            p.t(0x112, [0xBD08])          // pop {r3, pc}         -> ARM 0x210
            p.a(0x200, 0xE3A0_1001)       // mov r1, #1
            p.a(0x204, 0xE590_F004)       // ldr pc, [r0, #4]     -> Thumb 0x110
            p.a(0x210, 0xE3A0_4004)       // mov r4, #4
            p.a(0x214, 0xEAFF_FFFE)       // b .
            p.a(0x300, TestMachine.ramBase + 0x200)
            p.a(0x304, TestMachine.ramBase + 0x111)
            p.a(0x400, 0x33)
            p.a(0x404, TestMachine.ramBase + 0x210)
        }
        t.core.setRegister(0, base + 0x300)
        t.core.setRegister(13, base + 0x400)
        t.run(1)
        XCTAssertFalse(t.core.thumb)
        XCTAssertEqual(t.core.pc, base + 0x200)
        t.run(2)
        XCTAssertTrue(t.core.thumb)
        XCTAssertEqual(t.core.pc, base + 0x110)
        t.run(2)
        XCTAssertFalse(t.core.thumb)
        XCTAssertEqual(t.core.pc, base + 0x210)
        XCTAssertEqual(t.core.register(3), 0x33)
        XCTAssertEqual(t.core.register(13), base + 0x408)
        t.run(1)
        XCTAssertEqual(t.core.register(1), 1)
        XCTAssertEqual(t.core.register(2), 2)
        XCTAssertEqual(t.core.register(4), 4)
    }

    /// With SCTLR.TE = 1 an exception from ARM code enters a Thumb handler,
    /// which returns with SUBS PC, LR, #0 to ARM state.
    func testExceptionEntryIntoThumbHandlerWithSCTLRTE() {
        let t = TestMachine.thumb { p in
            p.t(0x008, [0x2505])          // movs r5, #5
            p.t(0x00A, [0xF3DE, 0x8F00])  // subs pc, lr, #0
            p.a(0x200, 0xEF00_0000)       // svc 0
            p.a(0x204, 0xE3A0_6006)       // mov r6, #6
            p.a(0x208, 0xEAFF_FFFE)       // b .
        }
        t.core.sys.sctlr |= 1 << 30
        t.core.branch(to: base + 0x200, thumb: false)
        t.run(1)
        XCTAssertTrue(t.core.thumb)
        XCTAssertEqual(t.core.mode, .supervisor)
        XCTAssertEqual(t.core.pc, base + 8)
        t.run(2)
        XCTAssertFalse(t.core.thumb)
        XCTAssertEqual(t.core.pc, base + 0x204)
        t.run(1)
        XCTAssertEqual(t.core.register(5), 5)
        XCTAssertEqual(t.core.register(6), 6)
    }

    /// SUBS PC, LR, #imm8 (imm8 != 0) is an exception return; in Hyp mode it is UNDEFINED.
    func testSUBSPCLRWithImmediate() {
        let t = TestMachine.thumb { p in
            p.t(0x100, [0xF3DE, 0x8F04])  // subs pc, lr, #4
        }
        t.core.setRegister(14, base + 0x124)
        t.core.setSavedPSR(of: .supervisor, 0x8000_0030)   // User, Thumb, N
        t.run(1)
        XCTAssertEqual(t.core.mode, .user)
        XCTAssertTrue(t.core.thumb)
        XCTAssertEqual(t.core.pc, base + 0x120)
        XCTAssertEqual(t.core.cpsr & 0xF000_0000, 0x8000_0000)

        let h = TestMachine.thumb { p in p.t(0x100, [0xF3DE, 0x8F04]) }
        h.core.switchMode(.hyp)
        h.core.sys.hvbar = base + 0x800
        h.run(1)
        XCTAssertEqual(h.core.pc, base + 0x804, "Hyp-mode undefined vector")
        XCTAssertEqual(h.core.sys.hsr >> 26, 0, "unknown reason")
        XCTAssertEqual(h.core.sys.hsr & (1 << 25), 1 << 25, "IL: 32-bit instruction")
    }

    // MARK: Table branches, compare and branch, literals

    func testTBBAndTBH() {
        for index: UInt32 in 0...2 {
            let t = TestMachine.thumb { p in
                p.t(0x100, [0xE8DF, 0xF000])  // tbb [pc, r0]
                p.a(0x104, 0x0006_0402)       // .byte 2, 4, 6, 0
                p.t(0x108, [0x210A])          // movs r1, #10
                p.t(0x10A, [0xE002])          // b.n 0x112
                p.t(0x10C, [0x210B])          // movs r1, #11
                p.t(0x10E, [0xE000])          // b.n 0x112
                p.t(0x110, [0x210C])          // movs r1, #12
                p.t(0x112, [0xE8DF, 0xF010])  // tbh [pc, r0, lsl #1]
                p.t(0x116, [0x0003])          // .short 3
                p.a(0x118, 0x0007_0005)       // .short 5, 7
                p.t(0x11C, [0x2214])          // movs r2, #20
                p.t(0x11E, [0xE002])          // b.n 0x126
                p.t(0x120, [0x2215])          // movs r2, #21
                p.t(0x122, [0xE000])          // b.n 0x126
                p.t(0x124, [0x2216])          // movs r2, #22
                p.t(0x126, [0xE7FE])          // b.n 0x126
            }
            t.core.setRegister(0, index)
            t.run(6)
            XCTAssertEqual(t.core.register(1), 10 + index, "TBB index \(index)")
            XCTAssertEqual(t.core.register(2), 20 + index, "TBH index \(index)")
            XCTAssertEqual(t.core.pc, base + 0x126)
        }
    }

    func testCBZAndCBNZ() {
        for value: UInt32 in [0, 5] {
            let t = TestMachine.thumb { p in
                p.t(0x100, [0xB100])   // cbz r0, 0x104
                p.t(0x102, [0x2101])   // movs r1, #1
                p.t(0x104, [0xB900])   // cbnz r0, 0x108
                p.t(0x106, [0x2202])   // movs r2, #2
                p.t(0x108, [0x2303])   // movs r3, #3
                p.t(0x10A, [0xE7FE])   // b.n 0x10a
            }
            t.core.setRegister(0, value)
            t.run(4)
            XCTAssertEqual(t.core.register(1), value == 0 ? 0 : 1, "CBZ r0 = \(value)")
            XCTAssertEqual(t.core.register(2), value == 0 ? 2 : 0, "CBNZ r0 = \(value)")
            XCTAssertEqual(t.core.register(3), 3)
        }
    }

    /// LDR/LDRD/LDRH/LDRSB literal, ADR, ADR.W and PLD at pc & 2 == 0 and 2,
    /// with positive and negative offsets: all use Align(PC, 4).
    func testLiteralAddressingUsesAlignedPC() {
        let t = TestMachine.thumb { p in
            p.a(0x0F8, 0x5555_5555)       // back: .word
            p.t(0x100, [0x480D])          // ldr r0, [pc, #52]      (pc & 2 == 0)
            p.t(0x102, [0x490D])          // ldr r1, [pc, #52]      (pc & 2 == 2)
            p.t(0x104, [0xF8DF, 0x2034])  // ldr.w r2, [pc, #52]
            p.t(0x108, [0xBF00])          // nop
            p.t(0x10A, [0xF8DF, 0x3030])  // ldr.w r3, [pc, #48]
            p.t(0x10E, [0xA40A])          // adr r4, lit1 (add r4, pc, #40)
            p.t(0x110, [0xF20F, 0x0524])  // adr.w r5, lit1 (addw r5, pc, #36)
            p.t(0x114, [0xBF00])          // nop
            p.t(0x116, [0xE9DF, 0x670A])  // ldrd r6, r7, [pc, #40]
            p.t(0x11A, [0xF8BF, 0x8020])  // ldrh.w r8, [pc, #32]
            p.t(0x11E, [0xF99F, 0x901C])  // ldrsb.w r9, [pc, #28]
            p.t(0x122, [0xF85F, 0xA02C])  // ldr.w r10, [pc, #-44]
            p.t(0x126, [0xBF00])          // nop
            p.t(0x128, [0xF85F, 0xB034])  // ldr.w r11, [pc, #-52]
            p.t(0x12C, [0xF89F, 0xF008])  // pld [pc, #8]
            p.t(0x130, [0xF2AF, 0x0C3C])  // adr.w r12, back (subw r12, pc, #60)
            p.t(0x134, [0xE7FE])          // b.n 0x134
            p.a(0x138, 0x1111_1111)       // lit1
            p.a(0x13C, 0x8822_F381)       // lit2
            p.a(0x140, 0x3333_3333)       // lit3
            p.a(0x144, 0x4444_4444)
        }
        t.run(17)
        XCTAssertEqual(t.core.pc, base + 0x134)
        let expected: [UInt32] = [0x1111_1111, 0x1111_1111, 0x8822_F381, 0x8822_F381, base + 0x138, base + 0x138,
                                  0x3333_3333, 0x4444_4444, 0xF381, 0xFFFF_FF81, 0x5555_5555, 0x5555_5555, base + 0xF8]
        for (i, v) in expected.enumerated() {
            XCTAssertEqual(t.core.register(i), v, "r\(i)")
        }
    }

    // MARK: Page crossing

    /// A 32-bit instruction whose second halfword is on the next page is
    /// fetched from there every time (not cached with a stale halfword).
    func testPageCrossingInstruction() {
        let t = TestMachine.thumb(start: 0xFFC) { p in
            p.t(0xFFC, [0x2101])          // movs r1, #1
            p.t(0xFFE, [0xF241, 0x2034])  // movw r0, #0x1234   (second halfword at 0x1000)
            p.t(0x1002, [0xE7FE])         // b.n .
        }
        t.run(3)
        XCTAssertEqual(t.core.register(0), 0x1234)
        XCTAssertEqual(t.core.pc, base + 0x1002)
        _ = t.memory.write(UInt64(base + 0x1000), size: 2, value: 0x2056)   // movw r0, #0x1256
        t.core.branch(to: base + 0xFFE, thumb: true)
        t.run(1)
        XCTAssertEqual(t.core.register(0), 0x1256)
        XCTAssertEqual(t.core.pc, base + 0x1002)
    }

    /// An UNDEFINED 32-bit instruction across a page boundary: LR = pc + 2
    /// (Thumb undefined entries always return address + 2; ARM ARM
    /// TakeUndefInstrException, and qemu-system-arm agrees).
    func testPageCrossingUndefinedInstructionLR() {
        let t = TestMachine.thumb(start: 0x1FFE) { p in
            p.t(0x1FFE, [0xF7F0, 0xA000]) // udf.w #0
        }
        t.run(1)
        XCTAssertEqual(t.core.mode, .undefined)
        XCTAssertEqual(t.core.register(14), base + 0x2000)
    }

    /// The second halfword beyond the end of RAM: prefetch abort at its address.
    func testPageCrossingFetchFaultReportsTheSecondHalfword() {
        let t = TestMachine.thumb(start: 0xF_FFFE) { p in
            p.t(0xF_FFFE, [0xF241])   // movw r0, ... (second halfword outside RAM)
        }
        t.run(1)
        XCTAssertEqual(t.events.map(\.kind), [.prefetchAbort])
        XCTAssertEqual(t.core.mode, .abort)
        XCTAssertEqual(t.core.sys.ifar, base + 0x10_0000)
        XCTAssertEqual(t.core.register(14), base + 0xF_FFFE + 4)
        XCTAssertEqual(t.core.pc, base + 0x0C)
    }

    /// A prefetch abort on an instruction inside an IT block saves that
    /// instruction's ITSTATE (not the previous one's, not advanced).
    func testPrefetchAbortInsideITBlockSavesItsITSTATE() {
        let t = TestMachine.thumb(start: 0xF_FFFC) { p in
            p.t(0xF_FFFC, [0xBF04])   // itt eq
            p.t(0xF_FFFE, [0x2001])   // moveq r0, #1   (the next instruction is outside RAM)
        }
        t.core.setNZCV(PSR.z)
        t.run(3)
        XCTAssertEqual(t.core.register(0), 1)
        XCTAssertEqual(t.events.map(\.kind), [.prefetchAbort])
        XCTAssertEqual(t.core.sys.ifar, base + 0x10_0000)
        XCTAssertEqual(t.core.register(14), base + 0x10_0004)
        XCTAssertEqual(PSR.unpackIT(t.core.savedPSR(of: .abort)!), 0x08, "ITT EQ: 0x04 advanced once")
    }

    // MARK: Instruction classes

    /// Modified immediates (ThumbExpandImm carry), ORN/ORNS, ADDW/SUBW,
    /// MOVW/MOVT, BFI, UBFX.
    func testDataProcessingImmediateClasses() {
        let t = TestMachine.thumb { p in
            p.t(0x100, [0xF061, 0x00FF])  // orn r0, r1, #255
            p.t(0x104, [0xEA71, 0x1203])  // orns r2, r1, r3, lsl #4
            p.t(0x108, [0xF3EF, 0x8400])  // mrs r4, CPSR
            p.t(0x10C, [0xF011, 0x15FF])  // ands.w r5, r1, #0x00ff00ff   (carry unchanged)
            p.t(0x110, [0xF3EF, 0x8600])  // mrs r6, CPSR
            p.t(0x114, [0xF013, 0x4780])  // ands.w r7, r3, #0x40000000   (carry = bit 31 = 0)
            p.t(0x118, [0xF3EF, 0x8800])  // mrs r8, CPSR
            p.t(0x11C, [0xF601, 0x79FF])  // addw r9, r1, #4095
            p.t(0x120, [0xF6A1, 0x0A00])  // subw r10, r1, #2048
            p.t(0x124, [0xF64B, 0x6BEF])  // movw r11, #0xbeef
            p.t(0x128, [0xF6CD, 0x6BAD])  // movt r11, #0xdead
            p.t(0x12C, [0xF361, 0x1B07])  // bfi r11, r1, #4, #4
            p.t(0x130, [0xF3CB, 0x4C07])  // ubfx r12, r11, #16, #8
        }
        t.core.setRegister(1, 0x34)
        t.core.setRegister(3, 0x1FFF_FFFF)
        t.run(13)
        XCTAssertEqual(t.core.register(0), 0xFFFF_FF34)
        XCTAssertEqual(t.core.register(2), 0x3F)
        XCTAssertEqual(t.core.register(4) >> 28, 0x2, "ORNS: C = carry-out of LSL #4")
        XCTAssertEqual(t.core.register(5), 0x34)
        XCTAssertEqual(t.core.register(6) >> 28, 0x2, "replicated constant leaves C")
        XCTAssertEqual(t.core.register(7), 0)
        XCTAssertEqual(t.core.register(8) >> 28, 0x4, "rotated constant: Z, C = 0")
        XCTAssertEqual(t.core.register(9), 0x1033)
        XCTAssertEqual(t.core.register(10), 0xFFFF_F834)
        XCTAssertEqual(t.core.register(11), 0xDEAD_BE4F)
        XCTAssertEqual(t.core.register(12), 0xAD)
    }

    /// B<c>.W forward and backward, B.W, 16-bit B.
    func testWideBranches() {
        for r0: UInt32 in [0, 1] {
            let t = TestMachine.thumb { p in
                p.t(0x100, [0x2800])          // cmp r0, #0
                p.t(0x102, [0xF000, 0x8001])  // beq.w 0x108
                p.t(0x106, [0x2101])          // movs r1, #1
                p.t(0x108, [0xF040, 0x8001])  // bne.w 0x10e
                p.t(0x10C, [0x2202])          // movs r2, #2
                p.t(0x10E, [0xF000, 0xB877])  // b.w 0x200
                p.t(0x112, [0x2303])          // movs r3, #3
                p.t(0x180, [0x2404])          // movs r4, #4
                p.t(0x182, [0xE7FE])          // b.n 0x182
                p.t(0x200, [0xF73F, 0xAFBE])  // bgt.w 0x180
                p.t(0x204, [0x2505])          // movs r5, #5
                p.t(0x206, [0xE7BB])          // b.n 0x180
            }
            t.core.setRegister(0, r0)
            t.run(10)
            XCTAssertEqual(t.core.pc, base + 0x182)
            XCTAssertEqual(t.core.register(1), r0 == 0 ? 0 : 1)
            XCTAssertEqual(t.core.register(2), r0 == 0 ? 2 : 0)
            XCTAssertEqual(t.core.register(3), 0)
            XCTAssertEqual(t.core.register(4), 4)
            XCTAssertEqual(t.core.register(5), 0, "MOVS r1/r2 cleared Z, so BGT.W is taken either way")
        }
    }

    /// Loads and stores: unprivileged forms, shifted halfword register forms,
    /// LDRD/STRD with writeback and any Rt2, post-indexing, exclusives with
    /// offset and doubleword, STMDB/LDMIA.W.
    func testLoadStoreClasses() {
        let t = TestMachine.thumb { p in
            p.t(0x100, [0xF841, 0x0E04])  // strt r0, [r1, #4]
            p.t(0x104, [0xF931, 0x2013])  // ldrsh.w r2, [r1, r3, lsl #1]
            p.t(0x108, [0xF821, 0x0023])  // strh.w r0, [r1, r3, lsl #2]
            p.t(0x10C, [0xE9F1, 0x4502])  // ldrd r4, r5, [r1, #8]!
            p.t(0x110, [0xE861, 0x4602])  // strd r4, r6, [r1], #-8
            p.t(0x114, [0xF851, 0x7B04])  // ldr.w r7, [r1], #4
            p.t(0x118, [0xF811, 0x8E03])  // ldrbt r8, [r1, #3]
            p.t(0x11C, [0xE851, 0x9F03])  // ldrex r9, [r1, #12]
            p.t(0x120, [0xE841, 0x0A03])  // strex r10, r0, [r1, #12]
            p.t(0x124, [0xE8D6, 0x477F])  // ldrexd r4, r7, [r6]
            p.t(0x128, [0xE8C6, 0x027B])  // strexd r11, r0, r2, [r6]
            p.t(0x12C, [0xE92D, 0x0205])  // stmdb sp!, {r0, r2, r9}
            p.t(0x130, [0xE8BD, 0x0038])  // ldmia.w sp!, {r3, r4, r5}
            p.a(0x800, 0x0BAD_F00D)
            p.a(0x80C, 0x1234_5678)
            p.a(0x810, 0x7777_7777)
            p.a(0x900, 0x1111_2222)
            p.a(0x904, 0x3333_4444)
        }
        let d = base + 0x800, e = base + 0x900, sp = base + 0xC00
        t.core.setRegister(0, 0xAABB_CCDD); t.core.setRegister(1, d); t.core.setRegister(3, 2)
        t.core.setRegister(6, e); t.core.setRegister(13, sp)
        t.run(8)
        XCTAssertEqual(t.word(d + 4), 0xAABB_CCDD, "STRT")
        XCTAssertEqual(t.core.register(2), 0xFFFF_CCDD, "LDRSH [r1, r3, LSL #1]")
        XCTAssertEqual(t.word(d + 8), 0xCCDD, "STRH [r1, r3, LSL #2], then STRD")
        XCTAssertEqual(t.core.register(5), 0x1234_5678, "LDRD second word")
        XCTAssertEqual(t.word(d + 12), e, "STRD stored Rt2 = r6")
        XCTAssertEqual(t.core.register(7), 0x0BAD_F00D, "post-indexed LDR")
        XCTAssertEqual(t.core.register(1), d + 4, "post-index writeback")
        XCTAssertEqual(t.core.register(8), 0xAA, "LDRBT [r1, #3], no writeback")
        t.run(2)
        XCTAssertEqual(t.core.register(9), 0x7777_7777)
        XCTAssertEqual(t.core.register(10), 0, "STREX succeeded")
        XCTAssertEqual(t.word(d + 16), 0xAABB_CCDD)
        t.run(2)
        XCTAssertEqual(t.core.register(4), 0x1111_2222)
        XCTAssertEqual(t.core.register(7), 0x3333_4444)
        XCTAssertEqual(t.core.register(11), 0, "STREXD succeeded")
        XCTAssertEqual(t.word(e), 0xAABB_CCDD)
        XCTAssertEqual(t.word(e + 4), 0xFFFF_CCDD)
        t.run(2)
        XCTAssertEqual(t.core.register(3), 0xAABB_CCDD)
        XCTAssertEqual(t.core.register(4), 0xFFFF_CCDD)
        XCTAssertEqual(t.core.register(5), 0x7777_7777)
        XCTAssertEqual(t.core.register(13), sp)
    }

    /// Multiplies, long multiplies and divides.
    func testMultiplyClasses() {
        let t = TestMachine.thumb { p in
            p.t(0x100, [0xFB01, 0xF002])  // mul.w r0, r1, r2
            p.t(0x104, [0x434B])          // muls r3, r1, r3
            p.t(0x106, [0xFB01, 0x0402])  // mla r4, r1, r2, r0
            p.t(0x10A, [0xFB81, 0x5602])  // smull r5, r6, r1, r2
            p.t(0x10E, [0xFB91, 0xF7F2])  // sdiv r7, r1, r2
            p.t(0x112, [0xFBB1, 0xF8F2])  // udiv r8, r1, r2
            p.t(0x116, [0xFB11, 0x0902])  // smlabb r9, r1, r2, r0
            p.t(0x11A, [0xFBE1, 0xAB62])  // umaal r10, r11, r1, r2
        }
        t.core.setRegister(1, UInt32(bitPattern: -6)); t.core.setRegister(2, 4); t.core.setRegister(3, 3)
        t.core.setRegister(10, 1); t.core.setRegister(11, 2)
        t.run(8)
        XCTAssertEqual(t.core.register(0), UInt32(bitPattern: -24))
        XCTAssertEqual(t.core.register(3), UInt32(bitPattern: -18))
        XCTAssertEqual(t.core.cpsr >> 31, 1, "MULS sets N outside IT")
        XCTAssertEqual(t.core.register(4), UInt32(bitPattern: -48))
        XCTAssertEqual(t.core.register(5), UInt32(bitPattern: -24))
        XCTAssertEqual(t.core.register(6), 0xFFFF_FFFF)
        XCTAssertEqual(t.core.register(7), 0xFFFF_FFFF)
        XCTAssertEqual(t.core.register(8), 0x3FFF_FFFE)
        XCTAssertEqual(t.core.register(9), UInt32(bitPattern: -48))
        XCTAssertEqual(t.core.register(10), 0xFFFF_FFEB)
        XCTAssertEqual(t.core.register(11), 3)
    }

    /// 16-bit PUSH/POP and SP arithmetic, extends, REV, coprocessor (MRC
    /// MIDR), CPS, MRS, barriers.
    func testMiscellaneousClasses() {
        let t = TestMachine.thumb { p in
            p.t(0x100, [0xB510])          // push {r4, lr}
            p.t(0x102, [0xB082])          // sub sp, #8
            p.t(0x104, [0xA801])          // add r0, sp, #4
            p.t(0x106, [0xB211])          // sxth r1, r2
            p.t(0x108, [0xBA13])          // rev r3, r2
            p.t(0x10A, [0xFA3F, 0xF892])  // uxtb16 r8, r2, ror #8
            p.t(0x10E, [0xEE10, 0x5F10])  // mrc p15, 0, r5, c0, c0, 0
            p.t(0x112, [0xB672])          // cpsid i
            p.t(0x114, [0xF3EF, 0x8600])  // mrs r6, CPSR
            p.t(0x118, [0xB662])          // cpsie i
            p.t(0x11A, [0xF3BF, 0x8F5B])  // dmb ish
            p.t(0x11E, [0xF3BF, 0x8F6F])  // isb sy
            p.t(0x122, [0xB002])          // add sp, #8
            p.t(0x124, [0xBC90])          // pop {r4, r7}
        }
        let sp = base + 0xC00
        t.core.setRegister(13, sp); t.core.setRegister(4, 0x44); t.core.setRegister(14, 0xEE)
        t.core.setRegister(2, 0x0001_8001)
        t.core.writeCPSR(0x13 | PSR.t, mask: 0xFFFF_FFFF, exceptionReturn: true)   // SVC, interrupts enabled
        t.run(14)
        XCTAssertEqual(t.core.register(0), sp - 12)
        XCTAssertEqual(t.core.register(1), 0xFFFF_8001)
        XCTAssertEqual(t.core.register(3), 0x0180_0100)
        XCTAssertEqual(t.core.register(8), 0x80)
        XCTAssertEqual(t.core.register(5), CortexA15ID.midr)
        XCTAssertEqual(t.core.register(6) & 0x80, 0x80, "CPSID i")
        XCTAssertEqual(t.core.cpsr & 0x80, 0, "CPSIE i")
        XCTAssertEqual(t.core.register(4), 0x44)
        XCTAssertEqual(t.core.register(7), 0xEE)
        XCTAssertEqual(t.core.register(13), sp)
        XCTAssertEqual(t.word(sp - 4), 0xEE)
    }

    /// SRSDB / RFEIA round trip from Thumb.
    func testSRSAndRFE() {
        let t = TestMachine.thumb { p in
            p.t(0x100, [0xE82D, 0xC013])  // srsdb sp!, #19
            p.t(0x104, [0xE9BD, 0xC000])  // rfeia sp!
            p.t(0x180, [0xBF00])          // nop
        }
        let sp = base + 0xC00
        t.core.setRegister(13, sp)
        t.core.setRegister(14, base + 0x180)
        t.core.setSavedPSR(of: .supervisor, 0x8000_003F)   // System, Thumb, N
        t.run(1)
        XCTAssertEqual(t.word(sp - 8), base + 0x180)
        XCTAssertEqual(t.word(sp - 4), 0x8000_003F)
        t.run(1)
        XCTAssertEqual(t.core.mode, .system)
        XCTAssertTrue(t.core.thumb)
        XCTAssertEqual(t.core.pc, base + 0x180)
        XCTAssertEqual(t.core.cpsr & 0xF000_00FF, 0x8000_003F)
        XCTAssertEqual(t.core.bankedRegister(13, mode: .supervisor), sp)
    }

    /// Exception-generating instructions: HVC (Hyp entry with imm16 and
    /// IL = 1), 16-bit UDF (LR = pc + 2), BKPT, 16-bit WFI (stops the run,
    /// PC advanced by 2), 16-bit SVC (LR = pc + 2), 32-bit UDF.
    func testExceptionGeneratingInstructions() {
        func machine(_ start: UInt32) -> TestMachine {
            let t = TestMachine.thumb(start: start) { p in
                p.t(0x180, [0xBF00])          // nop
                p.t(0x182, [0xF7E1, 0x8234])  // hvc #0x1234
                p.t(0x186, [0xDE07])          // udf #7
                p.t(0x188, [0xBE03])          // bkpt 3
                p.t(0x18A, [0xBF30])          // wfi
                p.t(0x18C, [0xDF09])          // svc 9
                p.t(0x18E, [0xF7F0, 0xA000])  // udf.w #0
            }
            t.core.sys.hvbar = TestMachine.ramBase + 0x800
            return t
        }
        var t = machine(0x180)
        t.run(2)
        XCTAssertEqual(t.core.mode, .hyp)
        XCTAssertEqual(t.core.sys.hsr, 0x12 << 26 | 1 << 25 | 0x1234)
        XCTAssertEqual(t.core.elrHyp, base + 0x186)

        t = machine(0x186)
        t.run(1)
        XCTAssertEqual(t.core.mode, .undefined)
        XCTAssertEqual(t.core.register(14), base + 0x188)

        t = machine(0x188)
        t.run(1)
        XCTAssertEqual(t.core.mode, .abort)
        XCTAssertEqual(t.core.pc, base + 0x0C)
        XCTAssertEqual(t.core.register(14), base + 0x18C)

        t = machine(0x18A)
        XCTAssertEqual(t.run(5), .waitForInterrupt)
        XCTAssertEqual(t.core.pc, base + 0x18C)

        t = machine(0x18C)
        t.run(1)
        XCTAssertEqual(t.core.mode, .supervisor)
        XCTAssertEqual(t.core.pc, base + 0x08)
        XCTAssertEqual(t.core.register(14), base + 0x18E)

        t = machine(0x18E)
        t.run(1)
        XCTAssertEqual(t.core.mode, .undefined)
        XCTAssertEqual(t.core.register(14), base + 0x190, "32-bit UDF: LR = address + 2")
    }

    /// A 16-bit WFI trapped to Hyp by HCR.TWI reports IL = 0; a 32-bit one IL = 1.
    func testTrappedWFIReportsInstructionLength() {
        for (hws, il) in [([UInt16(0xBF30)], UInt32(0)), ([0xF3AF, 0x8003], 1)] {   // wfi ; wfi.w
            let t = TestMachine.thumb { p in p.t(0x100, hws) }
            t.core.sys.hvbar = base + 0x800
            t.core.sys.hcr |= HCR.twi
            t.run(1)
            XCTAssertEqual(t.core.mode, .hyp)
            XCTAssertEqual(t.core.sys.hsr >> 26, 0x01)
            XCTAssertEqual((t.core.sys.hsr >> 25) & 1, il)
            XCTAssertEqual(t.core.elrHyp, base + 0x100)
        }
    }

    /// Undefined and UNPREDICTABLE-as-UNDEFINED encodings.
    func testUndefinedEncodings() {
        let cases: [[UInt16]] = [
            [0xB700],            // unallocated 16-bit miscellaneous
            [0xBA80],            // 1011 1010 10: unallocated (HLT in ARMv8)
            [0xDE00],            // udf #0
            [0xEA4F, 0x0D0F],    // mov.w sp, pc  (PC as operand)
            [0xF10D, 0x0F01],    // add.w pc, sp, #1 (Rd = PC, S = 0)
            [0xFB0F, 0xF002],    // mul r0, pc, r2
            [0xE9D0, 0x0000],    // ldrd r0, r0, [r0] (Rt == Rt2)
            [0xF7F0, 0xA000],    // udf.w #0
            [0xEE00, 0x0A10],    // vmov s0, r0 (cp10: no VFP yet)
            [0xFC40, 0x0B11],    // mcrr2 p11 ("2" forms)
        ]
        for hws in cases {
            let t = TestMachine.thumb { p in p.t(0x100, hws) }
            t.run(1)
            XCTAssertEqual(t.core.mode, .undefined, hws.map { String($0, radix: 16) }.joined(separator: " "))
            XCTAssertEqual(t.core.register(14), base + 0x102, "Thumb undefined: LR = address + 2")
        }
    }
}
