import Hyp

/// kvm_stat-style text for the hypervisor's counters.
public enum ExitStatistics {
    static let classNames: [UInt32: String] = [
        0x00: "unknown", 0x01: "wfi/wfe", 0x03: "cp15 32-bit", 0x04: "cp15 64-bit", 0x05: "cp14 32-bit",
        0x06: "cp14 ldc/stc", 0x07: "hcptr (vfp)", 0x08: "cp10 id", 0x0C: "cp14 64-bit", 0x12: "hvc",
        0x13: "smc", 0x20: "prefetch abort (stage 2)", 0x24: "data abort (stage 2)",
    ]
    static let codeNames = ["reset", "undefined", "software", "prefetch abort", "data abort", "irq", "fiq", "hyp trap"]

    /// One line per non-zero counter.
    public static func format(_ s: HypStatistics) -> String {
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
