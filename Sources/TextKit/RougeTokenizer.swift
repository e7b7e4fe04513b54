/// The tokenizer of Google's `rouge-score` (its `tokenize.tokenize`, stemmer
/// off), so that Assay's ROUGE equals the reference implementation's to the
/// last bit:
///
///     text.lower(); every run of characters outside [a-z0-9] → " "; split.
///
/// Python lower-cases with the full Unicode mapping before it drops what is
/// not ASCII, so a few non-ASCII letters leave ASCII behind (the Kelvin sign
/// K becomes "k", "İ" becomes "i" and a combining dot). The tokenizer maps
/// each scalar the same way; context-dependent lower-casing (Greek final
/// sigma) never produces ASCII, so scalar by scalar gives the same tokens as
/// the whole string at once.
public struct RougeTokenizer: Sendable {
    public init() {}

    /// The tokens of `text`, in order.
    public func tokens(_ text: String) -> [Substring] {
        let folded = fold(text)
        return folded.split(separator: " ", omittingEmptySubsequences: true)
    }

    /// `text` lower-cased, with every character outside [a-z0-9] a space.
    func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                out.append(Self.foldASCII(scalar))
            } else {
                // Rare: only the scalar's lower-case mapping can yield ASCII.
                for mapped in scalar.properties.lowercaseMapping.unicodeScalars {
                    out.append(mapped.isASCII ? Self.foldASCII(mapped) : " ")
                }
            }
        }
        return String(out)
    }

    private static func foldASCII(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x61...0x7A, 0x30...0x39: return scalar                       // a-z, 0-9
        case 0x41...0x5A: return Unicode.Scalar(scalar.value + 0x20)!       // A-Z
        default: return " "
        }
    }
}
