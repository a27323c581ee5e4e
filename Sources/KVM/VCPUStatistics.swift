import Hyp

/// kvm_stat-like counters of a VCPU, or summed over a VM: a snapshot taken
/// outside the exit path (the world switch counts into its own record).
public struct VCPUStatistics: Sendable, Equatable {
    /// World switches into the guest.
    public var worldSwitches: UInt64 = 0
    /// Exits by world-switch exit code (reset, undefined, software, prefetch
    /// abort, data abort, IRQ, FIQ, Hyp trap).
    public var exitsByCode = [UInt64](repeating: 0, count: 8)
    /// Guest traps by HSR exception class (64 classes; see `HSRClass`).
    public var trapsByClass = [UInt64](repeating: 0, count: 64)
    /// Lazy VFP switches (first VFP use in a run).
    public var vfpSwitches: UInt64 = 0
    /// Permission faults re-entered because the IPA could not be resolved.
    public var faultReentries: UInt64 = 0

    public init() {}

    init(_ s: HypStatistics) {
        worldSwitches = s.worldSwitches
        exitsByCode = s.exitsByCode
        trapsByClass = s.trapsByClass
        vfpSwitches = s.vfpSwitches
        faultReentries = s.faultReentries
    }

    /// Adds `other`'s counters to these.
    mutating func add(_ other: VCPUStatistics) {
        worldSwitches += other.worldSwitches
        vfpSwitches += other.vfpSwitches
        faultReentries += other.faultReentries
        for i in exitsByCode.indices { exitsByCode[i] += other.exitsByCode[i] }
        for i in trapsByClass.indices { trapsByClass[i] += other.trapsByClass[i] }
    }
}
