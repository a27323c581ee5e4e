import ArgumentParser
import Foundation

/// The `armvisor` command line.
@main
struct Armvisor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "armvisor",
        abstract: "An ARMv7-A (Cortex-A15) machine and KVM/ARM-style hypervisor.",
        subcommands: [RunCommand.self, BenchCommand.self],
        defaultSubcommand: RunCommand.self)

    /// Parses and runs like ArgumentParser's own `main()`, except that a
    /// command-line mistake (unknown option, bad value) is one line on
    /// standard error and exit status 2, like every other bad input.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "bad usage"
                fail("\(message) (see armvisor --help)", status: 2)
            }
            exit(withError: error)
        }
    }
}
