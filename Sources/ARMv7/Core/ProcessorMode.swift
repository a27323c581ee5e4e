/// The processor modes of an ARMv7-A core with the Virtualization Extensions
/// and without the Security Extensions (so there is no Monitor mode).
public enum ProcessorMode: UInt32, Sendable, CaseIterable {
    case user = 0x10
    case fiq = 0x11
    case irq = 0x12
    case supervisor = 0x13
    case abort = 0x17
    case hyp = 0x1A
    case undefined = 0x1B
    case system = 0x1F

    /// Index of the register bank that holds this mode's R13/R14/SPSR.
    /// User and System share bank 0.
    @inline(__always) public var bank: Int {
        switch self {
        case .user, .system: return 0
        case .fiq: return 1
        case .irq: return 2
        case .supervisor: return 3
        case .abort: return 4
        case .undefined: return 5
        case .hyp: return 6
        }
    }

    /// Privilege level: PL0 for User, PL2 for Hyp, PL1 otherwise.
    @inline(__always) public var privilegeLevel: Int {
        switch self {
        case .user: return 0
        case .hyp: return 2
        default: return 1
        }
    }

    /// Modes that own an SPSR.
    @inline(__always) public var hasSPSR: Bool { self != .user && self != .system }
}

/// Bit positions of the CPSR/SPSR.
public enum PSR {
    public static let n: UInt32 = 1 << 31
    public static let z: UInt32 = 1 << 30
    public static let c: UInt32 = 1 << 29
    public static let v: UInt32 = 1 << 28
    public static let q: UInt32 = 1 << 27
    public static let j: UInt32 = 1 << 24
    public static let geMask: UInt32 = 0xF << 16
    public static let e: UInt32 = 1 << 9
    public static let a: UInt32 = 1 << 8
    public static let i: UInt32 = 1 << 7
    public static let f: UInt32 = 1 << 6
    public static let t: UInt32 = 1 << 5
    public static let modeMask: UInt32 = 0x1F
    /// IT[1:0] live in bits 26:25 and IT[7:2] in bits 15:10.
    public static let itMask: UInt32 = (0x3 << 25) | (0x3F << 10)

    /// Packs ITSTATE into its split PSR position.
    @inline(__always) public static func packIT(_ it: UInt32) -> UInt32 {
        ((it & 0x3) << 25) | ((it >> 2) << 10)
    }
    /// Extracts ITSTATE from a PSR value.
    @inline(__always) public static func unpackIT(_ psr: UInt32) -> UInt32 {
        ((psr >> 25) & 0x3) | (((psr >> 10) & 0x3F) << 2)
    }
}
