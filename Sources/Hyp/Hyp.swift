import ARMv7

/// The Hyp-mode software of one physical core: the world switch, the Hyp
/// vector and the Hyp-call ABI of the Linux 3.9 KVM/ARM seed
/// (arch/arm/kvm/interrupts.S), written in Swift and acting on the core's
/// architected state exactly where the seed's assembly does.
///
/// The host runs at PL1 with VMID 0 and enters Hyp only through `call`
/// (HVC #0 with r0 = function, r1–r3 = arguments). A guest runs at PL1/PL0
/// with its own VMID; every exception it takes to Hyp comes back here.
public final class Hyp {
    /// The physical core this Hyp software owns.
    public let core: Core
    /// Instructions a guest may run before the host's scheduler tick
    /// (a physical IRQ routed to Hyp) forces an exit.
    public var guestSlice = 4_000_000

    var host = HostContext()
    /// Registered VCPUs by handle (index; slot 0 unused so 0 is never valid).
    private var vcpus: [VCPUContext?] = [nil]
    /// The guest's VFP registers are live on the core (lazy switch happened).
    var guestVFPLoaded = false

    /// Symbolic addresses: Swift handles every Hyp vector, so nothing is ever
    /// fetched from them; they only make ELR_hyp/HVBAR values meaningful.
    public static let vectorBase: UInt32 = 0xFFFF_F000
    public static let hostCallSite: UInt32 = 0xFFFF_E000

    /// HCR while a guest runs (the seed's HCR_GUEST_MASK): stage 2, traps of
    /// SMC, WFI, ACTLR, implementation-defined CP15, set/way cache ops,
    /// interrupts and aborts routed to Hyp, broadcast of TLB/cache
    /// maintenance, inner-shareable barriers.
    public static let guestHCR: UInt32 = HCR.vm | HCR.tsc | HCR.twi | HCR.tac | HCR.tidcp | HCR.tsw
        | HCR.tid3 | HCR.swio | HCR.amo | HCR.imo | HCR.fmo | HCR.fb | (1 << HCR.bsuShift)

    public init(core: Core) {
        self.core = core
        core.interceptHypVectors = true
        core.sys.hvbar = Hyp.vectorBase
    }

    /// Makes `vcpu` runnable through `HypFunction.runVCPU`; returns its handle.
    public func register(_ vcpu: VCPUContext) -> UInt32 {
        vcpus.append(vcpu)
        return UInt32(vcpus.count - 1)
    }

    /// Forgets a handle.
    public func unregister(_ handle: UInt32) {
        if Int(handle) < vcpus.count { vcpus[Int(handle)] = nil }
    }

    /// Host side of the Hyp-call ABI: `mov r0-r3; hvc #0`, then the Hyp trap
    /// vector dispatches, and ERET brings r0 back to the host.
    public func call(_ function: HypFunction, _ a1: UInt32 = 0, _ a2: UInt32 = 0,
                     _ a3: UInt32 = 0) throws(HypPanic) -> UInt32 {
        try call(rawFunction: function.rawValue, a1, a2, a3)
    }

    /// `call` with an arbitrary function number (unknown ones are a panic).
    public func call(rawFunction: UInt32, _ a1: UInt32, _ a2: UInt32, _ a3: UInt32) throws(HypPanic) -> UInt32 {
        if core.mode == .hyp {
            // The host is already in Hyp: an HVC here lands on the Hyp
            // vector's "HVC taken in Hyp mode" entry, which the seed treats as fatal.
            core.setRegister(15, Hyp.hostCallSite)
            core.raise(.hypervisorCall(0))
            throw hostPanic(vectorOffset: 0x08)
        }
        core.setRegister(0, rawFunction)
        core.setRegister(1, a1)
        core.setRegister(2, a2)
        core.setRegister(3, a3)
        core.setRegister(15, Hyp.hostCallSite)
        core.raise(.hypervisorCall(0))
        let result = try trapVector(hostCall: true)
        core.setRegister(0, result)
        core.returnFromHyp()
        return core.register(0)
    }

    /// The Hyp trap vector (HVBAR + 0x14) for an HVC from the host.
    private func trapVector(hostCall: Bool) throws(HypPanic) -> UInt32 {
        guard HSR(core.sys.hsr).isClass(.hvc), core.sys.vmid == 0 else {
            throw hostPanic(vectorOffset: 0x14)
        }
        let function = core.register(0)
        let a1 = core.register(1)
        switch HypFunction(rawValue: function) {
        case .runVCPU:
            guard Int(a1) < vcpus.count, let vcpu = vcpus[Int(a1)] else { throw .badHypCall(function: function) }
            return try worldSwitch(vcpu, handle: a1).rawValue
        case .flushVMIDTLB:
            flushTLB(vmid: UInt8(truncatingIfNeeded: a1))
            return 0
        case .flushAllGuestTLBs:
            core.invalidateTLB(.allNonHyp, innerShareable: true)
            core.invalidateInstructionCache()
            return 0
        case nil:
            throw .badHypCall(function: function)
        }
    }

    /// __kvm_tlb_flush_vmid: load the VM's VMID into VTTBR, TLBIALLIS, and
    /// put VMID 0 back.
    private func flushTLB(vmid: UInt8) {
        let saved = core.sys.vttbr
        core.sys.vttbr = UInt64(vmid) << 48
        core.invalidateTLB(.all, innerShareable: true)
        core.sys.vttbr = saved
        core.translationContextChanged()
    }

    /// Builds the panic for an exception that reached a Hyp vector while the
    /// host owned the core.
    func hostPanic(vectorOffset: UInt32) -> HypPanic {
        let names: [UInt32: String] = [0x00: "reset", 0x04: "undefined instruction", 0x08: "hvc or svc",
                                       0x0C: "prefetch abort", 0x10: "data abort", 0x14: "trap",
                                       0x18: "IRQ", 0x1C: "FIQ"]
        return .unexpectedException(kind: names[vectorOffset] ?? "exception", address: core.elrHyp, hsr: core.sys.hsr)
    }
}
