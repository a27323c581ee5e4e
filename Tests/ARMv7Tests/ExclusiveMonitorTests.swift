import XCTest
@testable import ARMv7

/// LDREX/STREX are atomic across host threads sharing guest RAM.
final class ExclusiveMonitorTests: XCTestCase {
    /// loop: ldrex r1,[r0]; add r1,#1; strex r2,r1,[r0]; cmp r2,#0; bne loop; subs r3,#1; bne loop; wfi
    static let incrementLoop: [UInt32] = [0xE190_1F9F, 0xE281_1001, 0xE180_2F91, 0xE352_0000,
                                          0x1AFF_FFFA, 0xE253_3001, 0x1AFF_FFF8, 0xE320_F003]

    func testTwoThreadsIncrementExactly() {
        let memory = PhysicalMemory()
        try! memory.addRAM(base: 0x4000_0000, size: 1 << 20)
        for (i, w) in Self.incrementLoop.enumerated() {
            memory.write(0x4000_0000 + UInt64(i * 4), size: 4, value: UInt64(w))
        }
        let perThread: UInt32 = 1_000_000
        let cores = (0..<2).map { Core(memory: memory, coreID: $0) }
        for c in cores {
            c.setRegister(0, 0x4008_0000)
            c.setRegister(3, perThread)
            c.branch(to: 0x4000_0000, thumb: false)
        }
        let group = DispatchGroup()
        nonisolated(unsafe) let shared = cores
        for i in 0..<2 {
            DispatchQueue.global().async(group: group) {
                while shared[i].run(budget: 1 << 30) != .waitForInterrupt {}
            }
        }
        group.wait()
        XCTAssertEqual(memory.read(0x4008_0000, size: 4), UInt64(2 * perThread))
    }

    func testSTREXWithoutLDREXFailsAndCLREXClears() {
        // strex r2, r1, [r0] ; ldrex r1, [r0] ; clrex ; strex r4, r1, [r0] ; ldrex r1,[r0]; strex r5, r1, [r0]
        let t = TestMachine([0xE180_2F91, 0xE190_1F9F, 0xF57F_F01F, 0xE180_4F91, 0xE190_1F9F, 0xE180_5F91],
                            at: 0x100)
        t.core.setRegister(0, TestMachine.ramBase + 0x800)
        t.run(6)
        XCTAssertEqual(t.core.register(2), 1)
        XCTAssertEqual(t.core.register(4), 1)
        XCTAssertEqual(t.core.register(5), 0)
    }

    func testUnalignedLDREXFaults() {
        let t = TestMachine([0xE190_1F9F], at: 0x100)
        t.core.sys.vbar = TestMachine.ramBase
        t.core.setRegister(0, TestMachine.ramBase + 0x802)
        t.run(1)
        XCTAssertEqual(t.core.mode, .abort)
        XCTAssertEqual(t.core.sys.dfsr & 0x40F, 0x001, "alignment fault")
    }

    /// A store-exclusive of another size than its load-exclusive (UNPREDICTABLE in
    /// the ARM ARM) behaves as on qemu-arm, measured with a static armhf program:
    /// the monitor tags the address, and the store compares the bytes it covers
    /// with the loaded value zero-extended or truncated.
    func testMixedSizeExclusivesMatchQEMU() {
        let ldrex = 0xE190_1F9F as UInt32, ldrexd = 0xE1B0_2F9F as UInt32, ldrexb = 0xE1D0_2F9F as UInt32
        let strex = 0xE180_4F91 as UInt32, strexd = 0xE1A0_4F92 as UInt32
        // (load, store, memory before, r4 expected, memory after) from qemu-arm 7.2.
        let cases: [(UInt32, UInt32, UInt64, UInt32, UInt64)] = [
            (ldrex, strexd, 0x0000_0000_1111_2222, 0, 0x0000_0006_0000_0005),
            (ldrex, strexd, 0x0000_0007_1111_2222, 1, 0x0000_0007_1111_2222),
            (ldrexd, strex, 0x0000_0007_1111_2222, 0, 0x0000_0007_0000_0009),
            (ldrexb, strex, 0x0000_0007_1111_2200, 1, 0x0000_0007_1111_2200),
        ]
        for (load, store, before, status, after) in cases {
            let t = TestMachine([load, store], at: 0x100)
            let data = TestMachine.ramBase + 0x800
            t.write([UInt32(truncatingIfNeeded: before), UInt32(before >> 32)], at: data)
            t.core.setRegister(0, data)
            t.core.setRegister(1, 9)
            t.core.setRegister(2, 5)
            t.core.setRegister(3, 6)
            t.run(2)
            let label = "\(String(load, radix: 16)) then \(String(store, radix: 16))"
            XCTAssertEqual(t.core.register(4), status, label)
            XCTAssertEqual(UInt64(t.word(data)) | UInt64(t.word(data + 4)) << 32, after, label)
        }
    }
}
