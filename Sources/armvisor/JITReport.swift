import ARMv7
import Foundation

/// The `--stats` lines about the JIT: per core, what was translated, how
/// long that took, and the code cache's state.
enum JITReport {
    static func format(_ cores: [JITStatistics], engine: ExecutionEngine) -> String {
        guard engine == .jit else { return "engine interpreter\n" }
        var out = ""
        for (i, s) in cores.enumerated() {
            let perBlock = s.blocksTranslated > 0 ? Double(s.translationNanos) / Double(s.blocksTranslated) / 1000 : 0
            out += "jit core\(i): \(s.blocksTranslated) blocks (\(s.instructionsTranslated) instructions) translated in "
                + String(format: "%.3f s (%.1f µs/block)", Double(s.translationNanos) / 1e9, perBlock)
                + ", \(s.chainsPatched) chains, \(s.invalidatedBlocks) invalidated, \(s.flushes) flushes, code cache "
                + "\(s.codeBytesUsed / 1024)/\(s.codeBytesCapacity / 1024) KiB; \(s.entries) entries, "
                + "\(s.tableLookups) jump-cache misses, \(s.jumpCacheFlushes) jump-cache flushes, "
                + "interpreted \(s.interpretedInBlocks) in blocks + \(s.interpretedAtChunkEnd) at chunk ends + "
                + "\(s.interpretedCold) in cold blocks; "
                + "slow paths: \(s.slowLoads) loads, \(s.slowStores) stores\n"
            if !s.topInterpreted.isEmpty {
                out += "jit core\(i): most interpreted: "
                    + s.topInterpreted.map { "\($0.operation) \($0.count)" }.joined(separator: ", ") + "\n"
            }
        }
        return out
    }
}
