// swift-tools-version: 6.1
import PackageDescription

// The core is built without dynamic exclusivity checks: they were measured as
// the 10x cliff of an interpreter whose hot state lives in a class (see
// docs/ARCHITECTURE.md, "Performance rules").
// The hot loop lives inside the ARMv7 module, so no cross-module optimisation
// is needed (it also made incremental builds of clients inline stale field
// offsets after the core's layout changed).
let hotLoopFlags: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"]),
    // The emulator is optimised in debug builds too: `swift test` boots a
    // real Linux kernel (billions of guest instructions), which an -Onone
    // interpreter runs 15x slower.
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]

let package = Package(
    name: "Armvisor",
    products: [
        .executable(name: "armvisor", targets: ["armvisor"]),
        .library(name: "Devices", targets: ["Devices"]),
        .library(name: "ARMv7", targets: ["ARMv7"]),
        .library(name: "KVM", targets: ["KVM"]),
        .library(name: "Machine", targets: ["Machine"]),
        .library(name: "HostConsole", targets: ["HostConsole"]),
        .library(name: "Guests", targets: ["Guests"]),
        .library(name: "HostNetwork", targets: ["HostNetwork"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "CHostAtomics"),
        // memfd_create for the JIT's double-mapped (W^X) code cache.
        .target(name: "CHostMemory"),
        // The x86-64 encoder and executable memory the JIT emits into.
        // Optimised in debug builds too: translation is hot in system guests
        // (systemd, dpkg), and `swift test` boots them.
        .target(name: "X86Assembler", dependencies: ["CHostMemory"], swiftSettings: hotLoopFlags),
        // The fixed-layout guest-state block (a C struct, so generated code
        // can address its fields at ABI-fixed offsets).
        .target(name: "CGuestState"),
        // The MMIO bus and the devices on it: below the CPU, knowing nothing of it.
        // Built like the core, as when they lived in Machine: the Linux boot
        // tests push megabytes through the virtio devices.
        .target(name: "Devices", dependencies: ["CHostAtomics"], swiftSettings: hotLoopFlags),
        .target(name: "ARMv7", dependencies: ["CHostAtomics", "CGuestState", "Devices", "X86Assembler"], swiftSettings: hotLoopFlags),
        .target(name: "Hyp", dependencies: ["ARMv7"], swiftSettings: hotLoopFlags),
        .target(name: "KVM", dependencies: ["Hyp", "Devices"], swiftSettings: hotLoopFlags),
        // Machine reaches guests only through KVM's API: no Hyp.
        .target(name: "Machine", dependencies: ["KVM", "ARMv7", "Devices", "CHostAtomics"],
                swiftSettings: hotLoopFlags),
        // The host terminal as the guest's serial console.
        .target(name: "HostConsole", dependencies: ["Devices"]),
        // libslirp (user-mode networking), through pkg-config.
        .systemLibrary(name: "CSlirp", pkgConfig: "slirp", providers: [.apt(["libslirp-dev", "libglib2.0-dev"])]),
        // TUNSETIFF and eventfd for the network backends.
        .target(name: "CHostNetwork"),
        // The host side of the guest's network interface: slirp, TAP, `--net`.
        .target(name: "HostNetwork", dependencies: ["CSlirp", "CHostNetwork", "Devices"]),
        // Boot timing and hypervisor round trips, for `armvisor bench`.
        .target(name: "Benchmarks", dependencies: ["Machine", "KVM", "ARMv7"], swiftSettings: hotLoopFlags),
        // The guests armvisor ships, as resources (guests/Makefile refreshes them).
        .target(name: "Guests", resources: [.copy("Images")]),
        .executableTarget(
            name: "armvisor",
            dependencies: ["Machine", "Devices", "HostConsole", "HostNetwork", "Benchmarks", "Guests",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: hotLoopFlags),
        .testTarget(name: "DevicesTests", dependencies: ["Devices"]),
        .testTarget(name: "ARMv7Tests", dependencies: ["ARMv7", "Devices", "Machine"], resources: [.copy("Fixtures")]),
        .testTarget(name: "MachineTests",
                    dependencies: ["Machine", "Devices", "HostConsole", "HostNetwork", "Benchmarks", "Guests", "ARMv7"]),
        .testTarget(name: "KVMTests", dependencies: ["KVM", "Hyp", "ARMv7"]),
        .testTarget(name: "X86AssemblerTests", dependencies: ["X86Assembler"]),
        .testTarget(name: "HostNetworkTests", dependencies: ["HostNetwork", "Devices"]),
    ]
)
