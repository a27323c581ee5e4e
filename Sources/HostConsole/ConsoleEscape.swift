/// The console's escape key, the way QEMU's `-nographic` console reads it:
/// Ctrl-A followed by a command key. Everything else is guest input.
///
/// - Ctrl-A x: quit the VMM
/// - Ctrl-A h: print the escape help
/// - Ctrl-A Ctrl-A: send one Ctrl-A to the guest
/// - Ctrl-A and any other key: both are dropped
public struct ConsoleEscape: Sendable {
    /// What a chunk of typed bytes asks for, in order.
    public enum Action: Equatable, Sendable {
        /// Bytes for the guest's UART.
        case send([UInt8])
        case quit
        case help
    }

    public static let escapeByte: UInt8 = 0x01   // Ctrl-A

    /// The help text Ctrl-A h prints (lines end in "\n").
    public static let helpText = """
        Ctrl-A h        print this help
        Ctrl-A x        quit armvisor
        Ctrl-A Ctrl-A   send Ctrl-A to the guest

        """

    private var sawEscape = false

    public init() {}

    /// Splits `bytes` into guest input and commands; an escape at the end of
    /// the chunk waits for the next chunk's first byte.
    public mutating func feed<C: Collection<UInt8>>(_ bytes: C) -> [Action] {
        var actions: [Action] = []
        var pending: [UInt8] = []
        func flush() {
            if !pending.isEmpty { actions.append(.send(pending)); pending.removeAll() }
        }
        for b in bytes {
            if sawEscape {
                sawEscape = false
                switch b {
                case ConsoleEscape.escapeByte: pending.append(b)
                case UInt8(ascii: "x"), UInt8(ascii: "X"): flush(); actions.append(.quit)
                case UInt8(ascii: "h"), UInt8(ascii: "H"), UInt8(ascii: "?"): flush(); actions.append(.help)
                default: break
                }
            } else if b == ConsoleEscape.escapeByte {
                sawEscape = true
            } else {
                pending.append(b)
            }
        }
        flush()
        return actions
    }
}
