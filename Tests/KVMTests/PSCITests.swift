import XCTest
import ARMv7
@testable import KVM
@testable import Hyp

/// PSCI 1.0 power management through HVC, checked against the PSCI
/// specification's return codes (DEN0022: SUCCESS 0, INVALID_PARAMETERS -2,
/// ALREADY_ON -4; AFFINITY_INFO ON 0, OFF 1, ON_PENDING 2). A CPU_ON racing
/// an accepted one gets ALREADY_ON, as from KVM (PSCI also allows ON_PENDING).
final class PSCITests: XCTestCase {
    /// hvc #0 (the PSCI call), then hvc #0 again so the VMM sees r0 (the result).
    static let caller: [UInt32] = [0xE140_0070, 0xE140_0070]
    static let cpuOn: UInt32 = 0x8400_0003, affinityInfo: UInt32 = 0x8400_0004, cpuOff: UInt32 = 0x8400_0002

    /// Runs one PSCI call on `v` and returns r0 afterwards.
    private static func call(_ v: VCPU, _ function: UInt32, _ a1: UInt32 = 0, _ a2: UInt32 = 0, _ a3: UInt32 = 0) throws -> UInt32 {
        v.resetCoreRegisters()
        v.set(.pc, UInt32(TestVM.ramBase))
        for (i, x) in [function, a1, a2, a3].enumerated() { v.set(.core(i), x) }
        guard case .hypercall(let result, _) = try v.run() else { XCTFail("no exit after the PSCI call"); return 0 }
        return result
    }

    func testCPUOnOnPendingAlreadyOnAndOff() throws {
        let t = try TestVM(Self.caller, vcpus: 3)
        let v = t.vcpus
        v[1].power = .on
        // The secondary's entry: hvc #0 with r0 = the context id, in Thumb state (bit 0 of the entry).
        t.slot.pointer.storeBytes(of: UInt16(0xF7E0), toByteOffset: 0x100, as: UInt16.self)   // hvc #0 (T32, first half)
        t.slot.pointer.storeBytes(of: UInt16(0x8000), toByteOffset: 0x102, as: UInt16.self)   // hvc #0 (second half)
        let entry = UInt32(TestVM.ramBase) + 0x100 | 1
        XCTAssertEqual(try Self.call(v[0], Self.affinityInfo, 2), 1, "VCPU 2 starts OFF")
        XCTAssertEqual(try Self.call(v[0], Self.cpuOn, 2, entry, 0xC0FFEE), 0, "SUCCESS")
        XCTAssertEqual(try Self.call(v[1], Self.cpuOn, 2, entry, 0xBAD), UInt32(bitPattern: -4),
                       "ALREADY_ON while the first CPU_ON is pending (as KVM answers)")
        XCTAssertEqual(try Self.call(v[1], Self.affinityInfo, 2), 2, "AFFINITY_INFO says ON_PENDING")
        guard case .hypercall(let contextID, _) = try v[2].run() else { return XCTFail() }
        XCTAssertEqual(contextID, 0xC0FFEE, "the first caller's context id in r0")
        XCTAssertNotEqual(v[2].reg(.cpsr) & PSR.t, 0, "entered in Thumb state")
        XCTAssertEqual(v[2].reg(.cpsr) & 0x1F, ProcessorMode.supervisor.rawValue)
        XCTAssertEqual(try Self.call(v[1], Self.cpuOn, 2, entry, 0), UInt32(bitPattern: -4), "ALREADY_ON")
        XCTAssertEqual(try Self.call(v[0], Self.affinityInfo, 2), 0, "ON")
        XCTAssertEqual(try Self.call(v[0], Self.cpuOn, 7, entry, 0), UInt32(bitPattern: -2), "no such CPU")
        // CPU_OFF: the VCPU stops; its run() sleeps until a kick.
        v[2].resetCoreRegisters()
        v[2].set(.pc, UInt32(TestVM.ramBase))
        v[2].set(.core(0), Self.cpuOff)
        let done = expectation(description: "CPU_OFF parks the VCPU")
        let off = v[2]
        Thread {
            if case .interrupted = try? off.run() { done.fulfill() }
        }.start()
        while try Self.call(v[0], Self.affinityInfo, 2) != 1 { usleep(1000) }
        off.kick()
        wait(for: [done], timeout: 5)
        XCTAssertEqual(try Self.call(v[0], Self.cpuOn, 2, entry, 7), 0, "an OFF CPU can be turned on again")
    }

    func testRacingCPUOnCallsHaveExactlyOneWinner() throws {
        let system = try KVMSystem(tablePoolSize: 64 << 20)
        for round in 0..<100 {
            let t = try TestVM(Self.caller, system: system, vcpus: 3)
            let v = t.vcpus
            v[1].power = .on
            let results = Results()
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                let r = (try? Self.call(v[i], Self.cpuOn, 2, UInt32(TestVM.ramBase), 0)) ?? 1
                results.set(i, r)
            }
            XCTAssertEqual(results.sorted, [0, UInt32(bitPattern: -4)], "round \(round)")
        }
    }

    final class Results: @unchecked Sendable {
        private var values: [UInt32] = [1, 1]
        private let lock = NSLock()
        func set(_ i: Int, _ v: UInt32) { lock.lock(); values[i] = v; lock.unlock() }
        var sorted: [UInt32] { lock.lock(); defer { lock.unlock() }; return values.sorted() }
    }
}
