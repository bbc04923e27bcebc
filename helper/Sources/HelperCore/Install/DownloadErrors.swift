import Foundation

/// The download's errors in wire form. They use the protocol's codes and kinds, but their
/// sentences are the download's own (how much is kept, how to resume), which HelperError's fixed
/// per-kind sentences cannot say.
enum DownloadErrors {
    static func make(code: Int, kind: String, _ message: String, data: [String: JSONValue] = [:]) -> RPCErrorObject {
        var fields = data
        fields["kind"] = .string(kind)
        return RPCErrorObject(code: code, message: message, data: .object(fields))
    }

    /// 1011 `backend` with `data.detail`: the server or the network failed, or the file is not the
    /// one expected.
    static func failed(_ message: String, detail: String) -> RPCErrorObject {
        make(code: 1011, kind: "backend", message, data: ["detail": .string(detail)])
    }

    static func busy(name: String) -> RPCErrorObject {
        make(code: 1005, kind: "invalidState",
             "'\(name)' is being downloaded right now (in this or another vmtui session); wait for that download or cancel it first.",
             data: ["state": .string("downloading")])
    }

    static func diskFull(directory: String, _ message: String) -> RPCErrorObject {
        make(code: 1009, kind: "diskFull", message, data: ["path": .string(directory)])
    }

    static func cancelled(_ message: String) -> RPCErrorObject {
        make(code: 1012, kind: "cancelled", message)
    }
}

/// Byte counts for sentences: "1.5 GiB", "300 KiB", "12 bytes".
enum ByteText {
    static func of(_ bytes: UInt64) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard bytes >= 1024 else { return "\(bytes) bytes" }
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return value >= 100 || value == value.rounded() ? "\(Int(value.rounded())) \(units[unit])" : "\(String(format: "%.1f", value)) \(units[unit])"
    }
}
