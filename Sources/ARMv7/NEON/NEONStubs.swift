// Groups of A7.4 not yet implemented: UNDEFINED until their files land.
extension Core {
    func neonElementLoadStore(_ raw: UInt32) throws(CPUException) { throw .undefined }
    func neonCoreTransfer(_ raw: UInt32) throws(CPUException) { throw .undefined }
}
