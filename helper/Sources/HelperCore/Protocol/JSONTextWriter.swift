import Foundation

/// Writes a JSONValue as JSON text the way JSONCoding.encode does (sorted keys, slashes as they
/// are, whole numbers as integers), without Foundation's encoder: encoding every outgoing message
/// through JSONEncoder was most of what vm/list of 200 VMs cost.
enum JSONTextWriter {
    struct NotANumber: Error, CustomStringConvertible {
        let value: Double
        var description: String { "\(value) cannot be written as JSON" }
    }

    static func data(_ value: JSONValue) throws -> Data {
        var out = [UInt8]()
        out.reserveCapacity(1024)
        try write(value, to: &out)
        return Data(out)
    }

    static func write(_ value: JSONValue, to out: inout [UInt8]) throws {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): try number(n, to: &out)
        case .string(let s): string(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                try write(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            // Byte order of UTF-8 keys, as JSONEncoder's .sortedKeys.
            for (i, key) in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                string(key, to: &out)
                out.append(UInt8(ascii: ":"))
                try write(members[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .written(let kept): out.append(contentsOf: kept.text)
        }
    }

    private static func number(_ n: Double, to out: inout [UInt8]) throws {
        guard n.isFinite else { throw NotANumber(value: n) }
        if n.rounded() == n, abs(n) <= 9_007_199_254_740_992 {
            out.append(contentsOf: String(Int64(n)).utf8)
        } else {
            // Swift's shortest round-trip form ("0.5", "1e-05") is valid JSON.
            out.append(contentsOf: n.description.utf8)
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private static func string(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
