/// Checks of the machine options that several entry points take (the
/// `run` command, `VirtMachine`), made in one place so that every caller
/// refuses the same values with the same sentence.
public enum BoardOptions {
    /// Throws unless `cpus` VCPUs are possible: 1 to 8 (a GICv2's limit),
    /// one for a bare-metal board, one for a deterministic (`--icount`) run.
    public static func validate(cpus: Int, bareMetal: Bool = false, deterministic: Bool = false) throws(LoadError) {
        guard (1...8).contains(cpus) else {
            throw .badOption("--cpus must be 1 to 8 (a GICv2 serves at most 8 CPUs), not \(cpus)")
        }
        if bareMetal && cpus != 1 { throw .badOption("--bare-metal runs one core; --cpus must be 1") }
        // Host threads of several VCPUs interleave unpredictably.
        if deterministic && cpus != 1 { throw .badOption("--icount runs one VCPU; use --cpus 1") }
    }
}
