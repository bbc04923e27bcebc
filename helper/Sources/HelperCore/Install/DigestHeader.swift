import Foundation

/// A server's SHA-256 of the file, from its response headers:
/// - `Repr-Digest: sha-256=:<base64>:` (RFC 9530): the whole file, on any response;
/// - `Digest: SHA-256=<base64>` (RFC 3230, its predecessor): the whole file, on any response;
/// - `Content-Digest: sha-256=:<base64>:` (RFC 9530): the bytes of *this* response, so it names
///   the file only on a 200 (on a 206 it is the digest of the range).
public enum DigestHeader {
    public struct Found: Equatable, Sendable {
        /// 64 lowercase hex digits.
        public var sha256Hex: String
        /// The header it came from, for the log.
        public var header: String
    }

    /// `headers` has lowercased names. `wholeBody`: the response carries the whole file (a 200).
    public static func sha256(in headers: [String: String], wholeBody: Bool) -> Found? {
        if let value = headers["repr-digest"], let hex = structured(value) { return Found(sha256Hex: hex, header: "Repr-Digest") }
        if let value = headers["digest"], let hex = rfc3230(value) { return Found(sha256Hex: hex, header: "Digest") }
        if wholeBody, let value = headers["content-digest"], let hex = structured(value) { return Found(sha256Hex: hex, header: "Content-Digest") }
        return nil
    }

    /// `sha-256=:AAA…=:, sha-512=:…:` (a structured-field dictionary of byte sequences).
    static func structured(_ value: String) -> String? {
        for member in value.split(separator: ",") {
            guard let (algorithm, rest) = splitAtEquals(member) else { continue }
            guard isSHA256(algorithm) else { continue }
            // Drop parameters (";…"), then the colons around the byte sequence.
            let item = rest.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard item.count >= 2, item.hasPrefix(":"), item.hasSuffix(":") else { continue }
            if let hex = hexOfBase64(String(item.dropFirst().dropLast())) { return hex }
        }
        return nil
    }

    /// `SHA-256=AAA…=,MD5=…` (base64 values, which may end in '=').
    static func rfc3230(_ value: String) -> String? {
        for member in value.split(separator: ",") {
            guard let (algorithm, rest) = splitAtEquals(member), isSHA256(algorithm) else { continue }
            if let hex = hexOfBase64(rest) { return hex }
        }
        return nil
    }

    private static func splitAtEquals(_ member: Substring) -> (String, String)? {
        let text = member.trimmingCharacters(in: .whitespaces)
        guard let equals = text.firstIndex(of: "=") else { return nil }
        return (String(text[..<equals]).trimmingCharacters(in: .whitespaces),
                String(text[text.index(after: equals)...]).trimmingCharacters(in: .whitespaces))
    }

    private static func isSHA256(_ algorithm: String) -> Bool {
        let name = algorithm.lowercased()
        return name == "sha-256" || name == "sha256"
    }

    private static func hexOfBase64(_ text: String) -> String? {
        guard let data = Data(base64Encoded: text), data.count == 32 else { return nil }
        return data.map { String(format: "%02x", $0) }.joined()
    }

    /// A user's hex SHA-256, lowercased; nil unless it is exactly 64 hex digits.
    public static func normalizedHex(_ text: String) -> String? {
        let hex = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else { return nil }
        return hex
    }
}
