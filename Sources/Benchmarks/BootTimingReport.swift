import Foundation
import Machine

/// The one line `armvisor run --timing-report` prints on standard error at
/// exit, for the boot benchmark that spawns it: when the guest first ran
/// (CLOCK_MONOTONIC, comparable across processes), the process's peak RSS,
/// and how much of that is guest RAM.
public struct BootTimingReport: Equatable, Sendable {
    /// CLOCK_MONOTONIC just before the first world switch into the guest.
    public var firstGuestEntryNanoseconds: UInt64
    /// The process's peak resident set (VmHWM).
    public var peakResidentBytes: UInt64
    /// Guest RAM pages resident at exit (mincore), in bytes.
    public var guestResidentBytes: UInt64

    /// A report from its three figures.
    static let prefix = "armvisor-timing:"

    public init(firstGuestEntryNanoseconds: UInt64, peakResidentBytes: UInt64, guestResidentBytes: UInt64) {
        self.firstGuestEntryNanoseconds = firstGuestEntryNanoseconds
        self.peakResidentBytes = peakResidentBytes
        self.guestResidentBytes = guestResidentBytes
    }

    /// The report of `machine` after its run.
    public init(_ machine: VirtMachine) {
        self.init(firstGuestEntryNanoseconds: machine.lifecycle.firstGuestEntry ?? 0,
                  peakResidentBytes: HostResources.peakResidentBytes() ?? 0,
                  guestResidentBytes: machine.residentGuestRAMBytes)
    }

    /// The report as the one line `parse` reads back.
    public var line: String {
        "\(Self.prefix) first-entry-ns=\(firstGuestEntryNanoseconds) peak-rss=\(peakResidentBytes) "
            + "guest-resident=\(guestResidentBytes)"
    }

    /// Finds the report line in `text` (a child's standard error).
    public static func parse(_ text: String) -> BootTimingReport? {
        guard let line = text.split(separator: "\n").last(where: { $0.hasPrefix(prefix) }) else { return nil }
        var fields: [String: UInt64] = [:]
        for part in line.dropFirst(prefix.count).split(separator: " ") {
            let kv = part.split(separator: "=")
            if kv.count == 2, let v = UInt64(kv[1]) { fields[String(kv[0])] = v }
        }
        guard let e = fields["first-entry-ns"], let p = fields["peak-rss"], let g = fields["guest-resident"] else { return nil }
        return BootTimingReport(firstGuestEntryNanoseconds: e, peakResidentBytes: p, guestResidentBytes: g)
    }
}
