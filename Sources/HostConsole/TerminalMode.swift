import Foundation

/// Puts a terminal in raw mode (like QEMU's `-nographic` console) and puts
/// it back on every way out of the process: `restore()`, `exit()` (through
/// an atexit hook), and fatal signals (a handler restores the settings and
/// re-raises the signal with its default action). SIGINT, SIGTERM and SIGHUP
/// are the VMM's to handle (`StopSignals`); it calls `restore()`.
public enum TerminalMode {
    /// Whether `fd` is a terminal.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Switches `fd` to raw input: no line editing, no echo, no signals from
    /// Ctrl-C/Ctrl-Z (they go to the guest), no CR→NL, 8-bit bytes; output
    /// processing stays on. Returns false if `fd` is not a terminal.
    @discardableResult
    public static func enterRaw(_ fd: Int32) -> Bool {
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { return false }
        savedSettings.pointee = saved
        savedFD = fd
        var raw = saved
        raw.c_iflag &= ~tcflag_t(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON)
        raw.c_lflag &= ~tcflag_t(ECHO | ECHONL | ICANON | IEXTEN | ISIG)
        raw.c_cflag &= ~tcflag_t(CSIZE | PARENB)
        raw.c_cflag |= tcflag_t(CS8)
        raw.c_oflag |= tcflag_t(OPOST)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        installRestoreHooks()
        guard tcsetattr(fd, TCSANOW, &raw) == 0 else { savedFD = -1; return false }
        return true
    }

    /// Puts the terminal back as `enterRaw` found it (async-signal-safe;
    /// later calls do nothing).
    public static func restore() {
        restoreFromSignal()
    }

    // Signal handlers can touch only plain memory: the saved settings live
    // in a never-freed buffer, the descriptor in a plain global.
    nonisolated(unsafe) private static let savedSettings = UnsafeMutablePointer<termios>.allocate(capacity: 1)
    nonisolated(unsafe) private static var savedFD: Int32 = -1
    nonisolated(unsafe) private static var hooksInstalled = false

    fileprivate static func restoreFromSignal() {
        let fd = savedFD
        guard fd >= 0 else { return }
        savedFD = -1
        _ = tcsetattr(fd, TCSANOW, savedSettings)
    }

    /// Signals that end the process by default and that the VMM does not handle itself.
    static let fatalSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGQUIT]

    /// The actions the fatal signals had before ours (the Swift runtime's
    /// crash reporter), indexed by signal number.
    nonisolated(unsafe) private static let previousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)

    private static func installRestoreHooks() {
        guard !hooksInstalled else { return }
        hooksInstalled = true
        atexit { TerminalMode.restoreFromSignal() }
        for sig in fatalSignals {
            var action = sigaction()
            // Restore the terminal, then hand the signal to whoever had it:
            // a fault re-executes and meets the previous handler; a signal
            // sent by kill/raise is raised again.
            action.__sigaction_handler.sa_sigaction = { sig, info, _ in
                TerminalMode.restoreFromSignal()
                sigaction(sig, TerminalMode.previousActions + Int(sig), nil)
                if let info, info.pointee.si_code <= 0 { raise(sig) }
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_SIGINFO
            sigaction(sig, &action, previousActions + Int(sig))
        }
    }
}
