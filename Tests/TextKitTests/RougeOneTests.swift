import AssayTestSupport
import Foundation
import TextKit
import XCTest

final class RougeOneTests: XCTestCase {
    private let rouge = RougeOne()

    func testTokensFollowRougeScore() {
        let tokenizer = RougeTokenizer()
        XCTAssertEqual(tokenizer.tokens("Real-time strategy (RTS) game, v2.0!"),
                       ["real", "time", "strategy", "rts", "game", "v2", "0"])
        // Non-ASCII letters are separators, except what their lower case
        // leaves in ASCII: Python's "İ".lower() is "i" + U+0307, and the
        // Kelvin sign lower-cases to "k".
        XCTAssertEqual(tokenizer.tokens("naïve café"), ["na", "ve", "caf"])
        XCTAssertEqual(tokenizer.tokens("İstanbul 5\u{212A}"), ["i", "stanbul", "5k"])
        XCTAssertEqual(tokenizer.tokens("  \n\t—  "), [])
    }

    /// Hand-computed: reference "the cat sat on the mat" (6 tokens),
    /// candidate "the cat the the dog" (5 tokens). Overlap: the → min(2, 3)
    /// = 2, cat → 1, so 3. P = 3/5, R = 3/6, F = 2·0.6·0.5/1.1 = 6/11.
    func testHandComputedCase() {
        let score = rouge.score(reference: "The cat sat on the mat.", candidate: "the cat, the the dog")
        XCTAssertEqual(score.precision, 0.6)
        XCTAssertEqual(score.recall, 0.5)
        XCTAssertEqual(score.f, 6.0 / 11.0, accuracy: 1e-15)
    }

    func testEmptyTextsScoreZero() {
        XCTAssertEqual(rouge.score(reference: "", candidate: "a b"), .init(precision: 0, recall: 0, f: 0))
        XCTAssertEqual(rouge.score(reference: "a b", candidate: "--"), .init(precision: 0, recall: 0, f: 0))
        XCTAssertEqual(rouge.score(reference: "x", candidate: "y"), .init(precision: 0, recall: 0, f: 0))
    }

    /// Against rouge-score on more than 10,000 pairs of real text: the
    /// Debian fixture's summaries against other pairs' articles and
    /// summaries, and each summary against its own article.
    func testEqualsRougeScoreOnRealText() throws {
        let pairs = try Self.fixturePairs()
        XCTAssertEqual(pairs.count, 405)
        var inputs: [[String]] = []
        for (i, pair) in pairs.enumerated() {
            inputs.append([pair.summary, pair.article])
            for j in 0..<25 {
                let other = pairs[(i * 7 + j * 13 + 1) % pairs.count]
                inputs.append([pair.summary, j % 2 == 0 ? other.article : other.summary])
            }
        }
        XCTAssertGreaterThanOrEqual(inputs.count, 10_000)
        let json = String(decoding: try JSONSerialization.data(withJSONObject: inputs), as: UTF8.self)
        let lines = String(decoding: try pythonReference("reference_rouge.py", input: json), as: UTF8.self)
            .split(separator: "\n")
        XCTAssertEqual(lines.count, inputs.count)
        var exact = 0, worst = 0.0
        for (input, line) in zip(inputs, lines) {
            let expected = line.split(separator: " ").map { Double(String($0))! }
            let score = rouge.score(reference: input[0], candidate: input[1])
            let got = [score.precision, score.recall, score.f]
            for (g, e) in zip(got, expected) { worst = max(worst, abs(g - e)) }
            if got == expected { exact += 1 }
            XCTAssertEqual(got[2], expected[2], accuracy: 1e-12, "reference: \(input[0]) | candidate: \(input[1])")
        }
        print("ROUGE-1 against rouge-score: \(inputs.count) pairs, \(exact) bit-identical, largest difference \(worst)")
        XCTAssertEqual(exact, inputs.count, "every pair's precision, recall and F bit-identical")
    }

    struct Pair: Decodable { var id: String; var article: String; var summary: String; var split: String }

    static func fixturePairs() throws -> [Pair] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/text/debian-pairs.jsonl")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(Pair.self, from: Data($0.utf8))
        }
    }
}
