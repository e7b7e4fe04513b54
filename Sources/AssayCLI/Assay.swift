import ArgumentParser
import AssayHost
import Foundation
import Logging
import Numerics

@main
struct Assay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score verifiers of synthesized training data by ϕ, ψ and the breakdown point p*.",
        discussion: """
            A generator plugin labels inputs; verifier plugins keep or drop the pairs. Assay \
            measures how each verifier selects (ϕ: keep-rate of correct pairs, ψ: of wrong \
            ones, p* = 1/(1 + ψ/ϕ)) and what a model retrained on its selection achieves.
            """,
        subcommands: [PluginsCommand.self, RunCommand.self, ScoreCommand.self, ResultsCommand.self, PhaseCommand.self, ReportCommand.self,
                      CandidatesCommand.self, CheckCommand.self, AuditCommand.self]
    )

    static func main() {
        // First of all: OpenBLAS's worker threads, started as it loaded,
        // spin while the command starts (see useCallingThreadOnly).
        LinearAlgebra.useCallingThreadOnly()
        main(nil)
    }
}

/// Options every command that touches plugins shares.
struct PluginOptions: ParsableArguments {
    @Option(name: .customLong("plugin-path"), help: "A folder of plugin libraries to search first (repeatable).")
    var folders: [String] = []

    @Flag(name: .shortAndLong, help: "Log plugin and host messages at info level.")
    var verbose = false

    func bootstrap() {
        let level: Logger.Level = verbose ? .info : .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// Prints a failure as one line on standard error and exits non-zero.
func fail(_ error: Error) -> ExitCode {
    FileHandle.standardError.write(Data("assay: error: \(error)\n".utf8))
    return ExitCode.failure
}
