/// How a machine's run ended (`VirtMachine.run` and `BareMetalMachine.run`).
public enum RunOutcome: Equatable, Sendable {
    /// The guest called PSCI SYSTEM_OFF.
    case powerOff
    /// The guest called PSCI SYSTEM_RESET.
    case reset
    /// The instruction limit was reached.
    case instructionLimit
    /// The guest can make no progress (crash loop, WFI with nothing to wake it).
    case guestError(String)
    /// The VMM stopped the machine (console quit, signal, request).
    case stopped(StopReason)
}
