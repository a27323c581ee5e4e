// Temporary: replaced by the CP15/CP14 model.
extension Core {
    func coprocessorRead32(_ a: CoprocessorAccess) throws(CPUException) -> UInt32 {
        if a.coproc == 15 && a.crn == 0 && a.opc1 == 0 && a.crm == 0 && a.opc2 == 0 { return CortexA15ID.midr }
        throw .undefined
    }
    func coprocessorWrite32(_ a: CoprocessorAccess, _ value: UInt32) throws(CPUException) { throw .undefined }
    func coprocessorRead64(_ a: CoprocessorAccess) throws(CPUException) -> UInt64 { throw .undefined }
    func coprocessorWrite64(_ a: CoprocessorAccess, _ value: UInt64) throws(CPUException) { throw .undefined }
}
