// abi_overhead.swift -- what crossing the plugin ABI costs a verifier.
//
// Times the margin verifier on one ROWS x COLS batch two ways, in one
// process, on the same data and weights:
//
//   direct  a MarginVerifier made here, from Plugins/Margin/MarginVerifier.swift
//           compiled into this executable with Sources/PluginKit and
//           Sources/Numerics (see the Makefile), its verify called as a
//           Swift method;
//   ABI     the release build's libassay_margin.so, loaded with dlopen: the
//           same source, reached through assay_plugin_entry, create and the
//           verify function pointer, as the host reaches it.
//
// The difference is the ABI alone: the C trampoline, the Batch/HostRandom
// wrappers, the instance lookup and dynamic dispatch, the wrapper's batch
// checks, the error plumbing.
// A batch of one row gives the fixed cost of a call.
//
//   abi_overhead LIBRARY [ROWS [COLS [ROUNDS]]]   prints one JSON document
//
// OpenBLAS runs on the calling thread. The two sides alternate round by
// round (and which goes first), each round timing enough calls for ~20 ms;
// figures are medians over the rounds. The keep bits of the two sides must
// be equal (exit status 2 otherwise), so the harness also checks that both
// sides did the same work.

import Foundation
import Numerics
import PluginAPI
import PluginKit

@main
struct ABIOverhead {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2 else { fail("usage: abi_overhead LIBRARY [ROWS [COLS [ROUNDS]]]") }
        func positive(_ index: Int, _ fallback: Int) -> Int {
            guard arguments.count > index else { return fallback }
            guard let value = Int(arguments[index]), value > 0 else { fail("ROWS, COLS and ROUNDS must be positive integers") }
            return value
        }
        let path = arguments[1], rows = positive(2, 8192), cols = positive(3, 100), rounds = positive(4, 41)
        LinearAlgebra.useCallingThreadOnly()

        // Data: x ~ N(0, I), w ~ N(0, I), labels ±1; fixed seed.
        let rng = UnsafeMutablePointer<assay_random>.allocate(capacity: 1)
        let source = UnsafeMutablePointer<RandomStream>.allocate(capacity: 1)
        source.initialize(to: RandomStream(seed: 12345, keys: [4]))
        rng.initialize(to: assay_random(struct_size: UInt32(MemoryLayout<assay_random>.size), reserved: 0,
                                        state: UnsafeMutableRawPointer(source),
                                        uniform: randomUniform, normal: randomNormal, bits: randomBits))
        let x = UnsafeMutableBufferPointer<Double>.allocate(capacity: rows * cols)
        let y = UnsafeMutableBufferPointer<Double>.allocate(capacity: rows)
        source.pointee.fillNormal(x)
        let w = (0 ..< cols).map { _ in source.pointee.normal() }
        for i in 0 ..< rows { y[i] = source.pointee.next() & 1 == 0 ? -1 : 1 }
        // Both sides get the weights from this same text, as the host would pass them.
        let config = "{\"w\": [\(w.map { "\($0)" }.joined(separator: ", "))]}"

        // One tiny host for both sides: a log callback, one thread, no truth services.
        let host = UnsafeMutablePointer<assay_host>.allocate(capacity: 1)
        host.initialize(to: assay_host())
        host.pointee.struct_size = UInt32(MemoryLayout<assay_host>.size)
        host.pointee.abi_minor = UInt32(ASSAY_ABI_MINOR)
        host.pointee.log = hostLog
        host.pointee.threads = 1
        let error = UnsafeMutablePointer<assay_error>.allocate(capacity: 1)
        error.initialize(to: assay_error())

        // (a) direct: the verifier's own initialiser and prepare.
        let task = TaskShape(xCols: cols, yCols: 1, generatorID: "gaussian-mixture")
        let direct: MarginVerifier
        do {
            let parsed = try ConfigReader(json: config, origin: "margin config")
            direct = try MarginVerifier(config: parsed, host: HostServices(host))
            try parsed.finish()
            try direct.prepare(task: task, rng: HostRandom(rng))
        } catch {
            fail("direct: \(error)")
        }

        // (b) through the ABI: the plugin library as the host loads it.
        guard let library = dlopen(path, RTLD_NOW | RTLD_LOCAL) else { fail("dlopen failed: \(String(cString: dlerror()))") }
        guard let symbol = dlsym(library, ASSAY_PLUGIN_ENTRY_SYMBOL) else { fail("\(path) has no \(ASSAY_PLUGIN_ENTRY_SYMBOL)") }
        let table = unsafeBitCast(symbol, to: assay_plugin_entry_fn.self)()!.pointee
        guard table.abi_major == UInt32(ASSAY_ABI_MAJOR) else { fail("ABI major version \(table.abi_major) differs") }
        guard let plugin = (0 ..< Int(table.plugin_count)).compactMap({ table.plugins[$0] }).first(where: {
            $0.pointee.kind == assay_plugin_kind(ASSAY_KIND_VERIFIER) && String(cString: $0.pointee.id) == "margin"
        }) else { fail("\(path) has no verifier \"margin\"") }
        var created: UnsafeMutableRawPointer?
        guard plugin.pointee.create(plugin, config, host, &created, error) == ok, let instance = created else {
            fail("create: \(error.pointee.text)")
        }
        let verifier = plugin.pointee.verifier.pointee
        let abiTask = UnsafeMutablePointer<assay_task>.allocate(capacity: 1)
        abiTask.initialize(to: assay_task(struct_size: UInt32(MemoryLayout<assay_task>.size), reserved: 0,
                                          x_cols: UInt64(cols), y_cols: 1, generator_id: strdup("gaussian-mixture")))
        guard verifier.prepare(instance, abiTask, rng, error) == ok else { fail("prepare: \(error.pointee.text)") }
        var selection = assay_selection()
        guard verifier.selection(instance, &selection, error) == ok, selection.mode == assay_selection_mode(ASSAY_SELECT_RULE) else {
            fail("expected a RULE verifier")
        }
        let verify = verifier.verify!

        let keepABI = UnsafeMutablePointer<UInt8>.allocate(capacity: rows)
        let keepDirect = UnsafeMutablePointer<UInt8>.allocate(capacity: rows)
        let batch = UnsafeMutablePointer<assay_batch>.allocate(capacity: 1)
        batch.initialize(to: assay_batch(struct_size: UInt32(MemoryLayout<assay_batch>.size), reserved: 0,
                                         rows: UInt64(rows), first_row: 0, x: UnsafePointer(x.baseAddress),
                                         x_cols: UInt64(cols), y: UnsafePointer(y.baseAddress), y_cols: 1,
                                         host_context: nil))
        var results: [(abi: Double, direct: Double, difference: [Double])] = []
        var match = true
        // The full batch, then one row for the fixed cost of a call.
        for n in [rows, 1] {
            batch.pointee.rows = UInt64(n)
            // Different fills, so that a side that wrote nothing cannot match.
            keepABI.update(repeating: 0xAA, count: n)
            keepDirect.update(repeating: 0x55, count: n)
            let viaABI = {
                guard verify(instance, batch, rng, keepABI, nil, error) == ok else { fail("verify: \(error.pointee.text)") }
            }
            let keep = UnsafeMutableBufferPointer(start: keepDirect, count: n)
            let viaDirect = {
                // A scratch frame per call, as PluginKit's verify wrapper opens one.
                do { try Scratch.withFrame { try direct.keep(Batch(batch), rng: HostRandom(rng), scratch: $0, into: keep) } } catch {
                    fail("direct verify: \(error)")
                }
            }
            // Enough calls per round for ~20 ms (this also warms both sides up).
            var calls = 1
            while secondsPerCall(calls, viaDirect) * Double(calls) < 0.02 { calls *= 2 }
            _ = secondsPerCall(calls, viaABI)
            var abiTimes: [Double] = [], directTimes: [Double] = []
            for round in 0 ..< rounds {
                if round % 2 == 0 {
                    abiTimes.append(secondsPerCall(calls, viaABI))
                    directTimes.append(secondsPerCall(calls, viaDirect))
                } else {
                    directTimes.append(secondsPerCall(calls, viaDirect))
                    abiTimes.append(secondsPerCall(calls, viaABI))
                }
            }
            match = match && memcmp(keepABI, keepDirect, n) == 0
            results.append((median(abiTimes), median(directTimes), zip(abiTimes, directTimes).map { $0 - $1 }))
        }
        plugin.pointee.destroy(instance)

        // Overhead: the median over rounds of (ABI − direct) in the same
        // round, so that drift in the machine's speed cancels; its quartiles
        // show the noise. Percentages are of the direct verifier's time.
        let full = results[0], one = results[1]
        let us = 1e6, verifyTime = full.direct
        func number(_ value: Double) -> String { String(format: "%.3f", value) }
        func percent(_ value: Double) -> String { String(format: "%.2f", 100 * value / verifyTime) }
        let fields: [(String, String)] = [
            ("library", jsonString(path)),
            ("compared_with", "\"the same Swift verifier (Plugins/Margin/MarginVerifier.swift) linked directly\""),
            ("rows", "\(rows)"), ("cols", "\(cols)"), ("rounds", "\(rounds)"),
            ("abi_verify_us", number(us * full.abi)),
            ("direct_verify_us", number(us * full.direct)),
            ("overhead_us", number(us * median(full.difference))),
            ("overhead_quartiles_us", "[\(number(us * quantile(full.difference, 0.25))), \(number(us * quantile(full.difference, 0.75)))]"),
            ("overhead_percent_of_verify", percent(median(full.difference))),
            ("abi_call_1row_us", number(us * one.abi)),
            ("direct_1row_us", number(us * one.direct)),
            ("fixed_call_overhead_us", number(us * median(one.difference))),
            ("fixed_percent_of_verify", percent(median(one.difference))),
            ("keep_bits_match", "\(match)"),
        ]
        print("{\n" + fields.map { "  \"\($0)\": \($1)" }.joined(separator: ",\n") + "\n}")
        if !match { exit(2) }
    }
}

/// Mean seconds per call over `calls` back-to-back calls of `body`.
@inline(never)
func secondsPerCall(_ calls: Int, _ body: () -> Void) -> Double {
    let start = now()
    for _ in 0 ..< calls { body() }
    return (now() - start) / Double(calls)
}

func jsonString(_ text: String) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .withoutEscapingSlashes
    return String(decoding: try! encoder.encode(text), as: UTF8.self)
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + 1e-9 * Double(t.tv_nsec)
}

func quantile(_ values: [Double], _ q: Double) -> Double {
    let sorted = values.sorted()
    let position = q * Double(sorted.count - 1)
    let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
    return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
}

func median(_ values: [Double]) -> Double { quantile(values, 0.5) }

let ok = assay_status(ASSAY_OK)

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("abi_overhead: \(message)\n".utf8))
    exit(1)
}

// ---- the host's callbacks -----------------------------------------------------

let hostLog: @convention(c) (UnsafePointer<assay_host>?, assay_log_level, UnsafePointer<CChar>?) -> Void = { _, level, message in
    if level >= assay_log_level(ASSAY_LOG_WARNING), let message {
        FileHandle.standardError.write(Data("plugin: \(String(cString: message))\n".utf8))
    }
}

/// The random stream behind `assay_random.state`.
func stream(_ rng: UnsafeMutablePointer<assay_random>?) -> UnsafeMutablePointer<RandomStream> {
    rng!.pointee.state.assumingMemoryBound(to: RandomStream.self)
}

let randomUniform: @convention(c) (UnsafeMutablePointer<assay_random>?, UnsafeMutablePointer<Double>?, UInt64) -> Void = {
    stream($0).pointee.fillUniform(UnsafeMutableBufferPointer(start: $1, count: Int($2)))
}

let randomNormal: @convention(c) (UnsafeMutablePointer<assay_random>?, UnsafeMutablePointer<Double>?, UInt64) -> Void = {
    stream($0).pointee.fillNormal(UnsafeMutableBufferPointer(start: $1, count: Int($2)))
}

let randomBits: @convention(c) (UnsafeMutablePointer<assay_random>?, UnsafeMutablePointer<UInt64>?, UInt64) -> Void = {
    stream($0).pointee.fillBits(UnsafeMutableBufferPointer(start: $1, count: Int($2)))
}
