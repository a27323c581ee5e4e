import Devices
import Foundation

/// The VMM end of the guest's serial console, like QEMU's `-nographic`:
/// a reader thread takes bytes from standard input (a terminal in raw mode,
/// or a pipe or file as it comes), handles the Ctrl-A escapes
/// (`ConsoleEscape`) and queues the rest for the PL011, handing it over as
/// fast as the guest empties the receive FIFO.
public final class TerminalConsole: @unchecked Sendable {
    /// Whether the input is a terminal (then in raw mode while running).
    public let isTerminal: Bool
    private let inputFD: Int32
    private let uart: PL011
    private let onQuit: @Sendable () -> Void
    private let printText: @Sendable (String) -> Void
    private let state = NSCondition()
    private var pending: [UInt8] = []   // typed, not yet in the FIFO
    private var escape = ConsoleEscape()
    private var stopped = false
    /// Called once when the input ends (EOF or a read error).
    public var onEndOfInput: (@Sendable () -> Void)?

    /// Bytes held for the guest before the reader stops reading (back-pressure for pipes).
    static let pendingLimit = 64 << 10

    /// Connects input file descriptor `inputFD` to `uart`. `onQuit` runs on
    /// Ctrl-A x; `printText` shows console messages (the escape help).
    public init(uart: PL011, inputFD: Int32 = STDIN_FILENO, onQuit: @escaping @Sendable () -> Void,
                printText: @escaping @Sendable (String) -> Void) {
        self.uart = uart
        self.inputFD = inputFD
        self.isTerminal = TerminalMode.isTerminal(inputFD)
        self.onQuit = onQuit
        self.printText = printText
        uart.receiveSpaceAvailable = { [weak self] in self?.deliver() }
    }

    /// Puts a terminal in raw mode and starts the reader thread.
    public func start() {
        if isTerminal { TerminalMode.enterRaw(inputFD) }
        let thread = Thread { [self] in readLoop() }
        thread.name = "armvisor-console-input"
        thread.start()
    }

    /// Stops handing input to the guest and restores the terminal.
    public func stop() {
        state.lock()
        stopped = true
        state.broadcast()
        state.unlock()
        if isTerminal { TerminalMode.restore() }
    }

    /// Handles `bytes` as if typed: escapes act, the rest goes to the guest.
    public func input<C: Collection<UInt8>>(_ bytes: C) {
        state.lock()
        let actions = escape.feed(bytes)
        state.unlock()
        for action in actions {
            switch action {
            case .send(let data):
                state.lock()
                pending.append(contentsOf: data)
                state.unlock()
                deliver()
            case .quit: onQuit()
            case .help: printText(ConsoleEscape.helpText)
            }
        }
    }

    /// Bytes typed but not yet taken by the UART.
    public var pendingCount: Int {
        state.lock(); defer { state.unlock() }
        return pending.count
    }

    /// Moves what fits from the queue into the receive FIFO (reader thread,
    /// or a VCPU thread when the guest has just read the FIFO).
    private func deliver() {
        state.lock()
        if !pending.isEmpty && !stopped {
            let taken = uart.receive(pending)
            if taken > 0 {
                pending.removeFirst(taken)
                state.broadcast()
            }
        }
        state.unlock()
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            state.lock()
            while pending.count >= Self.pendingLimit && !stopped { state.wait() }
            let done = stopped
            state.unlock()
            if done { return }
            let n = buffer.withUnsafeMutableBytes { read(inputFD, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                onEndOfInput?()
                return
            }
            input(buffer[0..<n])
        }
    }
}
