// Groups of A7.4 not yet implemented: UNDEFINED until their files land.
extension Core {
    func neonThreeRegistersSameLength(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonOneRegisterModifiedImmediate(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonTwoRegistersShift(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonElementLoadStore(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonCoreTransfer(_ raw: UInt32) throws(CPUException) { throw .undefined }
}
