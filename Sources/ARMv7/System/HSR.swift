/// The Hyp Syndrome Register, decoded: the exception class, the instruction
/// length and the class-specific syndrome (ISS) fields the hypervisor reads
/// (ARM ARM B3.13.6). One type for every reader, so no field is decoded
/// from a bare literal twice.
///
/// Everything is `@inlinable`: Hyp and KVM decode HSRs on every exit and
/// are built without cross-module optimisation.
@frozen
public struct HSR: Equatable, Sendable {
    /// The register's value.
    public var rawValue: UInt32

    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    /// EC, bits [31:26].
    @inlinable public var classCode: UInt32 { rawValue >> 26 }
    /// EC as a named class (nil for classes this core never reports).
    @inlinable public var exceptionClass: HSRClass? { HSRClass(rawValue: classCode) }
    /// Whether EC is `c` (one compare, no optional).
    @inlinable public func isClass(_ c: HSRClass) -> Bool { classCode == c.rawValue }
    /// ISS, bits [24:0].
    @inlinable public var iss: UInt32 { rawValue & 0x1FF_FFFF }
    /// IL: the trapped instruction was 32 bits wide.
    @inlinable public var is32BitInstruction: Bool { rawValue & (1 << 25) != 0 }
    /// Bytes to skip past the trapped instruction.
    @inlinable public var instructionLength: UInt32 { is32BitInstruction ? 4 : 2 }

    // MARK: Trapped instructions (WFI/WFE, MCR/MRC, MCRR/MRRC, VFP)

    /// CV: `condition` holds the instruction's condition code.
    @inlinable public var conditionValid: Bool { rawValue & (1 << 24) != 0 }
    /// COND, bits [23:20] (valid when `conditionValid`).
    @inlinable public var condition: UInt32 { (rawValue >> 20) & 0xF }
    /// WFI/WFE class: TI, bit 0, is set for WFE.
    @inlinable public var isWFE: Bool { rawValue & 1 != 0 }

    /// The MCR/MRC (classes 0x03, 0x05) or MCRR/MRRC (0x04, 0x0C) access
    /// the syndrome describes: Opc2 [19:17], Opc1 [16:14] (MCRR: [19:16]),
    /// CRn [13:10] (MCRR: Rt2), Rt [8:5], CRm [4:1], direction [0] (1 = read).
    public var coprocessorAccess: CoprocessorAccess {
        let is64 = self.isClass(.cp15_64) || self.isClass(.cp14_64)
        let coproc: UInt32 = self.isClass(.cp14_32) || self.isClass(.cp14_64) ? 14 : 15
        let r = rawValue
        return CoprocessorAccess(
            coproc: coproc,
            opc1: is64 ? (r >> 16) & 0xF : (r >> 14) & 7,
            crn: is64 ? 0 : (r >> 10) & 0xF,
            crm: (r >> 1) & 0xF,
            opc2: is64 ? 0 : (r >> 17) & 7,
            rt: Int((r >> 5) & 0xF),
            rt2: is64 ? Int((r >> 10) & 0xF) : 0,
            isRead: r & 1 != 0, is64: is64,
            cond: UInt8(conditionValid ? condition : 0xE), il32: is32BitInstruction)
    }

    /// HCPTR class: the coprocessor number, bits [3:0].
    @inlinable public var trappedCoprocessor: UInt32 { rawValue & 0xF }
    /// HCPTR class: TA, bit 5: an Advanced SIMD instruction trapped (its
    /// coproc field is then 0; a VFP instruction's is 10 or 11).
    @inlinable public var isAdvancedSIMDAccess: Bool { rawValue & (1 << 5) != 0 }

    /// HVC class: the immediate, bits [15:0].
    @inlinable public var hvcImmediate: UInt16 { UInt16(truncatingIfNeeded: rawValue) }

    // MARK: Aborts (data and prefetch)

    /// ISV, bit 24 (data aborts): SAS, SSE and SRT describe the access.
    @inlinable public var instructionSyndromeValid: Bool { rawValue & (1 << 24) != 0 }
    /// SAS, bits [23:22]: access size log2 (0 = byte … 2 = word).
    @inlinable public var accessSizeLog2: UInt32 { (rawValue >> 22) & 3 }
    /// Access size in bytes (from SAS).
    @inlinable public var accessSize: Int { 1 << Int(accessSizeLog2) }
    /// SSE, bit 21: a load that sign-extends.
    @inlinable public var signExtends: Bool { rawValue & (1 << 21) != 0 }
    /// SRT, bits [19:16]: the transfer register.
    @inlinable public var transferRegister: Int { Int((rawValue >> 16) & 0xF) }
    /// EA, bit 9: an external abort.
    @inlinable public var isExternalAbort: Bool { rawValue & (1 << 9) != 0 }
    /// CM, bit 8: raised by a cache maintenance operation.
    @inlinable public var isCacheMaintenance: Bool { rawValue & (1 << 8) != 0 }
    /// S1PTW, bit 7: a stage-2 fault on the stage-1 table walk.
    @inlinable public var isStage1Walk: Bool { rawValue & (1 << 7) != 0 }
    /// WnR, bit 6 (data aborts): the access was a write.
    @inlinable public var isWrite: Bool { rawValue & (1 << 6) != 0 }
    /// DFSC/IFSC, bits [5:0] (long-descriptor fault status code).
    @inlinable public var faultStatus: UInt32 { rawValue & 0x3F }
    /// The status code is a permission fault (any level).
    @inlinable public var isPermissionFault: Bool { faultStatus & 0x3C == 0x0C }
}
