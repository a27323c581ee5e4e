import ARMv7
import Foundation
import KVM
import Machine

/// Round trips through the hypervisor: guest HVC → host handler → guest, and
/// guest MMIO store → VMM → guest, timed over many iterations.
public enum ExitBenchmark {
    /// loop: hvc #0 ; b loop
    static let hypercallLoop: [UInt32] = [0xE140_0070, 0xEAFF_FFFD]
    /// r4 = 0x09000000 ; loop: str r0,[r4] ; b loop
    static let mmioLoop: [UInt32] = [0xE300_4000, 0xE340_4900, 0xE584_0000, 0xEAFF_FFFD]

    /// Nanoseconds per round trip of a null hypercall.
    public static func hypercallRoundTrip(iterations: Int) throws -> Double {
        try measure(hypercallLoop, iterations: iterations) { exit, _ in
            if case .hypercall = exit { return true }
            return false
        }
    }

    /// Nanoseconds per round trip of an MMIO write exit.
    public static func mmioRoundTrip(iterations: Int) throws -> Double {
        try measure(mmioLoop, iterations: iterations) { exit, _ in
            if case .mmio = exit { return true }
            return false
        }
    }

    private static func measure(_ code: [UInt32], iterations: Int,
                                expected: (VCPUExit, VCPU) -> Bool) throws -> Double {
        let system = try KVMSystem(tablePoolSize: 4 << 20)
        let vm = try system.createVM()
        let slot = try vm.addMemory(guestBase: VirtMemoryMap.ramBase, size: 1 << 20)
        for (i, w) in code.enumerated() { slot.pointer.storeBytes(of: w, toByteOffset: 4 * i, as: UInt32.self) }
        let vcpu = vm.createVCPU()
        // As on the `virt` board: the in-kernel vGIC and timers take part in every entry and exit.
        try vm.createInterruptController(distributorBase: VirtMemoryMap.gicDistributor,
                                         cpuInterfaceBase: VirtMemoryMap.gicCPUInterface)
        try vcpu.setRegister(.pc, VirtMemoryMap.ramBase)
        // Warm up: stage-2 faults map the page, decodes get cached.
        for _ in 0..<100 { _ = try vcpu.run() }
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations {
            let exit = try vcpu.run()
            guard expected(exit, vcpu) else { throw KVMError.hypPanic("unexpected exit \(exit)") }
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations)
    }
}
