import Foundation

/// What the VMM process costs the host, for the boot benchmark.
public enum HostResources {
    /// Peak resident set size of this process (VmHWM), in bytes.
    public static func peakResidentBytes() -> UInt64? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kib = line.split(separator: " ").dropFirst().first.flatMap { UInt64($0) }
            return kib.map { $0 * 1024 }
        }
        return nil
    }
}

extension VirtMachine {
    /// Bytes of guest RAM backed by host memory now (pages the guest or the
    /// loader touched), counted with mincore(2) over the RAM mapping.
    public var residentGuestRAMBytes: UInt64 {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let pages = (Int(ram.size) + page - 1) / page
        var vector = [UInt8](repeating: 0, count: pages)
        guard mincore(ram.pointer, Int(ram.size), &vector) == 0 else { return 0 }
        return UInt64(vector.reduce(0) { $0 + Int($1 & 1) }) * UInt64(page)
    }
}
