import Foundation

/// Guest images built from guests/ (guests/Makefile copies them into
/// Sources/Guests/Images) and shipped as this module's resources.
///
/// Each image is read from the resource bundle on first use. A missing
/// image means a broken build or installation, not a user error, so it
/// stops the program with a message naming the file.
public enum EmbeddedGuests {
    /// The demo guest `armvisor run` boots by default (bare metal, flat binary).
    public static let demo = image("demo.bin")
    /// The integer benchmark, A32, bare metal.
    public static let bench = image("bench.bin")
    /// The same benchmark as a Linux user program, for qemu-arm.
    public static let benchLinux = image("bench-linux.elf")
    /// The integer benchmark, T32, bare metal.
    public static let benchThumb = image("bench-thumb.bin")
    /// The T32 benchmark as a Linux user program.
    public static let benchThumbLinux = image("bench-thumb-linux.elf")
    /// The floating-point benchmark (T32 + VFP), bare metal.
    public static let benchFP = image("bench-fp.bin")
    /// The floating-point benchmark as a Linux user program.
    public static let benchFPLinux = image("bench-fp-linux.elf")
    /// The Advanced SIMD benchmark (T32 + NEON intrinsics), bare metal.
    public static let benchNEON = image("bench-neon.bin")
    /// The NEON benchmark as a Linux user program, for qemu-arm.
    public static let benchNEONLinux = image("bench-neon-linux.elf")
    /// The floating-point "real program", bare metal.
    public static let fpProgram = image("fpprog.bin")
    /// The same program as a Linux user program.
    public static let fpProgramLinux = image("fpprog-linux.elf")
    /// The Advanced SIMD "real program" (guests/neonprog: T32, arm_neon.h
    /// intrinsics), bare metal.
    public static let neonProgram = image("neonprog.bin")
    /// The same program as a Linux user program.
    public static let neonProgramLinux = image("neonprog-linux.elf")

    /// The bytes of resource `Images/name`.
    static func image(_ name: String) -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Images"),
              let data = try? Data(contentsOf: url) else {
            fatalError("guest image \(name) is missing from the \(Bundle.module.bundlePath) resource bundle")
        }
        return [UInt8](data)
    }
}
