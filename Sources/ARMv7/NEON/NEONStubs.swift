// Groups of A7.4 not yet implemented: UNDEFINED until their files land.
extension Core {
    func neonThreeRegistersSameLength(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonOneRegisterModifiedImmediate(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonTwoRegistersShift(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonThreeRegistersDifferentLength(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonTwoRegistersScalar(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonExtract(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonTwoRegistersMiscellaneous(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonTableLookup(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonDuplicateScalar(_ raw: UInt32) throws(CPUException) { throw .undefined }
}
