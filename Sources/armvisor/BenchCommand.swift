import ArgumentParser

/// `armvisor bench`: the integer workload on Armvisor and on qemu-arm.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Run the CoreMark-like benchmark on Armvisor and qemu-arm side by side.")
    func run() throws {
        throw UsageError("bench is not built yet")
    }
}
