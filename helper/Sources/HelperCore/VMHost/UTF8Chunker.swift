/// Turns a byte stream into strings without splitting a UTF-8 sequence across two chunks.
public struct UTF8Chunker: Sendable {
    private var carry: [UInt8] = []

    public init() {}

    public mutating func push(_ bytes: [UInt8]) -> String {
        let all = carry + bytes
        let cut = Self.completePrefixLength(all)
        carry = Array(all[cut...])
        return String(decoding: all[..<cut], as: UTF8.self)
    }

    /// Length of the longest prefix that does not end inside a multi-byte sequence.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        var i = bytes.count - 1
        var back = 0
        while i >= 0, back < 4, bytes[i] & 0xC0 == 0x80 { i -= 1; back += 1 }
        guard i >= 0 else { return bytes.count }
        let lead = bytes[i]
        let need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return bytes.count - i < need ? i : bytes.count
    }
}
