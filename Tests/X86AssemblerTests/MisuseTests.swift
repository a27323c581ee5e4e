import XCTest
import X86Assembler

/// API misuse is reported by `finish()` throwing, never by a trap.
final class MisuseTests: XCTestCase {
    private func finishError(_ emit: (inout X86Assembler) -> Void) -> AssemblerError? {
        var a = X86Assembler()
        emit(&a)
        do {
            _ = try a.finish()
            return nil
        } catch let error as AssemblerError {
            return error
        } catch {
            return nil
        }
    }

    func testUnboundLabelThrows() {
        let error = finishError { a in
            let l = a.newLabel()
            a.jmp(l)
        }
        XCTAssertEqual(error, .unboundLabel(id: 0))
    }

    func testBindingTwiceThrows() {
        let error = finishError { a in
            let l = a.newLabel()
            a.bind(l)
            a.bind(l)
        }
        XCTAssertEqual(error, .labelBoundTwice(id: 0))
    }

    func testForeignLabelThrows() {
        var other = X86Assembler()
        _ = other.newLabel()
        let foreign = other.newLabel()
        XCTAssertEqual(finishError { $0.jmp(foreign) }, .unknownLabel(id: 1))
    }

    func testUnencodableOperandsThrow() {
        let misuses: [(String, (inout X86Assembler) -> Void)] = [
            ("rsp index", { $0.mov(.qword, .rax, .baseIndex(.rbx, .rsp, scale: 1)) }),
            ("scale 3", { $0.mov(.qword, .rax, .baseIndex(.rbx, .rcx, scale: 3)) }),
            ("lea byte", { $0.lea(.byte, .rax, .base(.rbx)) }),
            ("movzx dword", { $0.movzx(.rax, .rbx, from: .dword) }),
            ("movsx qword", { $0.movsx(.rax, .base(.rbx), from: .qword) }),
            ("imul byte", { $0.imul(.byte, .rax, .rbx) }),
            ("bswap word", { $0.bswap(.word, .rax) }),
            ("bt byte", { $0.bt(.byte, .rax, bit: 1) }),
            ("bsr byte", { $0.bsr(.byte, .rax, .rbx) }),
            ("cmov byte", { $0.cmov(.e, .byte, .rax, .rbx) }),
            ("align 3", { $0.align(3) }),
        ]
        for (name, emit) in misuses {
            guard case .invalidOperand? = finishError(emit) else {
                XCTFail("\(name) was accepted")
                continue
            }
        }
    }

    func testValidCodeAfterFinishIsReusable() throws {
        var a = X86Assembler()
        let l = a.newLabel()
        a.jmp(l)
        a.bind(l)
        XCTAssertEqual(try a.finish(), [0xE9, 0, 0, 0, 0])
        XCTAssertEqual(a.offset, 5)
    }
}
