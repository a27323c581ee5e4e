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
}
