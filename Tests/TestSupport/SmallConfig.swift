/// A small experiment on the Gaussian-mixture task: quick in a debug build,
/// with `verifiers` appended verbatim (TOML `[[verifier]]` tables).
public func smallConfig(seed: Int = 7, pool: Int = 4000, chunk: Int = 1000, test: Int = 2000,
                 retrain: [Int] = [100], threads: Int = 2, verifiers: String) -> String {
    """
    seed = \(seed)
    threads = \(threads)

    [pool]
    size = \(pool)
    chunk = \(chunk)

    [test]
    size = \(test)

    [retrain]
    n = [\(retrain.map(String.init).joined(separator: ", "))]

    [generator]
    plugin = "gaussian-mixture"
    d = 100
    tau = 0.15
    n0 = 200

    \(verifiers)
    """
}
