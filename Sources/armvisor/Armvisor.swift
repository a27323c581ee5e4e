import ArgumentParser

/// The `armvisor` command line.
@main
struct Armvisor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "armvisor",
        abstract: "An ARMv7-A (Cortex-A15) machine and KVM/ARM-style hypervisor.",
        subcommands: [RunCommand.self, BenchCommand.self],
        defaultSubcommand: RunCommand.self)
}
