import Foundation

/// What one subject (a library or a plugin) did on each rule, collected
/// while the check runs, from any thread.
///
/// A rule checked many times (every error message, every call's stdout)
/// passes if it never failed; its first failure is the one reported.
final class RuleBook: @unchecked Sendable {  // `verdicts` is guarded by `lock`
    enum Verdict {
        case passed
        case failed(String)
        case skipped(String)
    }

    /// How the subject is named in the report's heading.
    let subject: String
    private let lock = NSLock()
    private var verdicts: [CheckRule: Verdict] = [:]

    init(subject: String) {
        self.subject = subject
    }

    /// Records one observation of `rule`: a pass when `holds`, else a failure
    /// saying `what` happened (kept only if it is the first).
    func check(_ rule: CheckRule, _ holds: Bool, _ what: @autoclosure () -> String) {
        lock.withLock {
            if holds {
                if verdicts[rule] == nil { verdicts[rule] = .passed }
                return
            }
            if case .failed = verdicts[rule] { return }
            verdicts[rule] = .failed(what())
        }
    }

    func fail(_ rule: CheckRule, _ what: String) {
        check(rule, false, what)
    }

    /// Marks a rule that could not be checked, unless it was already judged.
    func skip(_ rule: CheckRule, _ reason: String) {
        lock.withLock {
            if verdicts[rule] == nil { verdicts[rule] = .skipped(reason) }
        }
    }

    func failed(_ rule: CheckRule) -> Bool {
        lock.withLock {
            if case .failed = verdicts[rule] { return true }
            return false
        }
    }

    var failures: Int {
        lock.withLock { verdicts.values.filter { if case .failed = $0 { return true } else { return false } }.count }
    }

    /// The report: one line per rule judged, in the rules' order.
    var lines: [String] {
        lock.withLock {
            CheckRule.allCases.compactMap { rule in
                switch verdicts[rule] {
                case nil: return nil
                case .passed: return "pass  \(rule.rawValue)"
                case .failed(let what): return "FAIL  \(rule.rawValue): \(what)"
                case .skipped(let reason): return "skip  \(rule.rawValue): \(reason)"
                }
            }
        }
    }
}
