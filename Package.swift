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
        .library(name: "ARMv7", targets: ["ARMv7"]),
        .library(name: "Machine", targets: ["Machine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "CHostAtomics"),
        // The fixed-layout guest-state block (a C struct, so generated code
        // can address its fields at ABI-fixed offsets).
        .target(name: "CGuestState"),
        .target(name: "ARMv7", dependencies: ["CHostAtomics", "CGuestState"], swiftSettings: hotLoopFlags),
        .target(name: "Hyp", dependencies: ["ARMv7"], swiftSettings: hotLoopFlags),
        .target(name: "KVM", dependencies: ["Hyp"], swiftSettings: hotLoopFlags),
        // Machine reaches guests only through KVM's API: no Hyp.
        .target(name: "Machine", dependencies: ["KVM", "ARMv7", "CHostAtomics"],
                swiftSettings: hotLoopFlags),
        .executableTarget(
            name: "armvisor",
            dependencies: ["Machine", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: hotLoopFlags),
        .testTarget(name: "ARMv7Tests", dependencies: ["ARMv7", "Machine"], resources: [.copy("Fixtures")]),
        .testTarget(name: "MachineTests", dependencies: ["Machine", "ARMv7"]),
        .testTarget(name: "KVMTests", dependencies: ["KVM", "Hyp", "ARMv7"]),
    ]
)
