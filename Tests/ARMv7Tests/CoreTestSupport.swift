import XCTest
@testable import ARMv7

/// A core on 1 MiB of RAM at 0x40000000 with a program loaded at its start.
struct TestMachine {
    static let ramBase: UInt32 = 0x4000_0000
    /// GICH/GICV where QEMU `virt` has them (the tests' board).
    static let gicVirtualInterface = GICVirtualInterfaceWindows(controlBase: 0x0803_0000, cpuInterfaceBase: 0x0804_0000)
    let memory = PhysicalMemory(gicVirtualInterface: TestMachine.gicVirtualInterface)
    let core: Core
    var events: [ExceptionEvent] { log.events }
    let log = EventLog()

    final class EventLog: @unchecked Sendable { var events: [ExceptionEvent] = [] }

    /// `stopOn` decides which exception entries stop the run (recorded either way).
    init(_ words: [UInt32], at offset: UInt32 = 0, stopOn: @escaping (ExceptionKind) -> Bool = { _ in false }) {
        try! memory.addRAM(base: UInt64(TestMachine.ramBase), size: 1 << 20)
        core = Core(memory: memory)
        write(words, at: TestMachine.ramBase + offset)
        core.branch(to: TestMachine.ramBase + offset, thumb: false)
        let log = self.log
        core.exceptionHook = { _, e in log.events.append(e); return stopOn(e.kind) }
    }

    func write(_ words: [UInt32], at address: UInt32) {
        for (i, w) in words.enumerated() { memory.write(UInt64(address) + UInt64(i * 4), size: 4, value: UInt64(w)) }
    }

    func word(_ address: UInt32) -> UInt32 { UInt32(memory.read(UInt64(address), size: 4)!) }

    @discardableResult
    func run(_ n: Int) -> CoreStopReason { core.run(budget: n) }
}
