// swift-tools-version:6.0
import PackageDescription

/// Every plugin is its own shared library, named `libassay_<id>.so`, so the
/// host finds it in the build folder beside the `assay` executable. Its
/// tests sit beside it in `Tests`, a test target of their own
/// (`<Name>PluginTests`, see `pluginTests`).
func plugin(_ product: String, target: String, path: String) -> (Product, Target) {
    (
        .library(name: product, type: .dynamic, targets: [target]),
        .target(name: target, dependencies: ["PluginKit", "Numerics"], path: path, exclude: ["Tests"])
    )
}

let plugins = [
    plugin("assay_gaussian_mixture", target: "GaussianMixturePlugin", path: "Plugins/GaussianMixture"),
    plugin("assay_oracle", target: "OraclePlugin", path: "Plugins/Oracle"),
    plugin("assay_noisy", target: "NoisyPlugin", path: "Plugins/Noisy"),
    plugin("assay_perplexity", target: "PerplexityPlugin", path: "Plugins/Perplexity"),
    plugin("assay_margin", target: "MarginPlugin", path: "Plugins/Margin"),
    plugin("assay_symmetric_eigen", target: "SymmetricEigenPlugin", path: "Plugins/SymmetricEigen"),
]

/// A plugin's tests drive its built library through the C table (the
/// library is not linked in: every plugin exports the same entry symbol),
/// with the hand-set host of PluginTestSupport.
let pluginTests: [Target] = ["GaussianMixture", "Oracle", "Noisy", "Perplexity", "Margin", "SymmetricEigen"].map { name in
    .testTarget(name: "\(name)PluginTests", dependencies: ["PluginTestSupport"], path: "Plugins/\(name)/Tests")
}

let package = Package(
    name: "Assay",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "assay", targets: ["AssayCLI"]),
        // The host as a C library (libAssay.so), for embedding: assay.h.
        .library(name: "Assay", type: .dynamic, targets: ["AssayEmbed"]),
    ] + plugins.map(\.0),
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // The contract: plain C99 headers, no Swift.
        .target(name: "PluginAPI", path: "Sources/PluginAPI"),
        // OpenBLAS (BLAS + LAPACK) as a Swift module.
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        // SIMD loops in C (the normals' fast path, finiteness checks, tallies):
        // each compiled per instruction set and picked at run time, with the
        // same results on every CPU (Numerics wraps them).
        .target(name: "SIMDKernels", path: "Sources/SIMDKernels"),
        // Dense math, random streams and statistics shared by host and plugins.
        .target(name: "Numerics", dependencies: ["COpenBLAS", "SIMDKernels"], path: "Sources/Numerics"),
        // Typed reads of a config table that refuse unknown keys, with
        // errors in one wording: the host's TOML and the plugins' JSON.
        .target(name: "ConfigKit", path: "Sources/ConfigKit"),
        // TOML → the plain values ConfigReader reads: host, audit, check.
        .target(name: "TOMLConfig", dependencies: ["ConfigKit", .product(name: "TOMLKit", package: "TOMLKit")], path: "Sources/TOMLConfig"),
        // Swift side of the plugin ABI: what a plugin written in Swift builds
        // on. Its C-call wrappers do the checks every plugin would repeat.
        .target(name: "PluginKit", dependencies: ["PluginAPI", "ConfigKit"], path: "Sources/PluginKit"),
        // libffi as a Swift module, for the built-in "function" verifier.
        .systemLibrary(name: "CFFI", path: "Sources/CFFI"),
        // The built-in "function" verifier: a plain C function called through libffi.
        .target(name: "FunctionVerifier", dependencies: ["PluginAPI", "PluginKit", "CFFI"], path: "Sources/FunctionVerifier"),
        // CPython loaded at run time (dlopen), never linked: the host runs
        // where no Python exists until a python verifier is created.
        .target(name: "CPython", path: "Sources/CPython", linkerSettings: [.linkedLibrary("dl")]),
        // The built-in "python" verifier: a Python function called once per batch.
        .target(name: "PythonVerifier", dependencies: ["PluginAPI", "PluginKit", "CPython"], path: "Sources/PythonVerifier"),
        .target(
            name: "AssayHost",
            dependencies: [
                "PluginAPI", "ConfigKit", "TOMLConfig", "PluginKit", "Numerics", "COpenBLAS", "FunctionVerifier", "PythonVerifier",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Host"
        ),
        // The paper's studies (phase transition, margin theory, the figures'
        // claims, candidates) on top of the host, which knows none of them.
        .target(name: "AssayStudies", dependencies: ["AssayHost", "Numerics", "PluginAPI", "PluginKit"], path: "Sources/Studies"),
        .executableTarget(
            name: "AssayCLI",
            dependencies: [
                "AssayHost", "AssayStudies", "AssayAudit", "Numerics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/AssayCLI"
        ),
        // `assay audit`: verifiers scored from a data file's audited rows
        // (streamed readers, stratified estimators, label model; docs/AUDIT.md).
        .target(name: "AssayAudit", dependencies: ["Numerics", "ConfigKit", "TOMLConfig"], path: "Sources/Audit"),
        // The C API of assay.h over AssayHost, built into libAssay.so.
        .target(name: "AssayEmbed", dependencies: ["AssayHost", "PluginAPI"], path: "Sources/Embed"),
        // Text: tokenization and ROUGE as rouge-score computes them.
        .target(name: "TextKit", path: "Sources/TextKit"),
        .testTarget(name: "TextKitTests", dependencies: ["TextKit", "AssayTestSupport"], path: "Tests/TextKitTests",
                    exclude: ["reference_rouge.py"]),
        .testTarget(name: "NumericsTests", dependencies: ["Numerics", "AssayTestSupport"], path: "Tests/NumericsTests",
                    exclude: ["reference_logistic.py", "reference_bivariate_normal.py", "reference_eigvalsh.py"]),
        // What the test targets share: paths to the build, temporary folders,
        // running `assay`, small configs, the fixture plugins, seeded random numbers, the Python reference runner.
        .target(name: "AssayTestSupport", dependencies: ["Numerics"], path: "Tests/TestSupport"),
        .testTarget(name: "HostTests", dependencies: ["AssayHost", "AssayTestSupport", "Numerics", "FunctionVerifier"],
                    path: "Tests/HostTests"),
        // What runs the shipped plugins, examples/c-verifier or `assay` on the
        // shipped configs (after `swift build`): the host's unit tests use
        // the fixture plugins of Tests/Fixtures/host-plugins instead.
        .testTarget(name: "EndToEndTests", dependencies: ["AssayHost", "AssayTestSupport", "Numerics"],
                    path: "Tests/EndToEndTests"),
        .testTarget(name: "StudiesTests", dependencies: ["AssayStudies", "AssayHost", "AssayTestSupport", "Numerics"],
                    path: "Tests/StudiesTests"),
        .testTarget(name: "AuditTests", dependencies: ["AssayAudit", "AssayTestSupport", "Numerics"], path: "Tests/AuditTests",
                    exclude: ["reference_audit.py", "Fixtures"]),
        .testTarget(name: "ConfigKitTests", dependencies: ["ConfigKit"], path: "Tests/ConfigKitTests"),
        .testTarget(name: "PluginKitTests", dependencies: ["PluginKit", "PluginAPI", "PluginTestSupport"], path: "Tests/PluginKitTests"),
        // Drives one plugin through its C table with a host of hand-set
        // values and seeded streams: for each plugin's tests (its built
        // library, Plugins/*/Tests) and PluginKit's (tables made in the test).
        .target(name: "PluginTestSupport", dependencies: ["PluginAPI", "PluginKit", "Numerics"], path: "Plugins/TestSupport"),
        // The python verifier: examples/python-verifier against the C rule, its errors, threads.
        .testTarget(name: "PythonVerifierTests", dependencies: ["PythonVerifier", "FunctionVerifier", "PluginAPI", "PluginKit", "AssayTestSupport"],
                    path: "Tests/PythonVerifierTests", exclude: ["Fixtures"]),
        // Builds and runs examples/embed-c against libAssay.so (after `swift build`).
        .testTarget(name: "EmbedTests", path: "Tests/EmbedTests", exclude: ["Fixtures"]),
    ] + plugins.map(\.1) + pluginTests,
    // Plugins cross a C boundary full of raw pointers whose thread rules the
    // ABI header states; Swift 5 mode keeps those rules in one place (the
    // header) instead of a Sendable annotation on every pointer wrapper.
    swiftLanguageModes: [.v5]
)
