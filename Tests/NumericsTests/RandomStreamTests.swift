import Numerics
import XCTest

final class RandomStreamTests: XCTestCase {
    private func prefix(_ stream: RandomStream, _ count: Int = 8) -> [UInt64] {
        var s = stream
        return (0..<count).map { _ in s.next() }
    }

    func testKnownAnswers() {
        // SplitMix64 seeded with 0 starts 0xe220a8397b1dcdaf (Vigna's reference
        // output); hashKeys of no keys is exactly one SplitMix64 step.
        XCTAssertEqual(hashKeys(0, []), 0xE220_A839_7B1D_CDAF)
        // FNV-1a 64 reference vectors: the offset basis, and "a".
        XCTAssertEqual(stableHash(""), 0xCBF2_9CE4_8422_2325)
        XCTAssertEqual(stableHash("a"), 0xAF63_DC4C_8601_EC8C)
        // Produced by an independent Python transcription of SplitMix64 and
        // xoshiro256++ (Blackman & Vigna's reference C), seed 42, keys [7, 3].
        XCTAssertEqual(prefix(RandomStream(seed: 42, keys: 7, 3), 4),
                       [0x3656_03D4_436A_AA9B, 0x4388_CBC4_8C02_F265, 0x96FB_7AD1_3546_3150, 0xCEE6_042F_825C_AEEF])
    }

    func testSameSeedAndKeysGiveSameSequence() {
        XCTAssertEqual(prefix(RandomStream(seed: 7, keys: 1, 2, 3), 1000),
                       prefix(RandomStream(seed: 7, keys: [1, 2, 3]), 1000))
        var a = RandomStream(seed: 99, keys: stableHash("plugin"), 5)
        var b = RandomStream(seed: 99, keys: stableHash("plugin"), 5)
        for _ in 0..<1000 {
            XCTAssertEqual(a.normal(), b.normal())
            XCTAssertEqual(a.uniform(), b.uniform())
        }
    }

    func testDifferentKeysGiveDifferentSequences() {
        let streams = [
            RandomStream(seed: 1, keys: []),
            RandomStream(seed: 1, keys: 0),
            RandomStream(seed: 1, keys: 1),
            RandomStream(seed: 1, keys: 2),
            RandomStream(seed: 2, keys: 1),
            RandomStream(seed: 1, keys: 1, 2),
            RandomStream(seed: 1, keys: 2, 1),
            RandomStream(seed: 1, keys: 1, 2, 0),
        ]
        let prefixes = streams.map { prefix($0) }
        for i in prefixes.indices {
            for j in prefixes.indices where j > i {
                XCTAssertNotEqual(prefixes[i], prefixes[j], "streams \(i) and \(j) coincide")
                // Not merely shifted: no word in common at all.
                XCTAssertTrue(Set(prefixes[i]).isDisjoint(with: prefixes[j]), "streams \(i) and \(j) overlap")
            }
        }
        XCTAssertNotEqual(stableHash("oracle"), stableHash("noisy"))
    }

    func testBulkFillsMatchScalarCalls() {
        let n = 10_007
        var bulk = RandomStream(seed: 5, keys: 11)
        var scalar = bulk
        var bits = [UInt64](repeating: 0, count: n)
        var uniforms = [Double](repeating: 0, count: n)
        var normals = [Double](repeating: 0, count: n)
        bits.withUnsafeMutableBufferPointer { bulk.fillBits($0) }
        uniforms.withUnsafeMutableBufferPointer { bulk.fillUniform($0) }
        normals.withUnsafeMutableBufferPointer { bulk.fillNormal($0) }
        XCTAssertEqual(bits, (0..<n).map { _ in scalar.next() })
        XCTAssertEqual(uniforms, (0..<n).map { _ in scalar.uniform() })
        XCTAssertEqual(normals, (0..<n).map { _ in scalar.normal() })
        // Both left the stream at the same position.
        XCTAssertEqual(bulk.next(), scalar.next())
    }

    func testUniformIsStrictlyInsideUnitInterval() {
        let n = 1_000_000
        var u = [Double](repeating: 0, count: n)
        var s = RandomStream(seed: 3, keys: 4)
        u.withUnsafeMutableBufferPointer { s.fillUniform($0) }
        XCTAssertTrue(u.allSatisfy { $0 > 0 && $0 < 1 })
        let mean = u.reduce(0, +) / Double(n)
        XCTAssertEqual(mean, 0.5, accuracy: 5 * (1.0 / 12 / Double(n)).squareRoot())
    }

    func testNormalMomentsAndKolmogorovSmirnov() {
        let n = 1_000_000
        var z = [Double](repeating: 0, count: n)
        var s = RandomStream(seed: 2024, keys: 1)
        z.withUnsafeMutableBufferPointer { s.fillNormal($0) }
        XCTAssertTrue(z.allSatisfy { $0.isFinite })

        let mean = z.reduce(0, +) / Double(n)
        let variance = z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        // Five standard errors: sd(mean) = 1/√n, sd(variance) ≈ √(2/n).
        XCTAssertEqual(mean, 0, accuracy: 5 / Double(n).squareRoot())
        XCTAssertEqual(variance, 1, accuracy: 5 * (2 / Double(n)).squareRoot())

        z.sort()
        var d = 0.0
        for (i, v) in z.enumerated() {
            let f = normalCDF(v)
            d = max(d, Double(i + 1) / Double(n) - f, f - Double(i) / Double(n))
        }
        // 1.63/√n is the 1 % critical value of the KS statistic.
        XCTAssertLessThan(d, 1.63 / Double(n).squareRoot() * 1.5, "KS statistic \(d)")
    }

    func testNormalTailsAndSymmetry() {
        // The tail beyond the ziggurat's base edge r has its own code path;
        // count it, and check its shape against Φ conditioned on |z| > r.
        let r = 3.6541528853610088
        let n = 4_000_000
        var s = RandomStream(seed: 17, keys: 2)
        var tail: [Double] = []
        var negative = 0, beyondThree = 0
        for _ in 0..<n {
            let z = s.normal()
            if z < 0 { negative += 1 }
            if abs(z) > 3 { beyondThree += 1 }
            if abs(z) > r { tail.append(abs(z)) }
        }
        func expectCount(_ observed: Int, probability p: Double, _ label: String) {
            let mean = Double(n) * p, sd = (Double(n) * p * (1 - p)).squareRoot()
            XCTAssertEqual(Double(observed), mean, accuracy: 5 * sd, label)
        }
        expectCount(negative, probability: 0.5, "negative")
        expectCount(beyondThree, probability: 2 * normalCDF(-3), "|z| > 3")
        expectCount(tail.count, probability: 2 * normalCDF(-r), "|z| > r")

        tail.sort()
        let tailMass = normalCDF(-r)
        var d = 0.0
        for (i, v) in tail.enumerated() {
            let f = (tailMass - normalCDF(-v)) / tailMass
            d = max(d, Double(i + 1) / Double(tail.count) - f, f - Double(i) / Double(tail.count))
        }
        XCTAssertLessThan(d, 1.63 / Double(tail.count).squareRoot() * 1.5, "tail KS statistic \(d)")
    }
}
