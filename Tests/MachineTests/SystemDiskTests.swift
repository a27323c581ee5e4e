import Foundation
import XCTest

/// A real VM as a person uses one: the Debian system disk of
/// scripts/get-debian-disk boots (systemd, from /dev/vda) to a login prompt
/// on the console; root logs in there, and from the host through the user
/// network's port forwarding with the host's real OpenSSH client, in a
/// logind session on the system bus. Data the
/// guest syncs survives power-off and a SIGKILL of the hypervisor.
///
/// Its name sorts after the other guest tests' on purpose: XCTest runs
/// classes in name order, and CI builds the disk in the background while
/// they run, so this test finds it (nearly) done instead of waiting.
final class SystemDiskTests: XCTestCase {
    static var cache: URL {
        if let dir = ProcessInfo.processInfo.environment["ARMVISOR_DISK_CACHE"] { return URL(fileURLWithPath: dir) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/armvisor/debian-disk")
    }

    /// The release build when there is one (scripts/get-debian-disk needs it
    /// too, and CI builds it first): two systemd boots with SSH sessions take
    /// about 4 minutes on it and 4 times that on the debug build.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["ARMVISOR"] { return URL(fileURLWithPath: path) }
        let release = CommandLineTests.binary.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("release/armvisor")
        return FileManager.default.isExecutableFile(atPath: release.path) ? release : CommandLineTests.binary
    }

    var image: URL!
    var key: URL { Self.cache.appendingPathComponent("id_ed25519") }

    /// Waits (up to an hour) while scripts/get-debian-disk builds the disk:
    /// CI starts it in the background before the tests. The script holds
    /// an exclusive lock on build.lock while it runs.
    static func waitForADiskBuild() {
        let fd = open(cache.appendingPathComponent("build.lock").path, O_RDONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let deadline = Date().addingTimeInterval(3600)
        var told = false
        while flock(fd, LOCK_SH | LOCK_NB) != 0 && Date() < deadline {
            if !told {
                print("SystemDiskTests: waiting for scripts/get-debian-disk to finish building the disk")
                told = true
            }
            sleep(5)
        }
        flock(fd, LOCK_UN)
    }

    override func setUpWithError() throws {
        Self.waitForADiskBuild()
        let disk = Self.cache.appendingPathComponent("debian.img")
        guard FileManager.default.fileExists(atPath: disk.path), FileManager.default.fileExists(atPath: key.path),
              FileManager.default.isExecutableFile(atPath: Self.binary.path),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh") else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("no Debian system disk in \(Self.cache.path), no ssh or no armvisor binary: CI must run scripts/get-debian-disk and install openssh-client")
                throw XCTSkip("failed above")
            }
            throw XCTSkip("no Debian system disk: run scripts/get-debian-disk as root (needs debootstrap, e2fsprogs, openssh-client and a release build)")
        }
        // Each test boots its own copy (sparse, so cheap); the cached disk stays pristine.
        image = FileManager.default.temporaryDirectory.appendingPathComponent("armvisor-system-\(getpid())-\(UUID().uuidString).img")
        let cp = Process()
        cp.executableURL = URL(fileURLWithPath: "/bin/cp")
        cp.arguments = ["--sparse=always", disk.path, image.path]
        try cp.run()
        cp.waitUntilExit()
        XCTAssertEqual(cp.terminationStatus, 0)
    }

    override func tearDown() {
        if let image { try? FileManager.default.removeItem(at: image) }
    }

    /// Boots the disk with `port` on 127.0.0.1 forwarded to the guest's SSH port.
    func boot(port: UInt16) throws -> ArmvisorProcess {
        let guest = LinuxBootTests.cache
        return try ArmvisorProcess([
            "run", "--kernel", guest.appendingPathComponent("vmlinuz").path,
            "--initrd", guest.appendingPathComponent("initrd.cpio.gz").path, "--mem", "512M",
            "--disk", image.path, "--net", "user,hostfwd=tcp:127.0.0.1:\(port)-:22",
            "--append", "console=ttyAMA0 root=/dev/vda",
        ], binary: Self.binary)
    }

    /// Runs `command` in the guest through the host's OpenSSH client.
    func ssh(port: UInt16, _ command: String) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ssh")
        p.arguments = ["-i", key.path, "-p", "\(port)", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                       "-o", "BatchMode=yes", "-o", "ConnectTimeout=60", "-o", "LogLevel=ERROR", "root@127.0.0.1", command]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        CommandLineTests.killIfStillRunning(p, after: 120)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Whether the raw image file holds `token` (read in chunks; holes read as zeros).
    func imageContains(_ token: String) throws -> Bool {
        let needle = Data(token.utf8)
        let handle = try FileHandle(forReadingFrom: image)
        defer { try? handle.close() }
        var carry = Data()
        while let chunk = try handle.read(upToCount: 8 << 20), !chunk.isEmpty {
            let bytes = carry + chunk
            if bytes.range(of: needle) != nil { return true }
            carry = bytes.suffix(needle.count - 1)
        }
        return false
    }

    /// A failure's account of a VM: its whole console (a systemd boot's
    /// cause of trouble is rarely in the last lines; CI keeps only what is
    /// printed), printed once per VM.
    func console(_ vm: ArmvisorProcess, _ name: String) -> String {
        if !reported.contains(name) {
            reported.insert(name)
            print("---- \(name) console, whole ----\n\(vm.text)\n---- end of \(name) console ----")
        }
        return "(\(name)'s whole console is printed above) last lines:\n" + String(vm.text.suffix(1500))
    }
    private var reported: Set<String> = []

    func testLoginOnTheConsoleAndOverSSHAndSyncedDataSurvives() throws {
        let port = freeLoopbackPort()
        let vm = try boot(port: port)
        XCTAssertTrue(vm.wait(for: "armvisor login:", seconds: 900), "no login prompt: \(console(vm, "first boot"))")
        // The console: root logs in (no password on the console) and runs a
        // command. Standard input is the PL011, so the prompt to answer is
        // ttyAMA0's (the virtio console's getty, hvc0, may come first).
        XCTAssertTrue(vm.wait(for: "armvisor ttyAMA0", seconds: 300), "no getty on ttyAMA0: \(console(vm, "first boot"))")
        sleep(2)
        vm.type("root")
        XCTAssertTrue(vm.wait(for: "root@armvisor:~#", seconds: 120), "no shell prompt: \(console(vm, "first boot"))")
        vm.type("echo console-sum-$((40 + 2)) $(uname -m)")
        XCTAssertTrue(vm.wait(for: "console-sum-42 armv7l", seconds: 60), console(vm, "first boot"))

        // The host's OpenSSH client through the forwarded port, with the generated key.
        var login = try ssh(port: port, "uname -a; echo ssh-sum-$((6 * 7)); ip -4 -o addr show scope global")
        for attempt in 0..<20 where login.status != 0 {   // sshd may still be starting
            _ = attempt
            sleep(3)
            login = try ssh(port: port, "uname -a; echo ssh-sum-$((6 * 7)); ip -4 -o addr show scope global")
        }
        XCTAssertEqual(login.status, 0, "\(login.output)\n\(console(vm, "first boot"))")
        XCTAssertTrue(login.output.contains("Linux armvisor") && login.output.contains("armv7l"), login.output)
        XCTAssertTrue(login.output.contains("ssh-sum-42"), login.output)
        XCTAssertTrue(login.output.contains("inet 10.0.2.15/24"), "DHCP lease from the user network: \(login.output)")

        // The system bus and logind, as on any Debian system: the SSH
        // command runs in a logind session of root's.
        let session = try ssh(port: port, "systemctl is-active dbus.service systemd-logind.service; loginctl list-sessions --no-legend")
        XCTAssertEqual(session.status, 0, session.output)
        XCTAssertTrue(session.output.hasPrefix("active\nactive\n"), session.output)
        XCTAssertTrue(session.output.split(whereSeparator: \.isNewline).dropFirst(2).contains { $0.contains("root") },
                      "no logind session of root's: \(session.output)")

        // Written and synced, then a clean power-off from inside.
        let token = "ARMVISOR-PERSIST-\(UUID().uuidString)"
        XCTAssertEqual(try ssh(port: port, "echo \(token) > /root/persist && sync").status, 0)
        _ = try ssh(port: port, "systemctl poweroff")
        XCTAssertEqual(vm.waitForExit(seconds: 300), 0, "no power-off: \(console(vm, "first boot"))")

        // Second boot: the file is there. Then a synced write and SIGKILL.
        let port2 = freeLoopbackPort()
        let vm2 = try boot(port: port2)
        XCTAssertTrue(vm2.wait(for: "armvisor login:", seconds: 900), "no login prompt: \(console(vm2, "second boot"))")
        var read = try ssh(port: port2, "cat /root/persist")
        for _ in 0..<20 where read.status != 0 { sleep(3); read = try ssh(port: port2, "cat /root/persist") }
        XCTAssertEqual(read.output.trimmingCharacters(in: .whitespacesAndNewlines), token, console(vm2, "second boot"))
        let killed = "ARMVISOR-SIGKILL-\(UUID().uuidString)"
        XCTAssertEqual(try ssh(port: port2, "echo \(killed) > /root/killed && sync").status, 0)
        vm2.killHard()
        XCTAssertTrue(try imageContains(killed), "data the guest synced is on the host image after SIGKILL")
    }
}
