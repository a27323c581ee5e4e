import CHostAtomics

/// The local exclusive monitor of one core.
///
/// LDREX records the physical address and the value it read (in memory byte order); STREX
/// succeeds only with a compare-and-swap of that value on host memory. This
/// is correct across host threads without a global lock: any store by
/// another core that changed the value in between (exclusive or not) makes
/// the STREX fail, which is what the ARM global monitor guarantees for the
/// cases software relies on (it cannot detect a store of the same value, an
/// ABA case that QEMU accepts as well).
struct ExclusiveMonitor {
    var active = false
    var pa: UInt64 = 0
    var value: UInt64 = 0

    mutating func clear() { active = false }
}

extension Core {
    /// CLREX on behalf of software outside the instruction stream (the world
    /// switch clears the monitor before entering a guest).
    public func clearExclusiveMonitor() { exclusive.clear() }

    /// Performs the store of a store-exclusive if the monitor allows it.
    /// Returns 0 on success, 1 on failure (the STREX status value).
    func storeExclusive(_ va: UInt32, size: Int, value: UInt64) throws(CPUException) -> UInt32 {
        let t = try translateAddress(va, .write, unprivileged: false)
        defer { exclusive.clear() }
        // The monitor tags the address, not the size: a store-exclusive of another
        // size than its load-exclusive (UNPREDICTABLE in the ARM ARM) compares the
        // bytes it covers with the recorded value zero-extended or truncated, as
        // qemu-arm does (LDREXD then STREX to the same address succeeds there).
        guard exclusive.active, exclusive.pa == t.pa else { return 1 }
        guard let host = memory.hostPointer(t.pa, length: size) else {
            // Exclusives to device memory: plain store, always succeeds.
            if memory.gicVirtualInterface.mayContain(t.pa),
               gicVirtualInterfaceWrite(t.pa, size: size, value: UInt32(truncatingIfNeeded: value)) { return 0 }
            guard memory.write(t.pa, size: size, value: value) else {
                throw .dataAbort(MemoryFault(kind: .externalAbort, write: true, address: va,
                                             longFormat: faultFormatIsLong))
            }
            return 0
        }
        let old = exclusive.value
        var ok: Bool
        switch size {
        case 1: ok = armv_cas8(host, UInt8(truncatingIfNeeded: old), UInt8(truncatingIfNeeded: value))
        case 2: ok = armv_cas16(host, UInt16(truncatingIfNeeded: old), UInt16(truncatingIfNeeded: value))
        case 4: ok = armv_cas32(host, UInt32(truncatingIfNeeded: old), UInt32(truncatingIfNeeded: value))
        default: ok = armv_cas64(host, old, value)
        }
        if ok { memory.invalidateCodeIfNeeded(pa: t.pa, length: size) }
        // qemu-arm's status for a narrower STREX compares the bytes read back
        // with the whole recorded word: the store happens, but reports failure
        // when the load-exclusive's value had bits above this size.
        if ok && size < 4 && UInt32(truncatingIfNeeded: old) >> (8 * UInt32(size)) != 0 { return 1 }
        return ok ? 0 : 1
    }

    /// Marks the translated address of `va` exclusive with the value read.
    func markExclusive(_ va: UInt32, value: UInt64) throws(CPUException) {
        let t = try translateAddress(va, .read, unprivileged: false)
        exclusive = ExclusiveMonitor(active: true, pa: t.pa, value: value)
    }
}
