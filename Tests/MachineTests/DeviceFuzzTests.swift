import Foundation
import XCTest
@testable import Machine
@testable import Devices

/// Guests that hammer every device window of the `virt` VM (vGIC
/// distributor, the GICV page, PL011, PL031, virtio-mmio) with random
/// accesses and make random PSCI calls: the host never traps, never hangs,
/// and the run ends with a clean outcome.
final class DeviceFuzzTests: XCTestCase {
    /// Device windows: (base, size).
    static let windows: [(UInt64, UInt64)] = [
        (VirtMemoryMap.gicDistributor, 0x1000), (VirtMemoryMap.gicCPUInterface, 0x2000),
        (VirtMemoryMap.uart, 0x1000), (VirtMemoryMap.rtc, 0x1000),
        (VirtMemoryMap.virtioBase, VirtMemoryMap.virtioStride * 2),
    ]

    static func movw(_ rd: UInt32, _ v: UInt32) -> UInt32 { 0xE300_0000 | (v >> 12 & 0xF) << 16 | rd << 12 | (v & 0xFFF) }
    static func movt(_ rd: UInt32, _ v: UInt32) -> UInt32 { 0xE340_0000 | (v >> 12 & 0xF) << 16 | rd << 12 | (v & 0xFFF) }
    static func load32(_ rd: UInt32, _ v: UInt32) -> [UInt32] { [movw(rd, v & 0xFFFF), movt(rd, v >> 16)] }

    /// A program of `count` random device accesses and PSCI calls, then SYSTEM_OFF.
    static func program<G: RandomNumberGenerator>(count: Int, using g: inout G) -> [UInt32] {
        var code: [UInt32] = []
        for _ in 0..<count {
            if Int.random(in: 0..<40, using: &g) == 0 {
                // A PSCI call with a random function in the PSCI range and random arguments.
                code += load32(0, 0x8400_0000 | UInt32.random(in: 0...0x1F, using: &g))
                for r: UInt32 in 1...3 { code += load32(r, UInt32.random(in: 0...UInt32.max, using: &g)) }
                code.append(0xE140_0070)   // hvc #0
                continue
            }
            let (base, size) = windows.randomElement(using: &g)!
            let kind = Int.random(in: 0..<6, using: &g)
            let align: UInt64 = kind % 3 == 0 ? 4 : kind % 3 == 1 ? 1 : 2
            let address = base + UInt64.random(in: 0..<size, using: &g) / align * align
            code += load32(1, UInt32(address))
            code += load32(0, UInt32.random(in: 0...UInt32.max, using: &g))
            switch kind {
            case 0: code.append(0xE581_0000)   // str r0, [r1]
            case 1: code.append(0xE5C1_0000)   // strb
            case 2: code.append(0xE1C1_00B0)   // strh
            case 3: code.append(0xE591_0000)   // ldr r0, [r1]
            case 4: code.append(0xE5D1_0000)   // ldrb
            default: code.append(0xE1D1_00B0)  // ldrh
            }
        }
        return code + load32(0, 0x8400_0008) + [0xE140_0070]   // SYSTEM_OFF
    }

    static let asleep = "fuzz watchdog: the guest sleeps waiting for an interrupt"

    /// The case the watchdog is for: a guest that enables the distributor and
    /// SPIs no device raises, then waits in WFI, sleeps (no instructions run,
    /// so the instruction limit cannot end it) until the host asks it to stop.
    func testAGuestAsleepForGoodStopsOnRequest() throws {
        let code = Self.load32(1, UInt32(VirtMemoryMap.gicDistributor)) + Self.load32(0, 1)
            + [0xE581_0000]                                    // str r0, [r1]: GICD_CTLR = 1
            + Self.load32(0, 0xFFFF_FFFF) + [0xE581_0104]      // str r0, [r1, #0x104]: enable SPIs 32-63
            + [0xE320_F003, 0xEAFF_FFFD]                       // wfi; b wfi
        let machine = try VirtMachine(ramSize: 16 << 20) { _ in }
        try machine.load(GuestImage.flat(GuestRunner.image(code), at: VirtMemoryMap.ramBase + 0x1_0000))
        let stop = machine.stopHandle
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { stop.requestStop(reason: .requested(Self.asleep)) }
        let start = Date()
        let outcome = machine.run(maxInstructions: 5_000_000)
        machine.shutdown()
        XCTAssertEqual(outcome, .stopped(.requested(Self.asleep)))
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }

    func testRandomDeviceAccessesNeverHurtTheHost() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("DeviceFuzzTests seed \(seed)")
        var g = SplitMix64(seed: seed)
        var outcomes: [String: Int] = [:]
        for round in 0..<24 {
            let code = Self.program(count: 400, using: &g)
            let capture = GuestRunner.Capture()
            let machine = try VirtMachine(ramSize: 16 << 20, cpus: 1 + round % 2) { capture.bytes.append($0) }
            try machine.load(GuestImage.flat(GuestRunner.image(code), at: VirtMemoryMap.ramBase + 0x1_0000))
            let start = Date()
            // A guest may sleep for good: random writes can enable the
            // distributor and an interrupt no device will raise, and then
            // WFI or CPU_SUSPEND waits for it, as on hardware. The instruction
            // limit cannot end that; a stop request must (the host stays in
            // charge of a sleeping VM).
            let stop = machine.stopHandle, watchdog = DispatchWorkItem {
                stop.requestStop(reason: .requested(Self.asleep))
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + 10, execute: watchdog)
            let outcome = machine.run(maxInstructions: 5_000_000)
            watchdog.cancel()
            machine.shutdown()
            XCTAssertLessThan(Date().timeIntervalSince(start), 20, "round \(round) (seed \(seed)) took too long")
            switch outcome {
            case .powerOff: outcomes["power-off", default: 0] += 1
            case .reset: outcomes["reset", default: 0] += 1
            case .instructionLimit: outcomes["limit", default: 0] += 1
            case .guestError: outcomes["guest error", default: 0] += 1
            case .stopped(.requested(Self.asleep)): outcomes["asleep, stopped", default: 0] += 1
            case .stopped(let why): XCTFail("round \(round) (seed \(seed)) stopped: \(why)")
            }
        }
        print("DeviceFuzzTests outcomes: \(outcomes)")
        XCTAssertGreaterThan(outcomes["power-off", default: 0] + outcomes["reset", default: 0], 0,
                             "some rounds reached their end (seed \(seed))")
    }
}
