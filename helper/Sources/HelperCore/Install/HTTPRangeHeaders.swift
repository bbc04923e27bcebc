import Foundation

/// The Range side of resuming (RFC 9110 §14): what to ask for, and what the answer's
/// Content-Range says.
public enum HTTPRange {
    /// `Range` for everything from `offset` on.
    public static func requestHeader(from offset: UInt64) -> String {
        "bytes=\(offset)-"
    }

    /// A Content-Range value: the bytes a 206 carries, or (`bytes */N`, on a 416) only the length.
    public struct ContentRange: Equatable, Sendable {
        /// nil for `bytes */N`.
        public var first: UInt64?
        public var last: UInt64?
        /// nil for `/*` (length unknown).
        public var total: UInt64?
    }

    /// Parses `bytes 100-199/1000`, `bytes 100-199/*` or `bytes */1000`; nil for anything else
    /// (including a range that ends before it starts or past the length).
    public static func parseContentRange(_ value: String) -> ContentRange? {
        let text = value.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("bytes ") else { return nil }
        let spec = text.dropFirst("bytes ".count).trimmingCharacters(in: .whitespaces)
        let halves = spec.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count == 2 else { return nil }
        let lengthText = halves[1].trimmingCharacters(in: .whitespaces)
        let total: UInt64?
        if lengthText == "*" {
            total = nil
        } else {
            guard let n = decimal(lengthText) else { return nil }
            total = n
        }
        let rangeText = halves[0].trimmingCharacters(in: .whitespaces)
        if rangeText == "*" {
            guard total != nil else { return nil }
            return ContentRange(first: nil, last: nil, total: total)
        }
        let ends = rangeText.split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count == 2, let first = decimal(String(ends[0])), let last = decimal(String(ends[1])), first <= last else { return nil }
        if let total, last >= total { return nil }
        return ContentRange(first: first, last: last, total: total)
    }

    /// Only ASCII digits (no sign, no spaces), and no overflow.
    static func decimal(_ text: String) -> UInt64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return UInt64(text)
    }

    /// The validator to send in If-Range: a strong ETag, else Last-Modified. Weak ETags (`W/"…"`)
    /// are not allowed there (RFC 9110 §13.1.5).
    public static func ifRangeValue(etag: String?, lastModified: String?) -> String? {
        if let etag, !etag.isEmpty, !etag.hasPrefix("W/") { return etag }
        if let lastModified, !lastModified.isEmpty { return lastModified }
        return nil
    }
}
