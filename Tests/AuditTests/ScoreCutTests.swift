import AssayAudit
import Numerics
import XCTest

/// The streamed radix select keeps exactly the rows a full sort would:
/// the top round(f·N) scores, ties by row order.
final class ScoreCutTests: XCTestCase {
    func reference(_ scores: [Double], fraction: Double) -> Set<Int> {
        let keep = Int((fraction * Double(scores.count)).rounded())
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        return Set(order.prefix(keep))
    }

    func streamed(_ scores: [Double], fraction: Double) throws -> Set<Int> {
        let cut = try ScoreCut.find(fractions: [fraction]) { row in
            for score in scores { row([score]) }
        }[0]
        var keeper = ScoreCut.Keeper(cut)
        return Set(scores.indices.filter { keeper.keeps(scores[$0]) })
    }

    func testAgainstASort() throws {
        var random = RandomStream(seed: 5, keys: 2)
        // Many ties (two decimals), negative scores, zeros of both signs,
        // and values that share their top 16 bits.
        let scores: [Double] = (0..<4000).map { i in
            switch i % 4 {
            case 0: return (random.uniform() * 100).rounded() / 100
            case 1: return -random.uniform()
            case 2: return i % 8 == 2 ? 0.0 : -0.0
            default: return 1 + random.uniform() * 1e-12
            }
        }
        for fraction in [0, 0.001, 0.1, 0.25, 0.37, 0.5, 0.75, 0.999, 1] {
            XCTAssertEqual(try streamed(scores, fraction: fraction), reference(scores, fraction: fraction), "fraction \(fraction)")
        }
    }

    func testKeyIsOrderPreserving() {
        let values: [Double] = [-.greatestFiniteMagnitude, -1, -1e-300, 0, 1e-300, 1, .greatestFiniteMagnitude]
        for (a, b) in zip(values, values.dropFirst()) { XCTAssertLessThan(ScoreCut.key(a), ScoreCut.key(b)) }
        XCTAssertEqual(ScoreCut.key(-0.0), ScoreCut.key(0.0))
    }
}
