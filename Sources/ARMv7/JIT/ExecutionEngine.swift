/// How a core executes guest instructions.
public enum ExecutionEngine: String, Sendable, CaseIterable {
    /// Translate guest blocks to x86-64 and run them (see docs/ARCHITECTURE.md,
    /// "The JIT"); instructions it does not translate run in the interpreter,
    /// one at a time, from inside the translated block.
    case jit
    /// Decode once, then interpret: the reference semantics.
    case interpreter

    /// The engine `run` and `bench` use when none is named.
    public static let `default`: ExecutionEngine = .jit

    /// How many times the JIT lets the interpreter run a block before it
    /// translates it: a Debian boot runs most of its blocks only a few
    /// times, and translating one costs as much as a few hundred
    /// interpretations of it.
    public static let defaultTranslationThreshold = 4

    /// Bytes of host code one core's JIT holds before it empties the cache.
    /// A Debian boot to its login prompt translates about 135 MiB of
    /// distinct code (430,000 blocks); with 12 MiB it emptied the cache 77
    /// times and spent a fifth of the boot translating the same code again.
    /// The cache is reserved address space: only the code written uses memory.
    public static let defaultCodeCacheSize = 256 << 20
}

/// Why a JIT could not be set up (the core keeps interpreting).
public enum JITSetupError: Error, CustomStringConvertible {
    case hostNotSupported(String)
    case codeMemory(String)

    public var description: String {
        switch self {
        case let .hostNotSupported(why): return "the JIT cannot run on this host: \(why)"
        case let .codeMemory(why): return "the JIT's code cache could not be created: \(why)"
        }
    }
}
