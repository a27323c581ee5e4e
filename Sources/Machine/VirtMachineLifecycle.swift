import KVM

/// Stops a machine from any thread (a console, a signal queue) without
/// holding on to the machine itself.
public struct MachineStopHandle: Sendable {
    let lifecycle: MachineLifecycle
    let vcpus: [VCPU]

    /// Makes the machine's `run()` return `.stopped(reason)` soon: the
    /// request is recorded (the first one wins), idle VCPUs are woken and
    /// running ones kicked out of the guest.
    public func requestStop(reason: StopReason) {
        lifecycle.requestStop(reason)
        for v in vcpus { v.kick() }
    }

    /// See `MachineLifecycle.hasExternalInput`.
    public func setExternalInput(_ present: Bool) { lifecycle.hasExternalInput = present }
}

extension VirtMachine {
    /// A handle that stops this machine from any thread.
    public var stopHandle: MachineStopHandle { MachineStopHandle(lifecycle: lifecycle, vcpus: vcpus) }

    /// Makes `run()` return `.stopped(reason)` soon; safe from any thread.
    public func requestStop(reason: StopReason) { stopHandle.requestStop(reason: reason) }

    /// Adds work for `shutdown()`, run after the devices' own `shutdown()`.
    public func addShutdownHandler(_ handler: @escaping () -> Void) {
        lifecycle.addShutdownHandler(handler)
    }

    /// Tells every device that is a `ShutdownParticipant`, then the shutdown
    /// handlers, that the machine is going away (a disk flushes its image).
    /// Call it once `run()` has returned, whatever the outcome; later calls
    /// do nothing.
    public func shutdown() {
        lifecycle.shutdown(devices: devices.regions.compactMap { $0.device as? ShutdownParticipant })
    }
}
