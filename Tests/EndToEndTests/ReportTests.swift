@testable import AssayHost
import AssayTestSupport
import Foundation
import XCTest

/// `assay report`: the HTML of a stored run, its figures (rendered to PNG by
/// rsvg-convert and checked for content), a phase sweep's extra figure, and
/// the plotting pieces.
final class ReportTests: XCTestCase {
    private var scratch: TemporaryFolder!

    override func setUpWithError() throws {
        scratch = try TemporaryFolder("assay-report")
    }

    override func tearDown() {
        scratch?.remove()
        super.tearDown()
    }

    // MARK: Through the CLI

    func testReportOfTheDefaultRun() throws {
        let run = try DefaultRun.output()
        let id = try XCTUnwrap(run.document["run_id"] as? Int)
        let html = scratch.file("report.html"), figures = scratch.file("figures")
        let result = try assay(["report", "\(id)", "--db", run.db, "--output", html, "--figures", figures], in: scratch.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = try String(contentsOfFile: html, encoding: .utf8)

        XCTAssertEqual(Self.count("<svg", in: text), 2, "figures 1 and 2, no phase figure for an ordinary run")
        Self.assertSelfContained(text)
        let svgs = Self.svgs(in: text)
        XCTAssertEqual(svgs.count, 2)
        let names = ((run.document["verifiers"] as? [[String: Any]] ?? []) + (run.document["baselines"] as? [[String: Any]] ?? []))
            .compactMap { $0["name"] as? String }
        XCTAssertEqual(names.count, 9)
        let lines1 = lines(svgs[0]), lines2 = lines(svgs[1])
        XCTAssertEqual(lines1.filter { $0.hasPrefix("<polyline") }.count, names.count, "one line per selection")
        for name in names {
            let tag = "data-series=\"\(name)\""
            XCTAssertTrue(lines1.contains { $0.hasPrefix("<polyline") && $0.contains(tag) }, "figure 1 has no line for \(name)")
            XCTAssertTrue(lines1.contains { ($0.hasPrefix("<circle") || $0.hasPrefix("<rect")) && $0.contains(tag) },
                          "figure 1 has no markers for \(name)")
            if name != "clean" {   // clean has no score
                XCTAssertTrue(lines2.contains { $0.hasPrefix("<rect") && $0.contains(tag) }, "figure 2 has no bar for \(name)")
            }
        }
        XCTAssertTrue(svgs[0].contains("test accuracy / Bayes accuracy"))
        XCTAssertTrue(svgs[1].contains("generator error p = "))
        XCTAssertTrue(text.contains("<td>noisy-0.25</td>"), "the score table")
        XCTAssertTrue(text.contains("libassay_gaussian_mixture.so"), "the plugin list")
        XCTAssertTrue(text.contains("p_noise = 0.25"), "the config text")

        // The standalone SVGs are the report's figures, and each renders to
        // more than a blank canvas.
        for (index, name) in ["scaling", "pstar"].enumerated() {
            let svg = try String(contentsOfFile: figures + "/\(name).svg", encoding: .utf8)
            XCTAssertEqual(svg.trimmingCharacters(in: .whitespacesAndNewlines), svgs[index])
            XCTAssertGreaterThan(try Self.renderedColours(figures + "/\(name).svg"), 8, name)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: figures + "/phase.svg"))
    }

    /// The colour count can fail: a blank figure has exactly one colour.
    func testBlankFigureRendersToOneColour() throws {
        let canvas = SVGCanvas(width: 200, height: 100)
        let path = try scratch.write("blank.svg", canvas.render(title: "blank"))
        XCTAssertEqual(try Self.renderedColours(path), 1)
        var drawn = canvas
        drawn.line(10, 10, 190, 90, stroke: Palette.color(0), width: 3)
        let other = try scratch.write("line.svg", drawn.render(title: "a line"))
        XCTAssertGreaterThan(try Self.renderedColours(other), 1)
    }

    func testReportOfAPhaseSweepPointAddsThePhaseFigure() throws {
        let config = try scratch.write("phase.toml", """
            # a comment with markup: <script>alert(1)</script> & "quotes"
            seed = 3
            threads = 2
            [pool]
            size = 3000
            [test]
            size = 2000
            [retrain]
            n = [300]
            [generator]
            plugin = "gaussian-mixture"
            d = 10
            tau = 0.45
            n0 = 100
            labels = "flip"
            truth = "bayes"
            [[verifier]]
            name = "phi1-psi1"
            plugin = "noisy"
            p_noise = 1.0
            [[verifier]]
            name = "phi1-psi0.25"
            plugin = "noisy"
            p_noise = 0.25
            [phase]
            parameter = "flip_p"
            p = [0.1, 0.5, 0.9]
            """)
        let db = scratch.file("phase.sqlite")
        // An ordinary run of another config first, so the sweep's ids do not start at 1.
        let other = try scratch.write("other.toml", smallConfig(verifiers: """
            [[verifier]]
            name = "oracle"
            plugin = "oracle"
            """))
        XCTAssertEqual(try assay(["run", other, "--db", db]).status, 0)
        let sweep = try assay(["phase", config, "--db", db, "--json"], in: scratch.path)
        XCTAssertEqual(sweep.status, 0, sweep.stderr)
        let runIDs = try XCTUnwrap(try jsonObject(sweep.stdout)["run_ids"] as? [Int])
        XCTAssertEqual(runIDs, [2, 3, 4])
        XCTAssertEqual(try assay(["run", other, "--db", db]).status, 0, "a later run is not part of the sweep")

        let html = scratch.file("phase.html"), figures = scratch.file("phase-figures")
        let result = try assay(["report", "3", "--db", db, "--output", html, "--figures", figures], in: scratch.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertEqual(Self.count("<svg", in: text), 3)
        Self.assertSelfContained(text)
        XCTAssertTrue(text.contains("runs 2, 3, 4"), "the sweep's runs, and only those")
        XCTAssertTrue(text.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"), "the config, escaped")
        let phase = try XCTUnwrap(Self.svgs(in: text).last)
        XCTAssertTrue(phase.contains("data-series=\"phi1-psi1 (p* = 0.500)\""), phase)
        XCTAssertTrue(phase.contains("data-series=\"phi1-psi0.25 (p* = "), phase)
        XCTAssertGreaterThan(try Self.renderedColours(figures + "/phase.svg"), 3)

        // The ordinary run before the sweep has no phase figure.
        let first = try assay(["report", "1", "--db", db, "--output", "-"], in: scratch.path)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(Self.count("<svg", in: first.stdout), 2)
    }

    func testReportOfAnUnknownRun() throws {
        let result = try assay(["report", "42", "--db", scratch.file("empty.sqlite")], in: scratch.path)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(lines(result.stderr).count, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("assay: error: ") && result.stderr.contains("42"), result.stderr)
    }

    // MARK: Pieces

    func testTicks() {
        let linear = Ticks.linear(0.62, 1.0)
        XCTAssertEqual(linear.lower, 0.6, accuracy: 1e-12)
        XCTAssertEqual(linear.upper, 1.0, accuracy: 1e-12)
        XCTAssertEqual(linear.ticks.map(\.label), ["0.6", "0.7", "0.8", "0.9", "1.0"])
        XCTAssertEqual(Ticks.linear(0, 1).ticks.map(\.label), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        XCTAssertEqual(Ticks.niceStep(0.03), 0.05, accuracy: 1e-15)
        XCTAssertEqual(Ticks.niceStep(7), 10)
        let log = Ticks.log(100, 30_000)
        XCTAssertEqual(log.major.map(\.label), ["100", "1,000", "10,000"])
        XCTAssertTrue(log.minor.contains { abs($0 - 20_000) < 1e-6 })
        XCTAssertEqual(Ticks.log(100, 100).major.map(\.label), ["100"], "one power inside")
        let scale = Scale(lower: 10, upper: 1000, log: true, from: 0, to: 200)
        XCTAssertEqual(scale(100), 100, accuracy: 1e-9)
    }

    func testEscaping() {
        XCTAssertEqual(Markup.escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;")
        var canvas = SVGCanvas(width: 10, height: 10)
        canvas.text("<x & y>", x: 1, y: 1)
        XCTAssertTrue(canvas.render(title: "t<").contains(">&lt;x &amp; y&gt;</text>"))
        XCTAssertEqual(Markup.coordinate(12.500), "12.5")
        XCTAssertEqual(Markup.coordinate(-0.001), "0")
    }

    // MARK: Helpers

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The `<svg …>…</svg>` elements of a document, in order.
    static func svgs(in text: String) -> [String] {
        text.components(separatedBy: "<svg").dropFirst().compactMap { part in
            part.range(of: "</svg>").map { "<svg" + part[..<$0.upperBound] }
        }
    }

    /// No request leaves the file: no scripts, links, images or URLs other
    /// than the SVG namespace.
    static func assertSelfContained(_ html: String, line: UInt = #line) {
        for forbidden in ["<script", "<link", "<img", "src=", "@import", "url(", "@font-face"] {
            XCTAssertFalse(html.contains(forbidden), "report contains \(forbidden)", line: line)
        }
        let urls = html.components(separatedBy: "http").count - 1
        XCTAssertEqual(urls, count("xmlns=\"http://www.w3.org/2000/svg\"", in: html), "only the SVG namespace", line: line)
    }

    /// Renders an SVG to PNG with rsvg-convert and counts the distinct
    /// pixel colours (the PNG decoded with Python's zlib).
    static func renderedColours(_ svg: String, line: UInt = #line) throws -> Int {
        let png = svg + ".png"
        let render = try runProcess("/usr/bin/env", ["rsvg-convert", "-f", "png", svg, "-o", png])
        guard render.status == 0 else {
            XCTFail("rsvg-convert failed on \(svg) (is librsvg2-bin installed?): \(render.stderr)", line: line)
            throw MissingBuild(description: "rsvg-convert failed")
        }
        let decode = try runProcess("/usr/bin/env", ["python3", "-c", pngColours, png])
        guard decode.status == 0, let count = Int(decode.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            XCTFail("could not decode \(png): \(decode.stderr)", line: line)
            throw MissingBuild(description: "PNG decode failed")
        }
        return count
    }

    /// Counts the distinct colours of an 8-bit, non-interlaced PNG.
    static let pngColours = """
        import struct, sys, zlib
        data = open(sys.argv[1], 'rb').read()
        assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'not a PNG'
        pos, idat = 8, b''
        while pos < len(data):
            length, kind = struct.unpack('>I4s', data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + length]
            pos += 12 + length
            if kind == b'IHDR':
                width, height, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
            elif kind == b'IDAT':
                idat += body
        assert depth == 8 and interlace == 0, (depth, interlace)
        bpp = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
        raw, stride = zlib.decompress(idat), width * bpp
        prev, colours, i = bytearray(stride), set(), 0
        for _ in range(height):
            kind, row = raw[i], bytearray(raw[i + 1:i + 1 + stride])
            i += 1 + stride
            for x in range(stride):
                a = row[x - bpp] if x >= bpp else 0
                b = prev[x]
                c = prev[x - bpp] if x >= bpp else 0
                if kind == 1: row[x] = (row[x] + a) & 255
                elif kind == 2: row[x] = (row[x] + b) & 255
                elif kind == 3: row[x] = (row[x] + (a + b) // 2) & 255
                elif kind == 4:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    row[x] = (row[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            colours.update(bytes(row[k:k + bpp]) for k in range(0, stride, bpp))
            prev = row
        print(len(colours))
        """
}
