import Foundation

/// What the save and restore sequences need of QMP; QMPClient in the product, a fake in unit tests
/// (the end-to-end suspend tests cross the real one).
public protocol QMPExecuting: AnyObject {
    @discardableResult
    func execute(_ command: String, arguments: [String: JSONValue]?, timeout: TimeInterval, passing fd: Int32?) throws -> JSONValue
}

extension QMPClient: QMPExecuting {}

/// Progress of a save: bytes written so far, and the total when QEMU knows it.
public typealias SaveProgress = @Sendable (_ bytesDone: UInt64, _ bytesTotal: UInt64?) -> Void

/// QEMU's machine state to and from a file, as QMP migration (GUEST_ACCESS.md "Saved state"). The
/// file is opened by vmtui and handed over with `add-fd` (QEMU's `file:/dev/fdset/N`), so QEMU never
/// opens a bundle path itself. (`getfd` + `fd:` would do too, but QEMU 9.1 deprecated it for files.)
public enum QEMUStateTransfer {

    /// Pauses the guest (one pass, no dirty-page rounds), migrates it into `fd` and waits for
    /// `completed` until `deadline`; a failure or a missed deadline cancels and throws, and the
    /// guest stays paused for the caller to resume.
    public static func save(_ qmp: QMPExecuting, into fd: Int32, deadline: Date, maxBandwidth: UInt64? = nil,
                            pollInterval: TimeInterval = 0.1, progress: SaveProgress? = nil) throws {
        try qmp.execute("stop", arguments: nil, timeout: 30, passing: nil)
        if let maxBandwidth {
            try qmp.execute("migrate-set-parameters", arguments: ["max-bandwidth": .number(Double(maxBandwidth))], timeout: 30, passing: nil)
        }
        let set = try handOver(qmp, fd)
        defer { release(qmp, set) }
        try qmp.execute("migrate", arguments: ["uri": .string("file:/dev/fdset/\(set)")], timeout: 30, passing: nil)
        do {
            try waitForCompletion(qmp, deadline: deadline, pollInterval: pollInterval, what: "Saving", progress: progress)
        } catch {
            _ = try? qmp.execute("migrate_cancel", arguments: nil, timeout: 10, passing: nil)
            throw error
        }
    }

    /// Loads a state into a QEMU started with `-S -incoming defer`, waits for it within `deadline`,
    /// then lets the guest run (`cont`).
    public static func restore(_ qmp: QMPExecuting, from fd: Int32, deadline: Date, pollInterval: TimeInterval = 0.1) throws {
        let set = try handOver(qmp, fd)
        defer { release(qmp, set) }
        try qmp.execute("migrate-incoming", arguments: ["uri": .string("file:/dev/fdset/\(set)")], timeout: 30, passing: nil)
        try waitForCompletion(qmp, deadline: deadline, pollInterval: pollInterval, what: "Restoring", progress: nil)
        try qmp.execute("cont", arguments: nil, timeout: 30, passing: nil)
    }

    /// Gives QEMU the descriptor in a new fd set; its number.
    static func handOver(_ qmp: QMPExecuting, _ fd: Int32) throws -> Int {
        let answer = try qmp.execute("add-fd", arguments: ["opaque": .string("vmtui saved state")], timeout: 30, passing: fd)
        guard case .number(let set)? = answer["fdset-id"] else {
            throw HelperError.backend("QEMU took the state file but did not say which fd set holds it.")
        }
        return Int(set)
    }

    /// QEMU keeps its copy of the descriptor until the set is removed (the file stays open otherwise).
    static func release(_ qmp: QMPExecuting, _ set: Int) {
        _ = try? qmp.execute("remove-fd", arguments: ["fdset-id": .number(Double(set))], timeout: 10, passing: nil)
    }

    /// Polls `query-migrate` until `completed`; `failed` or `cancelled` throws QEMU's own words.
    static func waitForCompletion(_ qmp: QMPExecuting, deadline: Date, pollInterval: TimeInterval, what: String,
                                  progress: SaveProgress?) throws {
        while true {
            let answer = try qmp.execute("query-migrate", arguments: nil, timeout: 30, passing: nil)
            let status = answer["status"]?.stringValue ?? ""
            if let done = answer["ram"]?["transferred"]?.numberValue {
                progress?(UInt64(max(0, done)), answer["ram"]?["total"]?.numberValue.map { UInt64(max(0, $0)) })
            }
            switch status {
            case "completed":
                return
            case "failed", "cancelled":
                let why = answer["error-desc"]?.stringValue.map { ": \($0)" } ?? ""
                throw HelperError.backend("\(what) the machine state failed (QEMU's migration \(status)\(why)).")
            default:
                break
            }
            if Date() >= deadline {
                throw HelperError.backend("\(what) the machine state did not finish in time (QEMU's migration was still '\(status.isEmpty ? "starting" : status)'); the guest was left as it was.")
            }
            Thread.sleep(forTimeInterval: pollInterval)
        }
    }
}

private extension JSONValue {
    var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    var numberValue: Double? { if case .number(let n) = self { return n }; return nil }
}
