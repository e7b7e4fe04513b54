/// What the check writes into an output buffer before a call, and past its
/// end, so that afterwards it can tell entries left unwritten and entries
/// written beyond the size the call documents.
enum OutputMarks {
    /// A keep byte no verdict is (0 and 1 are).
    static let byte: UInt8 = 0xA5
    /// A NaN with a payload no arithmetic makes.
    static let double = Double(bitPattern: 0x7FF8_0000_00C0_FFEE)
    /// Marked entries past the documented end of a buffer.
    static let guardCount = 16

    /// A buffer of `count` entries and the guard, all marked.
    static func doubles(_ count: Int) -> [Double] {
        [Double](repeating: double, count: count + guardCount)
    }

    static func isMark(_ value: Double) -> Bool {
        value.bitPattern == double.bitPattern
    }

    /// What is wrong with a marked buffer of `count` entries after a call:
    /// the first entry left unwritten or written beyond, or nil.
    static func shapeFault(_ buffer: [Double], count: Int) -> String? {
        if let unwritten = buffer[..<count].firstIndex(where: isMark) {
            return "entry \(unwritten) of \(count) left unwritten"
        }
        if let beyond = buffer[count...].firstIndex(where: { !isMark($0) }) {
            return "entry \(beyond) written, beyond the \(count) documented"
        }
        return nil
    }
}
