/// A32 LDM/STM in all forms, including user-bank and exception-return.
extension Core {
    @inline(never) func executeBlockTransfer(_ op: A32Op, _ raw: UInt32) throws(CPUException) {
        let rn = Int((raw >> 16) & 0xF)
        let list = raw & 0xFFFF
        // An empty list is UNPREDICTABLE; it transfers nothing here.
        if list == 0 { return }
        let count = UInt32(list.nonzeroBitCount)
        let base = r[rn]
        let p = raw & (1 << 24) != 0, u = raw & (1 << 23) != 0
        let w = raw & (1 << 21) != 0
        var addr: UInt32
        switch (p, u) {
        case (false, true): addr = base
        case (true, true): addr = base &+ 4
        case (false, false): addr = base &- 4 &* count &+ 4
        case (true, false): addr = base &- 4 &* count
        }
        let newBase = u ? base &+ 4 &* count : base &- 4 &* count
        let isLoad = op == .ldm || op == .ldmUser || op == .ldmReturn
        try requireAlignment(addr, 4, write: !isLoad)

        if isLoad {
            // Read everything first: an abort part-way leaves the registers alone.
            var values = (UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
                          UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0))
            try withUnsafeMutableBytes(of: &values) { (buf) throws(CPUException) in
                let v = buf.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt32.self)
                var a = addr
                for i in 0..<16 where list & (1 << UInt32(i)) != 0 {
                    v[i] = try read32(a)
                    a = a &+ 4
                }
                if w && list & (1 << UInt32(rn)) == 0 { r[rn] = newBase }
                if op == .ldmUser {
                    for i in 0..<15 where list & (1 << UInt32(i)) != 0 { setUserRegister(i, v[i]) }
                    return
                }
                for i in 0..<15 where list & (1 << UInt32(i)) != 0 { r[i] = v[i] }
                if list & 0x8000 != 0 {
                    if op == .ldmReturn {
                        try exceptionReturn(to: v[15], spsr: spsr)
                    } else {
                        loadWritePC(v[15])
                    }
                }
            }
        } else {
            var a = addr
            for i in 0..<16 where list & (1 << UInt32(i)) != 0 {
                let v = op == .stmUser ? userRegister(i) : r[i]
                try write32(a, v)
                a = a &+ 4
            }
            if w && op != .stmUser { r[rn] = newBase }
        }
    }

    /// Register `i` of the User bank (for LDM/STM with ^).
    @inline(__always) func userRegister(_ i: Int) -> UInt32 {
        if i == 15 { return r[15] }
        if mode == .user || mode == .system { return r[i] }
        return bankedRegister(i, mode: .user)
    }

    @inline(__always) func setUserRegister(_ i: Int, _ v: UInt32) {
        if mode == .user || mode == .system { r[i] = v } else { setBankedRegister(i, mode: .user, v) }
    }
}
