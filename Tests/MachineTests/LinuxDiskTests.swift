import Devices
import Foundation
import XCTest
@testable import Machine

/// Debian's virtio_blk driver on two disks: what it reads from the
/// configuration (serial, read-only, discard and write-zeroes limits), a
/// discard that frees host blocks, a write that reaches the image, and a
/// read-only disk the guest cannot change.
final class LinuxDiskTests: XCTestCase {
    static let script = """
        #!/bin/busybox sh
        /bin/busybox --install -s /bin
        mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
        for m in virtio_mmio.ko virtio_blk.ko; do insmod /lib/modules/$m; done
        i=0; while [ ! -b /dev/vdb ] && [ $i -lt 100 ]; do usleep 50000; i=$((i+1)); done
        for d in vda vdb; do
            q=/sys/block/$d/queue
            echo "DISK $d size=$(cat /sys/block/$d/size) ro=$(cat /sys/block/$d/ro) serial=$(cat /sys/block/$d/serial) discard_max=$(cat $q/discard_max_bytes) granularity=$(cat $q/discard_granularity) zeroes_max=$(cat $q/write_zeroes_max_bytes) block=$(cat $q/logical_block_size)"
        done
        blkdiscard -o 65536 -l 1048576 /dev/vda; echo "DISCARD rc=$?"
        echo 3 > /proc/sys/vm/drop_caches
        echo "DISCARDED nonzero=$(dd if=/dev/vda bs=512 skip=128 count=2048 2>/dev/null | tr -d '\\0' | wc -c)"
        echo GUEST-WROTE-VDA | dd of=/dev/vda bs=512 seek=4000 conv=sync,fsync 2>/dev/null; echo "WRITE rc=$?"
        blkdiscard /dev/vdb 2>/dev/null; echo "RO-DISCARD rc=$?"
        echo x | dd of=/dev/vdb bs=512 conv=sync,fsync 2>/dev/null; echo "RO-WRITE rc=$?"
        poweroff -f

        """

    func testLinuxSeesTheFeaturesDiscardsAndWrites() throws {
        let (kernel, initrd) = try DebianGuest.files()
        let rd = try DebianGuest.initrd(initrd, withInit: Self.script)

        let dir = FileManager.default.temporaryDirectory
        let a = dir.appendingPathComponent("linux-vda-\(UUID()).img"), b = dir.appendingPathComponent("linux-vdb-\(UUID()).img")
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let aBytes = [UInt8](repeating: 0x79, count: 4 << 20), bBytes = [UInt8](repeating: 0x6E, count: 1 << 20)
        try Data(aBytes).write(to: a)
        try Data(bBytes).write(to: b)
        func blocks(_ url: URL) -> Int64 {
            let fd = open(url.path, O_RDONLY); defer { close(fd) }
            fsync(fd)
            var st = stat(); fstat(fd, &st)
            return Int64(st.st_blocks)
        }
        let allocated = blocks(a)

        var options = VirtioOptions()
        options.disks = [DiskOptions(path: a.path, serial: "vm-root"), DiskOptions(path: b.path, readOnly: true)]
        let capture = GuestRunner.Capture()
        let machine = try VirtMachine(ramSize: 256 << 20, virtio: options) { capture.bytes.append($0) }
        try machine.load(GuestImage.flat(try GuestImage.read(path: kernel.path),
                                         at: VirtMemoryMap.ramBase + VirtMemoryMap.defaultFlatLoadOffset),
                         bootargs: "console=ttyAMA0", initrd: rd)
        let outcome = machine.run(maxInstructions: 20_000_000_000)
        machine.shutdown()
        let text = capture.text
        XCTAssertEqual(outcome, .powerOff, String(text.suffix(1500)))

        let bName = b.lastPathComponent.utf8.prefix(20)
        var st = stat()
        stat(a.path, &st)
        let granularity = min(max(Int(st.st_blksize), 512), 1 << 20)   // discard_sector_alignment: one host block
        for line in ["DISK vda size=8192 ro=0 serial=vm-root discard_max=2147483648 granularity=\(granularity) zeroes_max=33554432 block=512",
                     "DISK vdb size=2048 ro=1 serial=\(String(decoding: bName, as: UTF8.self)) discard_max=0 granularity=0 zeroes_max=0 block=512",
                     "DISCARD rc=0", "DISCARDED nonzero=0", "WRITE rc=0", "RO-DISCARD rc=1", "RO-WRITE rc=1"] {
            XCTAssertTrue(text.contains(line), "missing \(line): \(text.suffix(1500))")
        }
        let after = [UInt8](try Data(contentsOf: a))
        XCTAssertEqual(Array(after[65536..<(65536 + (1 << 20))]), [UInt8](repeating: 0, count: 1 << 20), "discarded")
        XCTAssertEqual(Array(after[..<65536]), Array(aBytes[..<65536]), "neighbours untouched")
        XCTAssertEqual(Array(after[(4000 * 512)..<(4000 * 512 + 15)]), Array("GUEST-WROTE-VDA".utf8))
        XCTAssertLessThanOrEqual(blocks(a), allocated - 2048, "1 MiB deallocated on the host")
        XCTAssertEqual([UInt8](try Data(contentsOf: b)), bBytes, "the read-only disk is unchanged")
    }
}
