/// A one-shot timer on a `NetworkEventLoop`, armed to a deadline on the
/// monotonic clock. It is created, armed and fired on the loop's thread only.
public final class NetworkTimer {
    /// When the timer fires, in milliseconds of `NetworkEventLoop.monotonicMilliseconds()`;
    /// `nil` while disarmed.
    public var deadline: Int64?
    let fire: () -> Void

    init(fire: @escaping () -> Void) {
        self.fire = fire
    }
}
