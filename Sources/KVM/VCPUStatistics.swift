import Hyp

/// kvm_stat-like counters of a VCPU, or summed over a VM: a snapshot of the
/// record the world switch counts into (`HypStatistics`), taken outside the
/// exit path. One definition, so a counter added in Hyp reaches the VMM.
public typealias VCPUStatistics = HypStatistics

extension HypStatistics {
    /// Adds `other`'s counters to these.
    mutating func add(_ other: HypStatistics) {
        worldSwitches += other.worldSwitches
        vfpSwitches += other.vfpSwitches
        faultReentries += other.faultReentries
        for i in exitsByCode.indices { exitsByCode[i] += other.exitsByCode[i] }
        for i in trapsByClass.indices { trapsByClass[i] += other.trapsByClass[i] }
    }
}
