// Reproducible random streams.
//
// A run is reproducible only if every chunk of work draws the same numbers
// whichever thread runs it and in whatever order. So streams are never
// handed out sequentially: each one is *derived* from the run seed and a
// list of keys (chunk index, plugin id, replicate, ...) by hashing, and the
// hash is expanded into a xoshiro256++ state. Two streams with different
// keys are statistically independent for all practical purposes, and no
// coordination between threads is needed.

/// One step of SplitMix64 (Steele, Lea & Flood 2014, as used by Vigna to
/// seed the xoshiro family): add the golden-ratio increment, then apply the
/// finaliser. It is a bijection on UInt64, so distinct inputs never collide.
@inlinable @inline(__always)
func splitMix64(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// Folds a seed and a list of keys into one 64-bit value.
///
/// A chain h ← SplitMix64(h ^ key) started from SplitMix64(seed). Each step
/// is a strong mixer, so keys that differ in one low bit (chunk 6 and
/// chunk 7) land far apart; and the chain is asymmetric on purpose, so that
/// swapping keys (`[1, 2]` vs `[2, 1]`) or seed and key (seed 1 key 2 vs
/// seed 2 key 1) gives unrelated values, where a symmetric combination such
/// as mix(seed) ^ mix(key) collides every time.
///
/// Changing this function changes every run's numbers: the known-answer
/// test in RandomStreamTests pins it.
public func hashKeys(_ seed: UInt64, _ keys: [UInt64]) -> UInt64 {
    var h = splitMix64(seed)
    for key in keys {
        h = splitMix64(h ^ key)
    }
    return h
}

/// FNV-1a (64-bit) of the UTF-8 bytes of `text`.
///
/// Swift's `Hasher` is randomly seeded per process, so it cannot turn a
/// plugin name or a config key into a stream key that is the same tomorrow
/// and on another machine; FNV-1a is tiny and fully specified.
public func stableHash(_ text: String) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
        h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    return h
}

/// A xoshiro256++ generator (Blackman & Vigna 2019) whose state is derived
/// from a run seed and a list of keys; see the file comment.
///
/// Value semantics: copying a stream copies its position, so a copy replays
/// the same numbers. Keep one stream per unit of work (e.g. per chunk).
public struct RandomStream: Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// A stream for `seed` and `keys`; see `hashKeys`.
    public init(seed: UInt64, keys: UInt64...) {
        self.init(seed: seed, keys: keys)
    }

    /// A stream for `seed` and `keys`; see `hashKeys`.
    public init(seed: UInt64, keys: [UInt64]) {
        // Consecutive SplitMix64 outputs are distinct (bijection of distinct
        // inputs), so at most one word can be zero and the state is never
        // the all-zero fixed point of xoshiro.
        var x = hashKeys(seed, keys)
        s0 = splitMix64(x); x = x &+ 0x9E37_79B9_7F4A_7C15
        s1 = splitMix64(x); x = x &+ 0x9E37_79B9_7F4A_7C15
        s2 = splitMix64(x); x = x &+ 0x9E37_79B9_7F4A_7C15
        s3 = splitMix64(x)
    }

    /// The next 64 random bits: one xoshiro256++ step.
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let sum = s0 &+ s3
        let result = (sum << 23 | sum >> 41) &+ s0
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform number in the open interval (0, 1).
    ///
    /// The value is the midpoint of one of 2^52 equal bins, (k + ½)·2⁻⁵².
    /// With 53 bits, k + ½ would need 54 significant bits and the top bin
    /// would round to exactly 1.0; with 52 bits every value is exact, the
    /// set is symmetric (u and 1 − u both occur), and the extremes are
    /// 2⁻⁵³ and 1 − 2⁻⁵³, so `log(u)` and `log(1 − u)` are always finite.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double {
        // Through Int64: k < 2^52, and a signed conversion is one instruction
        // on x86-64 where an unsigned one is a branchy sequence.
        Double(Int64(bitPattern: next() >> 12)) * 0x1p-52 + 0x1p-53
    }

    /// A standard normal deviate (ziggurat; see Normal.swift).
    ///
    /// One value at a time from this stream; `fillNormal` draws its bulk
    /// fills differently (from eight lanes), so the two sequences differ.
    @inlinable
    public mutating func normal() -> Double {
        let table = ZigguratTable.shared
        let u = next()
        if let z = table.fastNormal(u) { return z }
        return table.slowNormal(u, &self)
    }

    /// Fills `out` with `next()` values, in order.
    public mutating func fillBits(_ out: UnsafeMutableBufferPointer<UInt64>) {
        var g = self
        for i in out.indices { out[i] = g.next() }
        self = g
    }

    /// Fills `out` with `uniform()` values, in order.
    public mutating func fillUniform(_ out: UnsafeMutableBufferPointer<Double>) {
        var g = self
        for i in out.indices { out[i] = g.uniform() }
        self = g
    }
}
