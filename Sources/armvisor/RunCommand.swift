import ArgumentParser
import ARMv7
import Foundation
import Machine
import Guests
import Devices
import HostNetwork

/// `armvisor run`: boot a guest on the virt board.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a guest (the embedded demo guest when no image is given).")

    @Option(name: .long, help: "A flat binary or ELF image to run.")
    var image: String?

    @Option(name: .long, help: "Load address of a flat image (default: RAM base + 0x10000).")
    var load: String?

    @Option(name: .long, help: "Entry address (default: the load address, or the ELF entry).")
    var entry: String?

    @Option(name: .long, help: "Guest RAM size, e.g. 128M or 1G.")
    var mem: String = "128M"

    @Option(name: .long, help: "Stop after this many guest instructions.")
    var maxInstructions: UInt64?

    @Flag(name: .long, help: "Print execution and hypervisor exit statistics on exit (like kvm_stat).")
    var stats = false

    @Flag(name: .long, help: "Run the guest directly on the core, without the hypervisor.")
    var bareMetal = false

    @Option(name: .long, help: "Kernel command line (device tree chosen/bootargs).")
    var append: String = "console=ttyAMA0"

    @Option(name: .long, help: "Write the board's device tree blob to FILE and exit.")
    var dumpDtb: String?

    @Option(name: .long, help: "An initial ramdisk (initramfs) for a Linux kernel.")
    var initrd: String?

    @Option(name: .long, help: "A kernel as QEMU -kernel takes it: ELF at its physical addresses, anything else (zImage, flat binary) at RAM + 0x10000 (an uncompressed Image at RAM + 0x8000 with --uncompressed-kernel).")
    var kernel: String?

    @Flag(name: .long, help: "Deterministic mode: the counter advances with executed instructions (one 16 ns tick each), idle time is skipped, RTC and entropy seed are fixed; two runs print the same bytes. One VCPU.")
    var icount = false

    @Option(name: .long, help: "Number of VCPUs (1 to 8, the GICv2's limit), each on its own host thread.")
    var cpus: Int = 1

    @Option(name: .long, help: "A raw disk image for virtio-blk: FILE[,ro][,serial=NAME] (ro: read-only; serial: the GET_ID string, default the file name). Repeat for more disks (vda, vdb…).")
    var disk: [String] = []

    @Flag(name: .long, help: "Leave out the virtio entropy device.")
    var noVirtioRng = false

    @Flag(name: .long, help: "Leave out the virtio console (hvc0).")
    var noVirtioConsole = false

    @Flag(name: .long, help: "Offer the legacy (version 1) virtio-mmio interface.")
    var virtioLegacy = false

    @Option(name: .long, help: ArgumentHelp(
        "The guest's network (virtio-net): user[,hostfwd=tcp|udp:[HOSTADDR]:PORT-[GUESTADDR]:PORT]... (NAT through libslirp: guest 10.0.2.15, gateway 10.0.2.2 = the host's loopback, DNS 10.0.2.3; the default), tap,ifname=NAME, or none (the default with --icount).",
        valueName: "spec"))
    var net: String?

    /// The parsed `--net`; a malformed one is a one-line error.
    func networkOptions() throws -> NetworkOptions {
        let spec = net ?? (icount ? "none" : "user")
        do { return try NetworkOptions(parsing: spec) } catch { throw UsageError("--net \(spec): \(error)") }
    }

    /// The virtio devices the options ask for; a bad `--disk` or `--net` is a
    /// one-line error. With `withNetwork` the network backend is made (its
    /// ports bound, its TAP opened), ready for the board to start.
    func virtioOptions(withNetwork: Bool = true) throws -> VirtioOptions {
        var options = VirtioOptions(rng: !noVirtioRng, console: !noVirtioConsole, legacy: virtioLegacy)
        guard disk.count <= DiskOptions.maximumCount else {
            throw UsageError("at most \(DiskOptions.maximumCount) --disk options")
        }
        options.disks = try disk.map { spec throws(DiskOptionError) in try DiskOptions(parsing: spec) }
        let network = try networkOptions()
        if withNetwork, let backend = try network.makeNetworkBackend() {
            options.network = backend
            if let mac = network.mac, let address = VirtioNet.MACAddress(mac.bytes) { options.macAddress = address }
        }
        return options
    }

    /// Number of virtio transports, without making the network backend.
    func virtioTransportCount() throws -> Int {
        try virtioOptions(withNetwork: false).transportCount + (networkOptions() == .none ? 0 : 1)
    }

    @Flag(name: .long, help: "The --kernel is an uncompressed Image: load it at RAM + 0x8000 (TEXT_OFFSET), not RAM + 0x10000.")
    var uncompressedKernel = false

    @Flag(name: .long, help: .hidden)
    var timingReport = false

    @Option(name: .long, help: "How guest instructions execute: jit (translate to x86-64) or interpreter (the reference).")
    var engine: ExecutionEngine = .default

    func run() throws {
        do {
            let ramSize = try parseSize(mem)
            try BoardOptions.validate(cpus: cpus, bareMetal: bareMetal, deterministic: icount)
            if let path = dumpDtb {
                let blob = VirtDeviceTree(ramSize: ramSize, cpus: cpus, bootargs: append,
                                          virtioTransports: try virtioTransportCount()).blob()
                guard FileManager.default.createFile(atPath: path, contents: Data(blob)) else {
                    throw UsageError("cannot write \(path)")
                }
                throw ExitCode(0)
            }
            if uncompressedKernel && kernel == nil { throw UsageError("--uncompressed-kernel needs --kernel") }
            let console = ConsoleOutput()
            let start = Date()
            let outcome: RunOutcome
            let instructions: UInt64
            var report = ""
            if bareMetal {
                let machine = try BareMetalMachine(ramSize: ramSize, engine: engine, console: console.write)
                try machine.load(makeImage())
                outcome = machine.run(maxInstructions: maxInstructions ?? .max)
                instructions = machine.core.instructionCount
                report = JITReport.format([machine.core.jitStatistics], engine: engine)
            } else {
                let machine = try VirtMachine(ramSize: ramSize, cpus: cpus, deterministic: icount, engine: engine,
                                              virtio: try virtioOptions(),
                                              console: console.write)
                // The image's bytes are temporaries of this call, freed before
                // the guest runs (a kernel is megabytes of host memory).
                try machine.load(makeImage(), bootargs: append, initrd: try initrd.map(GuestImage.read))
                outcome = ConsoleSession.run(machine, maxInstructions: maxInstructions ?? .max, output: console)
                if timingReport { BootTiming.report(machine) }
                instructions = machine.instructionCount
                report = ExitStatistics.format(machine.statistics)
                report += JITReport.format(machine.vcpus.map(\.jitStatistics), engine: engine)
                for v in machine.vcpus {
                    let r = v.location
                    report += "vcpu\(v.id) pc 0x\(String(r.pc, radix: 16)) cpsr 0x\(String(r.cpsr, radix: 16)) "
                        + "\(v.instructionCount) instructions, \(v.statistics.worldSwitches) entries; " + machine.gic.stateSummary(cpu: v.id) + "\n"
                }
            }
            let seconds = Date().timeIntervalSince(start)
            if stats {
                let mips = seconds > 0 ? Double(instructions) / seconds / 1e6 : 0
                let line = "armvisor: \(instructions) instructions in \(String(format: "%.3f", seconds)) s "
                    + "(\(String(format: "%.1f", mips)) MIPS)\n"
                FileHandle.standardError.write((line + report).data(using: .utf8)!)
            }
            switch outcome {
            case .powerOff, .reset: throw ExitCode(0)
            case .instructionLimit:
                fail("stopped after \(instructions) instructions (--max-instructions)", status: 3)
            case .guestError(let message):
                fail(message, status: 1)
            case .stopped(let reason):
                FileHandle.standardError.write("armvisor: \(reason)\n".data(using: .utf8)!)
                throw ExitCode(ConsoleSession.exitStatus(for: reason))
            }
        } catch let e as ExitCode {
            throw e
        } catch let e as CustomStringConvertible {
            fail(e.description, status: 2)
        }
    }

    /// The image to run: --image, or the embedded demo guest.
    func makeImage() throws -> GuestImage {
        let ramBase = VirtMemoryMap.ramBase
        if image != nil && kernel != nil { throw UsageError("give --image or --kernel, not both") }
        guard let path = image ?? kernel else {
            if load != nil || entry != nil { throw UsageError("--load and --entry need --image") }
            return GuestImage.flat(EmbeddedGuests.demo, at: ramBase + VirtMemoryMap.defaultFlatLoadOffset)
        }
        let bytes = try GuestImage.read(path: path)
        let entryAddress = try entry.map(parseAddress)
        if kernel != nil && load == nil {
            return try GuestImage.kernel(bytes, path: path, uncompressed: uncompressedKernel, entry: entryAddress)
        }
        if GuestImage.isELF(bytes) && load == nil {
            var img = try GuestImage.elf(bytes)
            if let e = entryAddress { img.entry = e }
            return img
        }
        let loadAddress = try load.map(parseAddress) ?? ramBase + VirtMemoryMap.defaultFlatLoadOffset
        return GuestImage.flat(bytes, at: loadAddress, entry: entryAddress)
    }
}

/// A one-line command-line error.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Prints `armvisor: message` to standard error and exits with `status`.
func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write("armvisor: \(message)\n".data(using: .utf8)!)
    exit(status)
}

/// Parses 0x-prefixed hex or decimal addresses.
func parseAddress(_ s: String) throws -> UInt64 {
    let t = s.lowercased()
    let v = t.hasPrefix("0x") ? UInt64(t.dropFirst(2), radix: 16) : UInt64(t, radix: 10)
    guard let value = v, value <= 0xFFFF_FFFF else { throw UsageError("bad address '\(s)'") }
    return value
}

/// Parses sizes like 256M, 1G, 65536.
func parseSize(_ s: String) throws -> UInt64 {
    let t = s.uppercased()
    var mult: UInt64 = 1
    var digits = Substring(t)
    if t.hasSuffix("K") { mult = 1 << 10; digits = t.dropLast() }
    if t.hasSuffix("M") { mult = 1 << 20; digits = t.dropLast() }
    if t.hasSuffix("G") { mult = 1 << 30; digits = t.dropLast() }
    guard let n = UInt64(digits), n > 0, n <= (4 << 30) / mult else { throw UsageError("bad size '\(s)'") }
    return n * mult
}

/// Writes console bytes to standard output as they come: an interactive
/// guest's prompt has no newline to wait for.
final class ConsoleOutput: @unchecked Sendable {
    private let lock = NSLock()
    func write(_ b: UInt8) {
        var byte = b
        lock.lock()
        _ = Foundation.write(1, &byte, 1)
        lock.unlock()
    }
    /// Writes VMM text (the console help) in order with guest output.
    func write(text: String) {
        let bytes = Array(text.utf8)
        lock.lock()
        bytes.withUnsafeBytes { p in _ = Foundation.write(1, p.baseAddress, p.count) }
        lock.unlock()
    }
}
