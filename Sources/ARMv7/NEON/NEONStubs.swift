// Groups of A7.4 not yet implemented: UNDEFINED until their files land.
extension Core {
    func neonThreeRegistersDifferentLength(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonTwoRegistersScalar(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonExtract(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonTwoRegistersMiscellaneous(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonTableLookup(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonDuplicateScalar(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonElementLoadStore(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonCoreTransfer(_ raw: UInt32) throws(CPUException) { throw .undefined }
}
