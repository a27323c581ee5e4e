import ARMv7

/// The Hyp layer: world switch, Hyp vector and Hyp-call ABI (see DESIGN.md).
/// It arrives with the world-switch issue; this file only anchors the module.
public enum HypLayer {
    /// The Hyp-call function numbers' namespace.
    public static let name = "Hyp"
}
