/// One MCR/MRC/MCRR/MRRC access, as decoded from A32 or T32.
public struct CoprocessorAccess: Sendable, Equatable {
    /// Coprocessor number (14 = debug, 15 = system control).
    public var coproc: UInt32
    public var opc1: UInt32
    public var crn: UInt32
    public var crm: UInt32
    public var opc2: UInt32
    /// Transfer register(s) (Rt2 only for the 64-bit forms).
    public var rt: Int
    public var rt2: Int
    /// MRC/MRRC (true) or MCR/MCRR (false).
    public var isRead: Bool
    /// MCRR/MRRC.
    public var is64: Bool
    /// Condition field of the instruction (0xE if unconditional), for HSR.COND.
    public var cond: UInt8
    /// 32-bit instruction (HSR.IL).
    public var il32: Bool

    public init(coproc: UInt32, opc1: UInt32, crn: UInt32, crm: UInt32, opc2: UInt32, rt: Int, rt2: Int = 0,
                isRead: Bool, is64: Bool, cond: UInt8 = 0xE, il32: Bool = true) {
        self.coproc = coproc; self.opc1 = opc1; self.crn = crn; self.crm = crm; self.opc2 = opc2
        self.rt = rt; self.rt2 = rt2; self.isRead = isRead; self.is64 = is64; self.cond = cond; self.il32 = il32
    }
}
