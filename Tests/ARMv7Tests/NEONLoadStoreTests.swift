import XCTest
@testable import ARMv7

/// Advanced SIMD element and structure loads/stores (VLD1-VLD4, VST1-VST4:
/// multiple structures, one lane, all lanes) and the core-register transfers
/// (VMOV scalar, VDUP core register), ARM ARM A7.7 and A7.8.
///
/// The tables were produced by running every instruction under
/// `qemu-arm -cpu cortex-a15` (Debian qemu 7.2) in a harness with the same
/// starting state as `outcome(_:offset:bigEndian:)` builds here: a 256-byte
/// buffer holding bytes 0x00-0xFF, r0 = buffer + 64 + offset, r1 = 0x40,
/// r2 = 0xF1E2D3C4, byte j of D k = 0x80 + 8k + j; big-endian cases run
/// `setend be` first. The harness printed what changed (D registers, r0
/// relative to buffer + 64, r1/r2, the buffer's words at their offset from
/// buffer + 64, little-endian), or SIGILL/SIGBUS as UNDEF/BUS (and then
/// nothing may have changed). Two lines differ from QEMU on purpose: a
/// multiple-structure list running past D31 is UNPREDICTABLE; QEMU 7.2 loads
/// the registers that exist, this model makes it UNDEFINED (as QEMU does for
/// the single-structure forms).
final class NEONLoadStoreTests: XCTestCase {
    let base = TestMachine.ramBase
    /// The harness's 256-byte buffer.
    var buffer: UInt32 { base + 0x800 }

    /// A machine at PL1 (SVC) with VFP and Advanced SIMD enabled, code at
    /// +0x100, stopping at any exception (so its syndrome registers can be read
    /// before anything else runs).
    func machine(_ words: [UInt32]) -> TestMachine {
        let t = TestMachine(words, at: 0x100, stopOn: { _ in true })
        t.core.sys.vbar = base
        t.core.sys.hvbar = base + 0x200
        t.core.sys.cpacr = 0x00F0_0000
        t.core.fpexc = FPEXCBit.en
        return t
    }

    /// The byte j of D k in the harness's starting state.
    static func initialD(_ k: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(0x80 + 8 * k + $1) << UInt64(8 * $1) }
    }

    func hex(_ v: UInt64, _ width: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// Runs `word` from the harness's starting state and describes the result
    /// as the harness does.
    /// `warm`: an LDR from the buffer first, so its page is in the software
    /// TLB and the host-memory fast path is taken.
    func outcome(_ word: UInt32, offset: Int, bigEndian: Bool, warm: Bool = false) -> String {
        // setend be ; ldr r3, [r0]
        let words = (bigEndian ? [0xF101_0200] : []) + (warm ? [0xE590_3000] : []) + [word]
        let t = machine(words)
        for j in stride(from: 0, to: 256, by: 4) {
            t.write([UInt32(j) &* 0x0101_0101 &+ 0x0302_0100], at: buffer + UInt32(j))
        }
        for k in 0..<8 { t.core.setVFPDouble(k, Self.initialD(k)) }
        t.core.setRegister(0, buffer + 64 + UInt32(offset))
        t.core.setRegister(1, 0x40)
        t.core.setRegister(2, 0xF1E2_D3C4)
        t.run(words.count)
        if warm {
            XCTAssertNotNil(t.core.neonHostBytes(buffer + 64, count: 32, write: false))
            XCTAssertNotNil(t.core.neonHostBytes(buffer + 64, count: 32, write: true))
        }
        var changes: [String] = []
        for k in 0..<8 where t.core.vfpDouble(k) != Self.initialD(k) {
            changes.append("d\(k)=\(hex(t.core.vfpDouble(k), 16))")
        }
        changes.append("r0=+\(Int(Int32(bitPattern: t.core.register(0) &- (buffer + 64))))")
        if t.core.register(1) != 0x40 { changes.append("r1=\(hex(UInt64(t.core.register(1)), 8))") }
        if t.core.register(2) != 0xF1E2_D3C4 { changes.append("r2=\(hex(UInt64(t.core.register(2)), 8))") }
        for j in stride(from: 0, to: 256, by: 4) {
            let w = t.word(buffer + UInt32(j)), initial = UInt32(j) * 0x0101_0101 &+ 0x0302_0100
            if w != initial { changes.append("m\(j - 64)=\(hex(UInt64(w), 8))") }
        }
        let described = changes.joined(separator: " ")
        guard let event = t.events.first else { return described }
        let unchanged = described == "r0=+\(offset)"
        switch event.kind {
        case .undefined: return unchanged ? "UNDEF" : "UNDEF " + described
        case .dataAbort where t.core.sys.dfsr & 0x40F == 0x001:
            return unchanged ? "BUS" : "BUS " + described
        default: return "\(event.kind) " + described
        }
    }

    func check(_ cases: [(UInt32, Int, Bool, String)], file: StaticString = #filePath, line: UInt = #line) {
        for (word, offset, bigEndian, expected) in cases {
            XCTAssertEqual(outcome(word, offset: offset, bigEndian: bigEndian), expected,
                           "\(hex(UInt64(word), 8)) offset \(offset)\(bigEndian ? " big-endian" : "")",
                           file: file, line: line)
        }
    }

    // MARK: Multiple structures (qemu-arm)

    func testVLD1ToVLD4MultipleStructures() {
        check(Self.multipleLoads)
    }

    func testVST1ToVST4MultipleStructures() {
        check(Self.multipleStores)
    }

    // MARK: Single structures (qemu-arm)

    func testVLDnSingleStructureToOneLane() {
        check(Self.laneLoads)
    }

    func testVSTnSingleStructureFromOneLane() {
        check(Self.laneStores)
    }

    func testVLDnSingleStructureToAllLanes() {
        check(Self.allLanes)
    }

    func testUndefinedLoadStoreEncodings() {
        check(Self.undefinedLoadStores)
    }

    // MARK: Core register transfers (qemu-arm)

    func testVMOVScalarAndVDUPCoreRegister() {
        check(Self.transfers)
    }

    func testUndefinedTransferEncodings() {
        check(Self.undefinedTransfers)
    }

    /// The tables again with the buffer's page already in the software TLB
    /// (an LDR from it first): the host-memory fast path must give the same
    /// results as the translated accessors above.
    func testTablesThroughTheHostFastPath() {
        for cases in [Self.multipleLoads, Self.multipleStores, Self.laneLoads, Self.laneStores, Self.allLanes] {
            for (word, offset, bigEndian, expected) in cases {
                XCTAssertEqual(outcome(word, offset: offset, bigEndian: bigEndian, warm: true), expected,
                               "\(hex(UInt64(word), 8)) offset \(offset)\(bigEndian ? " big-endian" : "")")
            }
        }
    }

    // MARK: Faults (ARM ARM: alignment qualifiers, MemU, abort without writeback)

    func testAlignmentQualifierFaultReportsDFSRAndSkipsWriteback() {
        // vld1.64 {d0-d3}, [r0:256]! with r0 16-byte aligned: the qualifier
        // asks for 32 bytes (ARM ARM: 4 << align). An Alignment fault (DFSR
        // 0b00001) whatever SCTLR.A. (QEMU 7.2 does not check 32-byte
        // alignment; its 8- and 16-byte checks agree, see the tables.)
        let t = machine([0xF420_02FD])
        t.core.setRegister(0, buffer + 0x10)
        t.run(1)
        XCTAssertEqual(t.events.first?.kind, .dataAbort)
        XCTAssertEqual(t.core.sys.dfsr & 0xC0F, 0x001, "alignment fault on a read")
        XCTAssertEqual(t.core.sys.dfar, buffer + 0x10)
        XCTAssertEqual(t.core.register(0), buffer + 0x10, "no writeback")
        XCTAssertEqual(t.core.vfpDouble(0), 0)
        // vst1.64 {d0-d3}, [r0:256]!: the same with WnR (DFSR bit 11).
        let s = machine([0xF400_02FD])
        s.core.setRegister(0, buffer + 0x08)
        s.run(1)
        XCTAssertEqual(s.events.first?.kind, .dataAbort)
        XCTAssertEqual(s.core.sys.dfsr & 0xC0F, 0x801, "alignment fault on a write")
        XCTAssertEqual(s.core.sys.dfar, buffer + 0x08)
        XCTAssertEqual(s.core.register(0), buffer + 0x08, "no writeback")
        XCTAssertEqual(s.word(buffer + 0x08), 0, "nothing stored")
    }

    func testSCTLRAChecksTheElementSizeWithoutQualifier() {
        // SCTLR.A = 1: MemU faults unless the address is a multiple of the
        // element size (bytes never fault).
        let cases: [(UInt32, UInt32, Bool)] = [
            (0xF420_070F, 1, false),   // vld1.8 {d0}, [r0]
            (0xF420_074F, 1, true),    // vld1.16 {d0}, [r0]
            (0xF420_074F, 2, false),
            (0xF420_07CF, 4, true),    // vld1.64 {d0}, [r0]: 8-byte elements
            (0xF420_07CF, 8, false),
            (0xF4A0_0C8F, 2, true),    // vld1.32 {d0[]}, [r0]
            (0xF400_094F, 2, false),   // vst2.16 {d0,d2}, [r0]
            (0xF400_098F, 2, true),    // vst2.32 {d0,d2}, [r0]
        ]
        for (word, offset, faults) in cases {
            let t = machine([word])
            t.core.sys.sctlr |= 2
            t.core.setRegister(0, buffer + offset)
            t.run(1)
            XCTAssertEqual(t.events.first?.kind == .dataAbort, faults, "\(hex(UInt64(word), 8)) at +\(offset)")
            if faults { XCTAssertEqual(t.core.sys.dfsr & 0x40F, 0x001) }
            // The same access with SCTLR.A = 0 is allowed.
            let u = machine([word])
            u.core.setRegister(0, buffer + offset)
            u.run(1)
            XCTAssertTrue(u.events.isEmpty, "\(u.events)")
        }
    }

    func testAbortPartWayLeavesBaseAndRegisters() {
        let end = base + (1 << 20)
        // vld1.64 {d0-d3}, [r0]! reading past the end of RAM: the first two
        // registers' memory exists, the third's does not.
        let t = machine([0xF420_02CD])
        t.core.setRegister(0, end - 16)
        for k in 0..<4 { t.core.setVFPDouble(k, 0x5555_0000 + UInt64(k)) }
        t.run(1)
        XCTAssertEqual(t.events.first?.kind, .dataAbort)
        XCTAssertEqual(t.core.sys.dfar, end)
        XCTAssertEqual(t.core.register(0), end - 16, "no writeback")
        for k in 0..<4 { XCTAssertEqual(t.core.vfpDouble(k), 0x5555_0000 + UInt64(k), "d\(k) not loaded") }
        // vst1.64 {d0-d3}, [r0]! likewise keeps the base.
        let s = machine([0xF400_02CD])
        s.core.setRegister(0, end - 8)
        s.run(1)
        XCTAssertEqual(s.events.first?.kind, .dataAbort)
        XCTAssertEqual(s.core.sys.dfsr & 0x800, 0x800, "WnR")
        XCTAssertEqual(s.core.register(0), end - 8)
    }

    func testStage2FaultOnAStoreGoesToHypWithoutInstructionSyndrome() throws {
        let fx = try MMUFixture()
        fx.mapStage2Blocks([(0x0000_0000, 0x0000_0000, 0b11)])   // IPA 0-2 MiB
        fx.w32(0x8000, 0xF401_0ACD)                            // vst1.64 {d0,d1}, [r1]!
        fx.enableStage2()
        fx.core.sys.cpacr = 0x00F0_0000
        fx.core.fpexc = FPEXCBit.en
        fx.core.pc = 0x8000
        fx.core.r[1] = 0x001F_FFF8                              // d1 lands in the unmapped 2 MiB
        var events: [ExceptionEvent] = []
        fx.core.exceptionHook = { _, e in events.append(e); return true }
        _ = fx.core.run(budget: 1)
        guard case .hyp(_, let hsr)? = events.first?.kind else { return XCTFail("\(events)") }
        XCTAssertEqual(hsr >> 26, 0x24, "data abort from a lower level")
        XCTAssertEqual(hsr & (1 << 24), 0, "ISV = 0: no syndrome for Advanced SIMD stores")
        XCTAssertNotEqual(hsr & (1 << 6), 0, "WnR")
        XCTAssertEqual(fx.core.sys.hdfar, 0x0020_0000)
        XCTAssertEqual(fx.core.r[1], 0x001F_FFF8, "no writeback")
    }

    // MARK: Page crossing, writeback (ARM ARM by hand)

    func testTransfersCrossingAPage() {
        // Bytes j at page - 32 + j. vld1.8 {d0-d3}, [r0] at page - 5 loads
        // 32 consecutive bytes: byte i of d k is 27 + 8k + i.
        let page = base + 0x2000
        func machineWithBytes(_ words: [UInt32]) -> TestMachine {
            let t = machine(words)
            for j in stride(from: 0, to: 64, by: 4) {
                t.write([UInt32(j) &* 0x0101_0101 &+ 0x0302_0100], at: page - 32 + UInt32(j))
            }
            return t
        }
        let t = machineWithBytes([0xF420_020F])
        t.core.setRegister(0, page - 5)
        t.run(1)
        XCTAssertTrue(t.events.isEmpty, "\(t.events)")
        for k in 0..<4 {
            let expected = (0..<8).reduce(UInt64(0)) { $0 | UInt64(27 + 8 * k + $1) << UInt64(8 * $1) }
            XCTAssertEqual(t.core.vfpDouble(k), expected, "d\(k)")
        }
        // Big-endian vld1.16 {d0}, [r0] at page - 3: halfwords (29,30) (31,32)
        // (33,34) (35,36), each read most significant byte first.
        let b = machineWithBytes([0xF101_0200, 0xF420_074F])
        b.core.setRegister(0, page - 3)
        b.run(2)
        XCTAssertEqual(b.core.vfpDouble(0), 0x2324_2122_1F20_1D1E)
        // vst2.8 {d0,d1}, [r0] at page - 7: bytes d0[i], d1[i] alternate.
        let s = machineWithBytes([0xF400_080F])
        s.core.setVFPDouble(0, 0x0706_0504_0302_0100)
        s.core.setVFPDouble(1, 0x1716_1514_1312_1110)
        s.core.setRegister(0, page - 7)
        s.run(1)
        XCTAssertEqual(s.word(page - 8), 0x0110_0018, "byte page - 8 untouched")
        XCTAssertEqual(s.word(page - 4), 0x0312_0211)
        XCTAssertEqual(s.word(page), 0x0514_0413)
        XCTAssertEqual(s.word(page + 4), 0x0716_0615)
        XCTAssertEqual(s.word(page + 8), 0x2B2A_2917, "bytes after the 16 stored untouched")
    }

    func testWritebackForms() {
        // vld1.8 {d0}, [r0], r0: post-indexed by the old Rn.
        let t = machine([0xF420_0700])
        t.core.setRegister(0, 0x4000_0800)
        t.run(1)
        XCTAssertEqual(t.core.register(0), 0x8000_1000)
        // vld1.32 {d0[]}, [r0:32]!: Rm = 13 adds the transfer size (4, not 8).
        let a = machine([0xF4A0_0C9D])
        a.core.setRegister(0, buffer)
        a.run(1)
        XCTAssertEqual(a.core.register(0), buffer + 4)
        // vst4.8 {d0[1],d1[1],d2[1],d3[1]}, [r0:32]!: four bytes.
        let s = machine([0xF480_033D])
        s.core.setRegister(0, buffer)
        s.run(1)
        XCTAssertTrue(s.events.isEmpty, "\(s.events)")
        XCTAssertEqual(s.core.register(0), buffer + 4)
        // vld1.8 {d0}, [pc]!: Rn = PC with writeback is UNPREDICTABLE, UNDEFINED here.
        let p = machine([0xF42F_070D])
        p.run(1)
        XCTAssertEqual(p.events.first?.kind, .undefined)
    }

    // MARK: Transfers and decode (ARM ARM by hand)

    func testScalarTransfersReachTheirCode() {
        // The A7.8 space with coproc = 1011, bit 4 = 1, bits 3:0 = 0000 (any
        // other bits 3:0 are UNDEFINED). 32-bit scalars (U = 0, opc1 = 0x,
        // opc2 = 00) are VFP operations; every other form is Advanced SIMD.
        let decoder = A32Decoder.shared
        for l in 0...1 { for top in 0..<8 { for opc2 in 0..<4 { for nBit in 0...1 {
            let raw = 0xEE00_2B10 | UInt32(top) << 21 | UInt32(l) << 20 | UInt32(nBit) << 7
                | UInt32(opc2) << 5 | 0x0003_0000
            let op = decoder.operation(raw)
            let word32 = top & 0b110 == 0 && opc2 == 0   // bit 23 = 0, opc1 = 0x, opc2 = 00
            if word32 {
                XCTAssertEqual(op, l == 1 ? .vmovScalarToCore : .vmovCoreToScalar, hex(UInt64(raw), 8))
            } else {
                XCTAssertEqual(op, .neonTransfer, hex(UInt64(raw), 8))
            }
            XCTAssertEqual(decoder.operation(raw | 1), .neonTransfer, "bits 3:0 != 0 reach the NEON code (UNDEFINED there)")
            XCTAssertNotEqual(decoder.operation(raw & ~0x100), .neonTransfer, "cp10 is VFP only")
        } } } }
    }

    func testTransfersWithHighRegistersAndConditions() {
        // vmov.8 d17[2], r2 ; vmov.u16 r3, d31[3] ; vdupeq.8 d1, r2 (Z clear: skipped)
        let t = machine([0xEE41_2BD0, 0xEEBF_3BF0, 0x0EC1_2B10])
        t.core.setVFPDouble(17, 0x1111_1111_1111_1111)
        t.core.setVFPDouble(31, 0xFEDC_BA98_7654_3210)
        t.core.setVFPDouble(1, 0x0101)
        t.core.setRegister(2, 0x1234_56AB)
        t.core.writeCPSR(0x0000_0013, mask: 0xF000_0000, exceptionReturn: false)
        t.run(3)
        XCTAssertTrue(t.events.isEmpty, "\(t.events)")
        XCTAssertEqual(t.core.vfpDouble(17), 0x1111_1111_11AB_1111)
        XCTAssertEqual(t.core.register(3), 0xFEDC)
        XCTAssertEqual(t.core.vfpDouble(1), 0x0101, "condition failed")
        // Rt = PC: UNPREDICTABLE, UNDEFINED here (as the 32-bit VFP forms).
        let p = machine([0xEE71_FB30])   // vmov.s8 pc, d1[5]
        p.run(1)
        XCTAssertEqual(p.events.first?.kind, .undefined)
    }

    func testAdvancedSIMDDisabledIsUndefined() {
        // vld1.8 {d0}, [r0] and vdup.8 d1, r2 with FPEXC.EN = 0, then with CPACR.ASEDIS.
        for word: UInt32 in [0xF420_070F, 0xEEC1_2B10] {
            let t = machine([word])
            t.core.setRegister(0, buffer)
            t.core.fpexc = 0
            t.run(1)
            XCTAssertEqual(t.events.first?.kind, .undefined)
            let a = machine([word])
            a.core.setRegister(0, buffer)
            a.core.sys.cpacr |= 1 << 31
            a.run(1)
            XCTAssertEqual(a.events.first?.kind, .undefined)
        }
    }

    // MARK: T32

    func testT32EncodingsRunTheSameCode() {
        // Thumb: vld1.8 {d0}, [r0]! ; vst1.32 {d0}, [r1] ; vdup.8 d1, r2 ;
        // vmov.s8 r3, d0[1] ; vld4.8 {d0[],d1[],d2[],d3[]}, [r0:32]
        let t = machine([0x070D_F920, 0x078F_F901, 0x2B10_EEC1, 0x3B30_EE50, 0x0F1F_F9A0])
        t.core.branch(to: base + 0x100, thumb: true)
        t.write([0x8382_8180, 0x8786_8584, 0x1312_1110], at: buffer)
        t.core.setRegister(0, buffer)
        t.core.setRegister(1, buffer + 0x40)
        t.core.setRegister(2, 0x5A)
        t.run(5)
        XCTAssertTrue(t.events.isEmpty, "\(t.events)")
        XCTAssertEqual(t.core.register(0), buffer + 8)
        XCTAssertEqual(t.word(buffer + 0x40), 0x8382_8180)
        XCTAssertEqual(t.word(buffer + 0x44), 0x8786_8584)
        XCTAssertEqual(t.core.vfpDouble(1), 0x1111_1111_1111_1111, "vld4 to all lanes replaced vdup's d1")
        XCTAssertEqual(t.core.register(3), 0xFFFF_FF81, "sign-extended byte 1 of the loaded d0")
        XCTAssertEqual(t.core.vfpDouble(0), 0x1010_1010_1010_1010)
        XCTAssertEqual(t.core.vfpDouble(3), 0x1313_1313_1313_1313)
        // A T32 VLD1 to a register past D31 is UNDEFINED like the A32 one.
        let u = machine([0xE20F_F960])   // vld1.8 {d30-d33}, [r0]
        u.core.branch(to: base + 0x100, thumb: true)
        u.core.setRegister(0, buffer)
        u.run(1)
        XCTAssertEqual(u.events.first?.kind, .undefined)
    }

    // MARK: Tables from qemu-arm

    static let multipleLoads: [(UInt32, Int, Bool, String)] = [
            (0xF420070F, 0, false, "d0=4746454443424140 r0=+0"),   // vld1.8 {d0}, [r0]
            (0xF4200A4D, 0, false, "d0=4746454443424140 d1=4f4e4d4c4b4a4948 r0=+16"),   // vld1.16 {d0, d1}, [r0]!
            (0xF4200681, 0, false, "d0=4746454443424140 d1=4f4e4d4c4b4a4948 d2=5756555453525150 r0=+64"),   // vld1.32 {d0-d2}, [r0], r1
            (0xF42002FF, 0, false, "d0=4746454443424140 d1=4f4e4d4c4b4a4948 d2=5756555453525150 d3=5f5e5d5c5b5a5958 r0=+0"),   // vld1.64 {d0-d3}, [r0:256]
            (0xF420120F, 3, false, "d1=4a49484746454443 d2=5251504f4e4d4c4b d3=5a59585756555453 d4=6261605f5e5d5c5b r0=+3"),   // vld1.8 {d1-d4}, [r0]
            (0xF4201AEF, 8, false, "BUS"),   // vld1.64 {d1, d2}, [r0:128]
            (0xF4205A9F, 4, false, "BUS"),   // vld1.32 {d5, d6}, [r0:64]
            (0xF420074F, 0, true, "d0=4647444542434041 r0=+0"),   // vld1.16 {d0}, [r0]
            (0xF420078F, 0, true, "d0=4445464740414243 r0=+0"),   // vld1.32 {d0}, [r0]
            (0xF42007CF, 0, true, "d0=4041424344454647 r0=+0"),   // vld1.64 {d0}, [r0]
            (0xF420070F, 0, true, "d0=4746454443424140 r0=+0"),   // vld1.8 {d0}, [r0]
            (0xF420024F, 2, true, "d0=4849464744454243 d1=50514e4f4c4d4a4b d2=5859565754555253 d3=60615e5f5c5d5a5b r0=+2"),   // vld1.16 {d0-d3}, [r0]
            (0xF420080F, 0, false, "d0=4e4c4a4846444240 d1=4f4d4b4947454341 r0=+0"),   // vld2.8 {d0,d1}, [r0]
            (0xF420096F, 0, false, "d0=4d4c494845444140 d2=4f4e4b4a47464342 r0=+0"),   // vld2.16 {d0,d2}, [r0:128]
            (0xF42003BD, 0, false, "d0=4b4a494843424140 d1=5b5a595853525150 d2=4f4e4d4c47464544 d3=5f5e5d5c57565554 r0=+32"),   // vld2.32 {d0-d3}, [r0:256]!
            (0xF420184F, 1, false, "d1=4e4d4a4946454241 d2=504f4c4b48474443 r0=+1"),   // vld2.16 {d1,d2}, [r0]
            (0xF420084F, 0, true, "d0=4c4d484944454041 d1=4e4f4a4b46474243 r0=+0"),   // vld2.16 {d0,d1}, [r0]
            (0xF420038F, 0, true, "d0=48494a4b40414243 d1=58595a5b50515253 d2=4c4d4e4f44454647 d3=5c5d5e5f54555657 r0=+0"),   // vld2.32 {d0-d3}, [r0]
            (0xF420040F, 0, false, "d0=55524f4c49464340 d1=5653504d4a474441 d2=5754514e4b484542 r0=+0"),   // vld3.8 {d0,d1,d2}, [r0]
            (0xF420055D, 0, false, "d0=53524d4c47464140 d2=55544f4e49484342 d4=575651504b4a4544 r0=+24"),   // vld3.16 {d0,d2,d4}, [r0:64]!
            (0xF4201481, 0, false, "d1=4f4e4d4c43424140 d2=5352515047464544 d3=575655544b4a4948 r0=+64"),   // vld3.32 {d1,d2,d3}, [r0], r1
            (0xF420044F, 0, true, "d0=52534c4d46474041 d1=54554e4f48494243 d2=565750514a4b4445 r0=+0"),   // vld3.16 {d0,d1,d2}, [r0]
            (0xF420000F, 0, false, "d0=5c5854504c484440 d1=5d5955514d494541 d2=5e5a56524e4a4642 d3=5f5b57534f4b4743 r0=+0"),   // vld4.8 {d0-d3}, [r0]
            (0xF420017F, 0, false, "d0=5958515049484140 d2=5b5a53524b4a4342 d4=5d5c55544d4c4544 d6=5f5e57564f4e4746 r0=+0"),   // vld4.16 {d0,d2,d4,d6}, [r0:256]
            (0xF42010AD, 0, false, "d1=5352515043424140 d2=5756555447464544 d3=5b5a59584b4a4948 d4=5f5e5d5c4f4e4d4c r0=+32"),   // vld4.32 {d1-d4}, [r0:128]!
            (0xF420004F, 0, true, "d0=5859505148494041 d1=5a5b52534a4b4243 d2=5c5d54554c4d4445 d3=5e5f56574e4f4647 r0=+0"),   // vld4.16 {d0-d3}, [r0]
            (0xF420001F, 4, false, "BUS"),   // vld4.8 {d0-d3}, [r0:64]
    ]

    static let multipleStores: [(UInt32, Int, Bool, String)] = [
            (0xF400070F, 0, false, "r0=+0 m0=83828180 m4=87868584"),   // vst1.8 {d0}, [r0]
            (0xF4000A4D, 0, false, "r0=+16 m0=83828180 m4=87868584 m8=8b8a8988 m12=8f8e8d8c"),   // vst1.16 {d0,d1}, [r0]!
            (0xF4000681, 0, false, "r0=+64 m0=83828180 m4=87868584 m8=8b8a8988 m12=8f8e8d8c m16=93929190 m20=97969594"),   // vst1.32 {d0-d2}, [r0], r1
            (0xF40002FF, 0, false, "r0=+0 m0=83828180 m4=87868584 m8=8b8a8988 m12=8f8e8d8c m16=93929190 m20=97969594 m24=9b9a9998 m28=9f9e9d9c"),   // vst1.64 {d0-d3}, [r0:256]
            (0xF400120F, 3, false, "r0=+3 m0=88424140 m4=8c8b8a89 m8=908f8e8d m12=94939291 m16=98979695 m20=9c9b9a99 m24=a09f9e9d m28=a4a3a2a1 m32=63a7a6a5"),   // vst1.8 {d1-d4}, [r0]
            (0xF4000A9F, 4, false, "BUS"),   // vst1.32 {d0,d1}, [r0:64]
            (0xF400074F, 0, true, "r0=+0 m0=82838081 m4=86878485"),   // vst1.16 {d0}, [r0]
            (0xF4000ACF, 0, true, "r0=+0 m0=84858687 m4=80818283 m8=8c8d8e8f m12=88898a8b"),   // vst1.64 {d0,d1}, [r0]
            (0xF400028F, 1, true, "r0=+1 m0=81828340 m4=85868780 m8=898a8b84 m12=8d8e8f88 m16=9192938c m20=95969790 m24=999a9b94 m28=9d9e9f98 m32=6362619c"),   // vst1.32 {d0-d3}, [r0]
            (0xF400080F, 0, false, "r0=+0 m0=89818880 m4=8b838a82 m8=8d858c84 m12=8f878e86"),   // vst2.8 {d0,d1}, [r0]
            (0xF400094F, 0, false, "r0=+0 m0=91908180 m4=93928382 m8=95948584 m12=97968786"),   // vst2.16 {d0,d2}, [r0]
            (0xF400038D, 0, false, "r0=+32 m0=83828180 m4=93929190 m8=87868584 m12=97969594 m16=8b8a8988 m20=9b9a9998 m24=8f8e8d8c m28=9f9e9d9c"),   // vst2.32 {d0-d3}, [r0]!
            (0xF400084F, 0, true, "r0=+0 m0=88898081 m4=8a8b8283 m8=8c8d8485 m12=8e8f8687"),   // vst2.16 {d0,d1}, [r0]
            (0xF400040F, 0, false, "r0=+0 m0=81908880 m4=8a829189 m8=938b8392 m12=85948c84 m16=8e86958d m20=978f8796"),   // vst3.8 {d0-d2}, [r0]
            (0xF400054F, 0, false, "r0=+0 m0=91908180 m4=8382a1a0 m8=a3a29392 m12=95948584 m16=8786a5a4 m20=a7a69796"),   // vst3.16 {d0,d2,d4}, [r0]
            (0xF4001481, 0, true, "r0=+64 m0=88898a8b m4=90919293 m8=98999a9b m12=8c8d8e8f m16=94959697 m20=9c9d9e9f"),   // vst3.32 {d1-d3}, [r0], r1
            (0xF400000F, 0, false, "r0=+0 m0=98908880 m4=99918981 m8=9a928a82 m12=9b938b83 m16=9c948c84 m20=9d958d85 m24=9e968e86 m28=9f978f87"),   // vst4.8 {d0-d3}, [r0]
            (0xF400014F, 0, false, "r0=+0 m0=91908180 m4=b1b0a1a0 m8=93928382 m12=b3b2a3a2 m16=95948584 m20=b5b4a5a4 m24=97968786 m28=b7b6a7a6"),   // vst4.16 {d0,d2,d4,d6}, [r0]
            (0xF400008F, 0, true, "r0=+0 m0=80818283 m4=88898a8b m8=90919293 m12=98999a9b m16=84858687 m20=8c8d8e8f m24=94959697 m28=9c9d9e9f"),   // vst4.32 {d0-d3}, [r0]
    ]

    static let laneLoads: [(UInt32, Int, Bool, String)] = [
            (0xF4A0006F, 0, false, "d0=8786858440828180 r0=+0"),   // vld1.8 {d0[3]}, [r0]
            (0xF4A0149D, 0, false, "d1=8f8e41408b8a8988 r0=+2"),   // vld1.16 {d1[2]}, [r0:16]!
            (0xF4A028B1, 0, false, "d2=4342414093929190 r0=+64"),   // vld1.32 {d2[1]}, [r0:32], r1
            (0xF4A0149F, 1, false, "BUS"),   // vld1.16 {d1[2]}, [r0:16]
            (0xF4A0288F, 2, false, "d2=4544434293929190 r0=+2"),   // vld1.32 {d2[1]}, [r0]
            (0xF4A014CF, 0, true, "d1=40418d8c8b8a8988 r0=+0"),   // vld1.16 {d1[3]}, [r0]
            (0xF4A0180F, 0, true, "d1=8f8e8d8c40414243 r0=+0"),   // vld1.32 {d1[0]}, [r0]
            (0xF4A001BF, 0, false, "d0=8786408483828180 d1=8f8e418c8b8a8988 r0=+0"),   // vld2.8 {d0[5],d1[5]}, [r0:16]
            (0xF4A0056D, 0, false, "d0=8786858441408180 d2=9796959443429190 r0=+4"),   // vld2.16 {d0[1],d2[1]}, [r0]!
            (0xF4A0099F, 0, false, "d0=4342414083828180 d1=474645448b8a8988 r0=+0"),   // vld2.32 {d0[1],d1[1]}, [r0:64]
            (0xF4A0094F, 0, true, "d0=8786858440414243 d2=9796959444454647 r0=+0"),   // vld2.32 {d0[0],d2[0]}, [r0]
            (0xF4A0055F, 2, false, "BUS"),   // vld2.16 {d0[1],d1[1]}, [r0:32]
            (0xF4A002EF, 0, false, "d0=4086858483828180 d1=418e8d8c8b8a8988 d2=4296959493929190 r0=+0"),   // vld3.8 {d0[7],d1[7],d2[7]}, [r0]
            (0xF4A006ED, 0, false, "d0=4140858483828180 d2=4342959493929190 d4=4544a5a4a3a2a1a0 r0=+6"),   // vld3.16 {d0[3],d2[3],d4[3]}, [r0]!
            (0xF4A01A01, 0, false, "d1=8f8e8d8c43424140 d2=9796959447464544 d3=9f9e9d9c4b4a4948 r0=+64"),   // vld3.32 {d1[0],d2[0],d3[0]}, [r0], r1
            (0xF4A0068F, 0, true, "d0=8786404183828180 d1=8f8e42438b8a8988 d2=9796444593929190 r0=+0"),   // vld3.16 {d0[2],d1[2],d2[2]}, [r0]
            (0xF4A0033F, 0, false, "d0=8786858483824080 d1=8f8e8d8c8b8a4188 d2=9796959493924290 d3=9f9e9d9c9b9a4398 r0=+0"),   // vld4.8 {d0[1],d1[1],d2[1],d3[1]}, [r0:32]
            (0xF4A007BF, 0, false, "d0=8786414083828180 d2=9796434293929190 d4=a7a64544a3a2a1a0 d6=b7b64746b3b2b1b0 r0=+0"),   // vld4.16 {d0[2],d2[2],d4[2],d6[2]}, [r0:64]
            (0xF4A00BEF, 0, false, "d0=4342414083828180 d2=4746454493929190 d4=4b4a4948a3a2a1a0 d6=4f4e4d4cb3b2b1b0 r0=+0"),   // vld4.32 {d0[1],d2[1],d4[1],d6[1]}, [r0:128]
            (0xF4A00B1F, 8, false, "d0=878685844b4a4948 d1=8f8e8d8c4f4e4d4c d2=9796959453525150 d3=9f9e9d9c57565554 r0=+8"),   // vld4.32 {d0[0],d1[0],d2[0],d3[0]}, [r0:64]
            (0xF4A00B2F, 8, false, "BUS"),   // vld4.32 {d0[0],d1[0],d2[0],d3[0]}, [r0:128]
            (0xF4A003CF, 0, true, "d0=8740858483828180 d1=8f418d8c8b8a8988 d2=9742959493929190 d3=9f439d9c9b9a9998 r0=+0"),   // vld4.8 {d0[6],d1[6],d2[6],d3[6]}, [r0]
    ]

    static let laneStores: [(UInt32, Int, Bool, String)] = [
            (0xF480006F, 0, false, "r0=+0 m0=43424183"),   // vst1.8 {d0[3]}, [r0]
            (0xF480149D, 0, false, "r0=+2 m0=43428d8c"),   // vst1.16 {d1[2]}, [r0:16]!
            (0xF48028BF, 0, false, "r0=+0 m0=97969594"),   // vst1.32 {d2[1]}, [r0:32]
            (0xF480288F, 0, true, "r0=+0 m0=94959697"),   // vst1.32 {d2[1]}, [r0]
            (0xF48001AF, 0, false, "r0=+0 m0=43428d85"),   // vst2.8 {d0[5],d1[5]}, [r0]
            (0xF480056F, 0, true, "r0=+0 m0=92938283"),   // vst2.16 {d0[1],d2[1]}, [r0]
            (0xF480099F, 0, false, "r0=+0 m0=87868584 m4=8f8e8d8c"),   // vst2.32 {d0[1],d1[1]}, [r0:64]
            (0xF480024F, 0, false, "r0=+0 m0=43928a82"),   // vst3.8 {d0[2],d1[2],d2[2]}, [r0]
            (0xF48006EF, 0, false, "r0=+0 m0=97968786 m4=4746a7a6"),   // vst3.16 {d0[3],d2[3],d4[3]}, [r0]
            (0xF4801A8F, 0, true, "r0=+0 m0=8c8d8e8f m4=94959697 m8=9c9d9e9f"),   // vst3.32 {d1[1],d2[1],d3[1]}, [r0]
            (0xF480038F, 0, false, "r0=+0 m0=9c948c84"),   // vst4.8 {d0[4],d1[4],d2[4],d3[4]}, [r0]
            (0xF48007AF, 0, false, "r0=+0 m0=95948584 m4=b5b4a5a4"),   // vst4.16 {d0[2],d2[2],d4[2],d6[2]}, [r0]
            (0xF4800BED, 0, false, "r0=+16 m0=87868584 m4=97969594 m8=a7a6a5a4 m12=b7b6b5b4"),   // vst4.32 {d0[1],d2[1],d4[1],d6[1]}, [r0:128]!
    ]

    static let allLanes: [(UInt32, Int, Bool, String)] = [
            (0xF4A00C0F, 0, false, "d0=4040404040404040 r0=+0"),   // vld1.8 {d0[]}, [r0]
            (0xF4A00C7D, 0, false, "d0=4140414041404140 d1=4140414041404140 r0=+2"),   // vld1.16 {d0[],d1[]}, [r0:16]!
            (0xF4A02C81, 0, false, "d2=4342414043424140 r0=+64"),   // vld1.32 {d2[]}, [r0], r1
            (0xF4A02CBF, 2, false, "BUS"),   // vld1.32 {d2[],d3[]}, [r0:32]
            (0xF4A00C4F, 0, true, "d0=4041404140414041 r0=+0"),   // vld1.16 {d0[]}, [r0]
            (0xF4A00C8F, 0, true, "d0=4041424340414243 r0=+0"),   // vld1.32 {d0[]}, [r0]
            (0xF4A00D0F, 0, false, "d0=4040404040404040 d1=4141414141414141 r0=+0"),   // vld2.8 {d0[],d1[]}, [r0]
            (0xF4A00D7F, 0, false, "d0=4140414041404140 d2=4342434243424342 r0=+0"),   // vld2.16 {d0[],d2[]}, [r0:32]
            (0xF4A00D9D, 0, false, "d0=4342414043424140 d1=4746454447464544 r0=+8"),   // vld2.32 {d0[],d1[]}, [r0:64]!
            (0xF4A00D4F, 0, true, "d0=4041404140414041 d1=4243424342434243 r0=+0"),   // vld2.16 {d0[],d1[]}, [r0]
            (0xF4A00E0F, 0, false, "d0=4040404040404040 d1=4141414141414141 d2=4242424242424242 r0=+0"),   // vld3.8 {d0[],d1[],d2[]}, [r0]
            (0xF4A00EAD, 0, false, "d0=4342414043424140 d2=4746454447464544 d4=4b4a49484b4a4948 r0=+12"),   // vld3.32 {d0[],d2[],d4[]}, [r0]!
            (0xF4A00E4F, 0, true, "d0=4041404140414041 d1=4243424342434243 d2=4445444544454445 r0=+0"),   // vld3.16 {d0[],d1[],d2[]}, [r0]
            (0xF4A00F1F, 0, false, "d0=4040404040404040 d1=4141414141414141 d2=4242424242424242 d3=4343434343434343 r0=+0"),   // vld4.8 {d0[],d1[],d2[],d3[]}, [r0:32]
            (0xF4A00F7F, 0, false, "d0=4140414041404140 d2=4342434243424342 d4=4544454445444544 d6=4746474647464746 r0=+0"),   // vld4.16 {d0[],d2[],d4[],d6[]}, [r0:64]
            (0xF4A00F9F, 0, false, "d0=4342414043424140 d1=4746454447464544 d2=4b4a49484b4a4948 d3=4f4e4d4c4f4e4d4c r0=+0"),   // vld4.32 {d0[],d1[],d2[],d3[]}, [r0:64]
            (0xF4A00FDF, 0, false, "d0=4342414043424140 d1=4746454447464544 d2=4b4a49484b4a4948 d3=4f4e4d4c4f4e4d4c r0=+0"),   // vld4.32 {d0[],d1[],d2[],d3[]}, [r0:128]
            (0xF4A00FDF, 8, false, "BUS"),   // vld4.32 {d0[],d1[],d2[],d3[]}, [r0:128]
            (0xF4A00F4F, 0, true, "d0=4041404140414041 d1=4243424342434243 d2=4445444544454445 d3=4647464746474647 r0=+0"),   // vld4.16 {d0[],d1[],d2[],d3[]}, [r0]
    ]

    static let undefinedLoadStores: [(UInt32, Int, Bool, String)] = [
            (0xF4200B0F, 0, false, "UNDEF"),   // multiple structures, type 1011
            (0xF420072F, 0, false, "UNDEF"),   // VLD1 one register, align = 10
            (0xF42008CF, 0, false, "UNDEF"),   // VLD2 size = 11
            (0xF42004CF, 0, false, "UNDEF"),   // VLD3 size = 11
            (0xF420042F, 0, false, "UNDEF"),   // VLD3 align = 10
            (0xF42000CF, 0, false, "UNDEF"),   // VLD4 size = 11
            (0xF460E20F, 0, false, "UNDEF"),   // VLD1 {d30-d33}: past D31 (qemu-arm 7.2 loads D30, D31 and drops the rest)
            (0xF460D00F, 0, false, "UNDEF"),   // VLD4 {d29-d32}: past D31 (likewise)
            (0xF4800C0F, 0, false, "UNDEF"),   // VST to all lanes (no such store)
            (0xF4A0081F, 0, false, "UNDEF"),   // VLD1.32 lane, index_align = 0001
            (0xF4A00CCF, 0, false, "UNDEF"),   // VLD1 all lanes, size = 11
            (0xF4A00C1F, 0, false, "UNDEF"),   // VLD1.8 all lanes, a = 1
            (0xF4A00E1F, 0, false, "UNDEF"),   // VLD3 all lanes, a = 1
            (0xF4A00FCF, 0, false, "UNDEF"),   // VLD4 all lanes, size = 11, a = 0
            (0xF4A0092F, 0, false, "UNDEF"),   // VLD2.32 lane, index_align<1> = 1
            (0xF4A0021F, 0, false, "UNDEF"),   // VLD3.8 lane, index_align<0> = 1
            (0xF4A00B3F, 0, false, "UNDEF"),   // VLD4.32 lane, index_align<1:0> = 11
            (0xF4E0F10F, 0, false, "UNDEF"),   // VLD2.8 lane {d31, d32}: past D31
    ]

    static let transfers: [(UInt32, Int, Bool, String)] = [
            (0xEE712B30, 0, false, "r0=+0 r2=ffffff8d"),   // vmov.s8 r2, d1[5]
            (0xEEF12B70, 0, false, "r0=+0 r2=0000008f"),   // vmov.u8 r2, d1[7]
            (0xEE312B70, 0, false, "r0=+0 r2=ffff8f8e"),   // vmov.s16 r2, d1[3]
            (0xEE922B70, 0, false, "r0=+0 r2=00009392"),   // vmov.u16 r2, d2[1]
            (0xEE312B10, 0, false, "r0=+0 r2=8f8e8d8c"),   // vmov.32 r2, d1[1]
            (0xEE612B50, 0, false, "d1=8fc48d8c8b8a8988 r0=+0"),   // vmov.8 d1[6], r2
            (0xEE012B70, 0, false, "d1=8f8e8d8cd3c48988 r0=+0"),   // vmov.16 d1[1], r2
            (0xEE032B10, 0, false, "d3=9f9e9d9cf1e2d3c4 r0=+0"),   // vmov.32 d3[0], r2
            (0xEEC12B10, 0, false, "d1=c4c4c4c4c4c4c4c4 r0=+0"),   // vdup.8 d1, r2
            (0xEEA22B30, 0, false, "d2=d3c4d3c4d3c4d3c4 d3=d3c4d3c4d3c4d3c4 r0=+0"),   // vdup.16 q1, r2
            (0xEEA42B10, 0, false, "d4=f1e2d3c4f1e2d3c4 d5=f1e2d3c4f1e2d3c4 r0=+0"),   // vdup.32 q2, r2
            (0xEE852B10, 0, false, "d5=f1e2d3c4f1e2d3c4 r0=+0"),   // vdup.32 d5, r2
    ]

    static let undefinedTransfers: [(UInt32, Int, Bool, String)] = [
            (0xEEC12B30, 0, false, "UNDEF"),   // VDUP, B:E = 11
            (0xEEA32B30, 0, false, "UNDEF"),   // VDUP.16 Q with odd Vd
            (0xEEB12B10, 0, false, "UNDEF"),   // VMOV.U32 r2, d1[1]
            (0xEE312B11, 0, false, "UNDEF"),   // VMOV.32 r2, d1[1] with bits 3:0 = 0001
            (0xEE712B31, 0, false, "UNDEF"),   // VMOV.S8 r2, d1[5] with bits 3:0 = 0001
            (0xEEC12B50, 0, false, "UNDEF"),   // VDUP with bit 6 set
            (0xEE312B50, 0, false, "UNDEF"),   // VMOV scalar to core, opc1:opc2 = 0x10
            (0xEE012B50, 0, false, "UNDEF"),   // VMOV core to scalar, opc1:opc2 = 0x10
            (0xEE612B51, 0, false, "UNDEF"),   // VMOV.8 d1[6], r2 with bits 3:0 = 0001
    ]
}
