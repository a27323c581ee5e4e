import ArgumentParser
import ARMv7

/// `--engine jit|interpreter` on `run` and `bench`.
extension ExecutionEngine: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
