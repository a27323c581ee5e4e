/// A32 branches: B, BL, BLX (immediate and register), BX, BXJ.
extension Core {
    @inline(never) func executeBranch(_ op: A32Op, _ d: DecodedInstruction) {
        switch op {
        case .b:
            nextPC = r[15] &+ d.imm
        case .bl:
            r[14] = pc &+ 4
            nextPC = r[15] &+ d.imm
        case .blxImm:
            r[14] = pc &+ 4
            thumb = true
            nextPC = r[15] &+ d.imm
        case .blxReg:
            let target = r[Int(d.raw & 0xF)]
            r[14] = pc &+ 4
            bxWritePC(target)
        default: // BX, and BXJ (no Jazelle: behaves as BX)
            bxWritePC(r[Int(d.raw & 0xF)])
        }
    }
}
