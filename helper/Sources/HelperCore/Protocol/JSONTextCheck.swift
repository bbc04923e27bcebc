import Foundation

/// Refuses JSON text whose strings Foundation's decoder would trap on rather than throw (it
/// validates string contents lazily, behind a `try!`): invalid UTF-8, raw control characters,
/// bad escapes and lone surrogates. The fuzzer (scripts/fuzz.sh) found each of these.
enum JSONTextCheck {
    static func problem(in data: Data) -> String? {
        guard Array(String(decoding: data, as: UTF8.self).utf8).elementsEqual(data) else { return "The text is not valid UTF-8." }
        return data.withUnsafeBytes { raw -> String? in
            let b = raw.bindMemory(to: UInt8.self)
            var i = 0
            var inString = false
            while i < b.count {
                let c = b[i]
                guard inString else {
                    if c == 0x22 { inString = true }
                    i += 1
                    continue
                }
                if c == 0x22 { inString = false; i += 1; continue }
                if c < 0x20 { return "A string holds a raw control character (\(c))." }
                guard c == 0x5C else { i += 1; continue }
                guard i + 1 < b.count else { return "A string ends in a lone backslash." }
                let e = b[i + 1]
                if e != 0x75 {  // u
                    guard [0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74].contains(e) else { return "A string has an unknown escape." }
                    i += 2
                    continue
                }
                guard let unit = hex4(b, i + 2) else { return "A \\u escape lacks four hex digits." }
                i += 6
                if unit >= 0xDC00 && unit <= 0xDFFF { return "A string has a lone low surrogate." }
                if unit >= 0xD800 && unit <= 0xDBFF {
                    guard i + 1 < b.count, b[i] == 0x5C, b[i + 1] == 0x75, let low = hex4(b, i + 2), low >= 0xDC00, low <= 0xDFFF else {
                        return "A string has a lone high surrogate."
                    }
                    i += 6
                }
            }
            return nil
        }
    }

    private static func hex4(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32? {
        guard at + 4 <= b.count else { return nil }
        var value: UInt32 = 0
        for k in at..<at + 4 {
            let c = b[k]
            let digit: UInt32
            switch c {
            case 0x30...0x39: digit = UInt32(c - 0x30)
            case 0x41...0x46: digit = UInt32(c - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(c - 0x61 + 10)
            default: return nil
            }
            value = value * 16 + digit
        }
        return value
    }
}
