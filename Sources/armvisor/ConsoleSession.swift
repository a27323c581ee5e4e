import Foundation
import Machine
import HostConsole
import Benchmarks

/// One run of a `VirtMachine` with everything around it that a user at a
/// terminal expects: standard input wired to the guest's UART (raw mode on
/// a terminal, Ctrl-A escapes), SIGINT/SIGTERM/SIGHUP stopping the machine
/// cleanly, the devices shut down and the terminal restored afterwards.
enum ConsoleSession {
    static func run(_ machine: VirtMachine, maxInstructions: UInt64, output: ConsoleOutput) -> RunOutcome {
        let stop = machine.stopHandle
        let console = TerminalConsole(uart: machine.uart,
                                      onQuit: { stop.requestStop(reason: .console) },
                                      printText: { output.write(text: $0) })
        console.onEndOfInput = { stop.setExternalInput(false) }
        let signals = StopSignals { stop.requestStop(reason: .signal($0)) }
        stop.setExternalInput(true)
        console.start()
        let outcome = machine.run(maxInstructions: maxInstructions)
        console.stop()
        machine.shutdown()
        signals.cancel()
        return outcome
    }

    /// The exit status for a stop: 0 for Ctrl-A x (as QEMU), 128 + n for
    /// signal n (the shell's convention, so a supervisor can tell a killed
    /// VM from a guest that powered off), 1 otherwise.
    static func exitStatus(for reason: StopReason) -> Int32 {
        switch reason {
        case .console: return 0
        case .signal(let n): return 128 + n
        case .requested: return 1
        }
    }
}

/// `--timing-report`: the boot benchmark's child reports on standard error.
enum BootTiming {
    static func report(_ machine: VirtMachine) {
        FileHandle.standardError.write((BootTimingReport(machine).line + "\n").data(using: .utf8)!)
    }
}
