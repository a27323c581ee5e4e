import Foundation
import XCTest
import X86Assembler

/// Runs generated code from the W^X cache and checks its mappings.
final class ExecutableMemoryTests: XCTestCase {
    private typealias BinaryFunction = @convention(c) (UInt64, UInt64) -> UInt64
    private typealias NullaryFunction = @convention(c) () -> UInt64

    /// Copies finished code into `memory` and returns its entry point.
    private func place(_ a: inout X86Assembler, in memory: ExecutableMemory) throws -> UnsafeRawPointer {
        let code = try a.finish()
        let at = try XCTUnwrap(memory.allocate(code.count))
        XCTAssertTrue(memory.write(code, at: at))
        return memory.executableAddress(at)
    }

    func testMultiplyAddLoopRuns() throws {
        let memory = try ExecutableMemory(size: 4096)
        // (a, b) -> a*b + 7 by repeated addition; SysV passes a in rdi, b in rsi.
        var a = X86Assembler()
        let loop = a.newLabel(), done = a.newLabel()
        a.alu(.xor, .dword, .rax, .rax)
        a.test(.qword, .rsi, .rsi)
        a.jcc(.e, done)
        a.bind(loop)
        a.alu(.add, .qword, .rax, .rdi)
        a.alu(.sub, .qword, .rsi, imm: 1)
        a.jcc(.ne, loop)
        a.bind(done)
        a.alu(.add, .qword, .rax, imm: 7)
        a.ret()
        let f = unsafeBitCast(try place(&a, in: memory), to: BinaryFunction.self)
        XCTAssertEqual(f(6, 7), 49)
        XCTAssertEqual(f(0, 5), 7)
        XCTAssertEqual(f(5, 0), 7)
        XCTAssertEqual(f(123_456, 1000), 123_456_007)
    }

    func testHighRegistersAndStackRun() throws {
        let memory = try ExecutableMemory(size: 4096)
        // Saves callee-saved r12/r13, uses memory operands on rsp, imul, shifts and setcc.
        var a = X86Assembler()
        a.push(.r12)
        a.push(.r13)
        a.alu(.sub, .qword, .rsp, imm: 16)
        a.mov(.qword, .base(.rsp, 8), .rdi)
        a.mov(.qword, .r12, .base(.rsp, 8))
        a.mov(.qword, .r13, .rsi)
        a.imul(.qword, .r12, .r13)            // a*b
        a.shift(.shl, .qword, .r12, imm: 4)   // *16
        a.alu(.cmp, .qword, .r13, imm: 3)
        a.setcc(.g, .r13)                     // b > 3
        a.movzx(.r13, .r13, from: .byte)
        a.lea(.qword, .rax, .baseIndex(.r12, .r13, scale: 1))
        a.alu(.add, .qword, .rsp, imm: 16)
        a.pop(.r13)
        a.pop(.r12)
        a.ret()
        let f = unsafeBitCast(try place(&a, in: memory), to: BinaryFunction.self)
        XCTAssertEqual(f(3, 5), 3 * 5 * 16 + 1)
        XCTAssertEqual(f(3, 2), 3 * 2 * 16)
    }

    func testPatchedJumpIsFollowed() throws {
        let memory = try ExecutableMemory(size: 4096)
        func constant(_ v: UInt32) throws -> Int {
            var a = X86Assembler()
            a.mov(.rax, imm32: v)
            a.ret()
            let code = try a.finish()
            let at = try XCTUnwrap(memory.allocate(code.count))
            memory.write(code, at: at)
            return at
        }
        let one = try constant(1), two = try constant(2)
        var stub = X86Assembler()
        let fieldInStub = stub.jmpRel32Patchable()
        let code = try stub.finish()
        let at = try XCTUnwrap(memory.allocate(code.count, alignment: 16))
        memory.write(code, at: at)
        let field = at + fieldInStub
        let f = unsafeBitCast(memory.executableAddress(at), to: NullaryFunction.self)

        XCTAssertTrue(memory.patchRel32(fieldOffset: field, target: one))
        XCTAssertEqual(f(), 1)
        XCTAssertTrue(memory.patchRel32(fieldOffset: field, target: two))
        XCTAssertEqual(f(), 2)
        XCTAssertFalse(memory.patchRel32(fieldOffset: field + 1, target: two), "unaligned field")
        XCTAssertFalse(memory.patchRel32(fieldOffset: memory.size, target: two), "field outside")
    }

    func testAllocatorBumpsAlignsAndFills() throws {
        let memory = try ExecutableMemory(size: 100)
        XCTAssertEqual(memory.size % 4096, 0)
        XCTAssertEqual(memory.allocate(3), 0)
        XCTAssertEqual(memory.allocate(5, alignment: 16), 16)
        XCTAssertEqual(memory.allocate(1, alignment: 64), 64)
        XCTAssertEqual(memory.used, 65)
        XCTAssertNil(memory.allocate(memory.size))
        XCTAssertNil(memory.allocate(1, alignment: 3))
        XCTAssertEqual(memory.allocate(memory.size - 65, alignment: 1), 65)
        XCTAssertNil(memory.allocate(1, alignment: 1))
        memory.reset()
        XCTAssertEqual(memory.used, 0)
        XCTAssertEqual(memory.allocate(8), 0)
        XCTAssertFalse(memory.write([1, 2], at: memory.size - 1))
        XCTAssertThrowsError(try ExecutableMemory(size: 0))
    }

    func testViewsShareBytes() throws {
        let memory = try ExecutableMemory(size: 4096)
        memory.write([0xDE, 0xAD, 0xBE, 0xEF], at: 100)
        let seen = (0..<4).map { memory.executableAddress(100).load(fromByteOffset: $0, as: UInt8.self) }
        XCTAssertEqual(seen, [0xDE, 0xAD, 0xBE, 0xEF])
    }

    func testNoMappingIsWritableAndExecutable() throws {
        let memory = try ExecutableMemory(size: 8192)
        // /proc files report size 0, so read them to the end rather than by size.
        let handle = try XCTUnwrap(FileHandle(forReadingAtPath: "/proc/self/maps"))
        defer { try? handle.close() }
        let maps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        var jitMappings = 0
        var permissions: [UInt: String] = [:]
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2,
                  let start = fields[0].split(separator: "-").first.flatMap({ UInt($0, radix: 16) }) else { continue }
            permissions[start] = String(fields[1])
            if line.contains("armvisor-jit") {
                jitMappings += 1
                let p = fields[1]
                XCTAssertFalse(p.contains("w") && p.contains("x"), "W+X mapping: \(line)")
            }
        }
        XCTAssertGreaterThanOrEqual(jitMappings, 2, "the memfd's two views are not in /proc/self/maps")
        let writable = UInt(bitPattern: memory.writableBase)
        let executable = UInt(bitPattern: memory.executableBase)
        XCTAssertEqual(permissions[writable], "rw-s")
        XCTAssertEqual(permissions[executable], "r-xs")
    }

    /// Code written long ago is resident once, through the executable
    /// view: the writable view's pages are released as writing moves on,
    /// and the bytes survive (they are read back through both views).
    func testWritableViewIsReleasedBehindTheWriter() throws {
        let memory = try ExecutableMemory(size: 4 << 20)
        let chunk = [UInt8](repeating: 0xC3, count: 64 << 10)
        var offset = 0
        while offset + chunk.count <= 3 << 20 {
            XCTAssertTrue(memory.write(chunk, at: offset))
            offset += chunk.count
        }
        let writableKiB = try residentKiB(of: UInt(bitPattern: memory.writableBase))
        XCTAssertLessThanOrEqual(writableKiB, (ExecutableMemory.writableReleaseInterval >> 10) + 64,
                                 "the writable view keeps \(writableKiB) KiB resident after 3 MiB were written")
        XCTAssertEqual(memory.executableBase.load(fromByteOffset: 1 << 20, as: UInt8.self), 0xC3)
        XCTAssertEqual(memory.writableBase.load(fromByteOffset: 1 << 20, as: UInt8.self), 0xC3)
    }

    /// The Rss of the mapping starting at `start`, from /proc/self/smaps.
    private func residentKiB(of start: UInt) throws -> Int {
        let handle = try XCTUnwrap(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        defer { try? handle.close() }
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        var inMapping = false
        for line in text.split(separator: "\n") {
            if let first = line.split(separator: " ").first, first.contains("-"),
               let s = first.split(separator: "-").first.flatMap({ UInt($0, radix: 16) }) {
                inMapping = s == start
            } else if inMapping && line.hasPrefix("Rss:") {
                return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? -1
            }
        }
        XCTFail("no mapping at \(String(start, radix: 16)) in /proc/self/smaps")
        return -1
    }
}
