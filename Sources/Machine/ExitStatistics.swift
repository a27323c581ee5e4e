import ARMv7
import KVM

/// kvm_stat-style text for the hypervisor's counters.
public enum ExitStatistics {
    static let classNames: [UInt32: String] = Dictionary(uniqueKeysWithValues: [
        (HSRClass.unknown, "unknown"), (.wfiWfe, "wfi/wfe"), (.cp15_32, "cp15 32-bit"), (.cp15_64, "cp15 64-bit"),
        (.cp14_32, "cp14 32-bit"), (.cp14LdcStc, "cp14 ldc/stc"), (.hcptr, "hcptr (vfp)"), (.cp10ID, "cp10 id"),
        (.cp14_64, "cp14 64-bit"), (.hvc, "hvc"), (.smc, "smc"), (.prefetchAbortLower, "prefetch abort (stage 2)"),
        (.dataAbortLower, "data abort (stage 2)"),
    ].map { ($0.0.rawValue, $0.1) })
    static let codeNames = ["reset", "undefined", "software", "prefetch abort", "data abort", "irq", "fiq", "hyp trap"]

    /// One line per non-zero counter.
    public static func format(_ s: VCPUStatistics) -> String {
        var out = "world switches                 \(s.worldSwitches)\n"
        for (i, n) in s.exitsByCode.enumerated() where n > 0 {
            out += "exit \(codeNames[i].padding(toLength: 26, withPad: " ", startingAt: 0))\(n)\n"
        }
        for (ec, n) in s.trapsByClass.enumerated() where n > 0 {
            let name = classNames[UInt32(ec)] ?? "class 0x\(String(ec, radix: 16))"
            out += "trap \(name.padding(toLength: 26, withPad: " ", startingAt: 0))\(n)\n"
        }
        out += "lazy vfp switches              \(s.vfpSwitches)\n"
        if s.faultReentries > 0 { out += "fault re-entries               \(s.faultReentries)\n" }
        return out
    }
}
