@testable import ARMv7
import XCTest

/// The JIT's block lookup table against Swift's Dictionary as the model:
/// random inserts, replacements and removals, through several growths and
/// with keys that differ in one field only.
final class BlockTableTests: XCTestCase {
    func testRandomOperationsAgreeWithADictionary() {
        var rng = SystemRandomNumberGenerator()
        let table = BlockTable(capacity: 4)
        var model: [BlockKey: Int32] = [:]
        // Few distinct pages and PCs so that keys collide in each field.
        func randomKey() -> BlockKey {
            BlockKey(physicalPC: UInt64.random(in: 0..<64, using: &rng) << 12 | UInt64.random(in: 0..<8) * 4,
                     virtualPC: UInt32.random(in: 0..<4, using: &rng) << 20, key: UInt32.random(in: 0..<3))
        }
        for step in 0..<200_000 {
            let k = randomKey()
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<5:
                let v = Int32.random(in: 0..<1_000_000, using: &rng)
                table.insert(k, v)
                model[k] = v
            case 5..<8:
                table.remove(k)
                model[k] = nil
            default:
                if step % 50_000 == 0 {
                    table.removeAll()
                    model.removeAll()
                }
            }
            XCTAssertEqual(table[k], model[k])
            if table.count != model.count {
                XCTFail("count \(table.count), model \(model.count) at step \(step)")
                return
            }
        }
        for (k, v) in model { XCTAssertEqual(table[k], v) }
    }

    func testKeysDifferingOnlyInVirtualPCOrStateAreDistinct() {
        let table = BlockTable()
        let a = BlockKey(physicalPC: 0x8000, virtualPC: 0xC000_8000, key: 1)
        let b = BlockKey(physicalPC: 0x8000, virtualPC: 0x0000_8000, key: 1)
        let c = BlockKey(physicalPC: 0x8000, virtualPC: 0xC000_8000, key: 2)
        table.insert(a, 1)
        table.insert(b, 2)
        table.insert(c, 3)
        XCTAssertEqual([table[a], table[b], table[c]], [1, 2, 3])
        table.remove(b)
        XCTAssertEqual([table[a], table[b], table[c]], [1, nil, 3])
        XCTAssertEqual(table.count, 2)
    }
}
