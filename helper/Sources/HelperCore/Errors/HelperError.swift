import Foundation

/// The one error type the helper reports to clients. Each case maps to one JSON-RPC code and a
/// `kind` string (see PROTOCOL.md); `message` is a sentence saying what happened and what to do.
public enum HelperError: Error, Equatable, Sendable {
    case invalidName(String)
    case notFound(what: String, name: String)
    /// A VM has no snapshot of that name; also code 1002, pointing at its snapshot list.
    case snapshotNotFound(vm: String, name: String)
    /// A file the user named (kernel, initrd, ISO, IPSW) is not there; also code 1002.
    case missingFile(what: String, path: String)
    case alreadyExists(what: String, name: String)
    case alreadyRunning(name: String, pid: Int32)
    case invalidState(name: String, state: String, action: String)
    case corruptConfig(path: String, reason: String)
    case limitExceeded(what: String, requested: UInt64, limit: UInt64)
    case io(path: String, errno: Int32, action: String)
    case diskFull(path: String)
    /// A bundle entry is a link, FIFO, device or folder where a file of `expected` kind belongs; also code 1008.
    case notAFile(path: String, found: String, expected: String = "a regular file")
    case unsupported(String)
    case backend(String)
    case cancelled(String)
    case hostUnreachable(name: String, reason: String)
    /// A host holds the VM's lock but did not answer within its deadline (or cannot be reached); also 1013.
    case hostNotAnswering(name: String, pid: Int32, reason: String)
    /// -32602: the message names the field.
    case invalidParams(field: String, message: String)
    /// Another case's code, kind and fields with a sentence of its own, for a failure that must say
    /// more than the case's fixed sentence (a download: how much is kept, how to resume).
    indirect case worded(HelperError, message: String)

    public static let nameRule = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}"

    public var code: Int {
        switch self {
        case .invalidName: return 1001
        case .notFound, .snapshotNotFound, .missingFile: return 1002
        case .alreadyExists: return 1003
        case .alreadyRunning: return 1004
        case .invalidState: return 1005
        case .corruptConfig: return 1006
        case .limitExceeded: return 1007
        case .io, .notAFile: return 1008
        case .diskFull: return 1009
        case .unsupported: return 1010
        case .backend: return 1011
        case .cancelled: return 1012
        case .hostUnreachable, .hostNotAnswering: return 1013
        case .invalidParams: return -32602
        case .worded(let error, _): return error.code
        }
    }

    public var kind: String {
        switch self {
        case .invalidName: return "invalidName"
        case .notFound, .snapshotNotFound, .missingFile: return "notFound"
        case .alreadyExists: return "alreadyExists"
        case .alreadyRunning: return "alreadyRunning"
        case .invalidState: return "invalidState"
        case .corruptConfig: return "corruptConfig"
        case .limitExceeded: return "limitExceeded"
        case .io, .notAFile: return "io"
        case .diskFull: return "diskFull"
        case .unsupported: return "unsupported"
        case .backend: return "backend"
        case .cancelled: return "cancelled"
        case .hostUnreachable, .hostNotAnswering: return "hostUnreachable"
        case .invalidParams: return "invalidParams"
        case .worded(let error, _): return error.kind
        }
    }

    public var message: String {
        switch self {
        case .invalidName(let name):
            // Worded by what is wrong, as the TypeScript client's nameProblem words it.
            let shown = name.count > 40 ? String(name.prefix(40)) + "…" : name
            if name.isEmpty {
                return "A name is needed; use 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit (\(Self.nameRule))."
            }
            if name.count > 63 {
                return "'\(shown)' is too long for a name (\(name.count) characters); use at most 63 (\(Self.nameRule))."
            }
            if let first = name.unicodeScalars.first, !(first.isASCII && (CharacterSet.alphanumerics.contains(first))) {
                return "'\(shown)' cannot be a name; start it with a letter or digit (\(Self.nameRule))."
            }
            return "'\(shown)' cannot be a name; use only letters, digits, '.', '_' and '-' (\(Self.nameRule))."
        case .notFound(let what, let name):
            return "No \(what) named '\(name)' exists; check the name with 'vmtui list'."
        case .snapshotNotFound(let vm, let name):
            return "VM '\(vm)' has no snapshot named '\(name)'; see its snapshots with 'vmtui snapshot list \(vm)'."
        case .missingFile(let what, let path):
            return "The \(what) file \(path) does not exist; check the path and try again."
        case .alreadyExists(let what, let name):
            return "A \(what) named '\(name)' already exists; pick another name or delete the old one first."
        case .alreadyRunning(let name, let pid):
            return "VM '\(name)' is already running (pid \(pid)); stop it first or attach to it."
        case .invalidState(let name, let state, let action):
            return "Cannot \(action) VM '\(name)' while it is \(state)."
        case .corruptConfig(let path, let reason):
            return "The VM configuration at \(path) cannot be read (\(reason)); fix or restore that file. vmtui has not changed it."
        case .limitExceeded(let what, let requested, let limit):
            return "\(what) of \(requested) is more than this host allows (limit \(limit)); choose a smaller value."
        case .io(let path, let errno, let action):
            return "Could not \(action) \(path): \(String(cString: strerror(errno)))."
        case .notAFile(let path, let found, let expected):
            return "\(path) is \(found) where vmtui keeps \(expected); vmtui wrote nothing through it. Move it away (or delete it) and try again."
        case .diskFull(let path):
            return "The disk holding \(path) is full; free some space and try again. Nothing was changed."
        case .unsupported(let what):
            return what
        case .backend(let detail):
            return detail
        case .cancelled(let what):
            return "\(what) was cancelled."
        case .hostUnreachable(let name, let reason):
            return "The host process of VM '\(name)' does not answer (\(reason)); run 'vmtui list' to refresh its state."
        case .hostNotAnswering(let name, let pid, let reason):
            return "The host process of VM '\(name)' (pid \(pid)) is not answering: \(reason) End it and its guest with 'vmtui stop \(name) --force'."
        case .invalidParams(_, let message), .worded(_, let message):
            return message
        }
    }

    /// Extra machine-readable fields sent in `error.data` beside `kind`.
    public var dataFields: [String: JSONValue] {
        switch self {
        case .alreadyRunning(_, let pid): return ["pid": .number(Double(pid))]
        case .hostNotAnswering(_, let pid, _): return ["pid": .number(Double(pid))]
        case .invalidState(_, let state, _): return ["state": .string(state)]
        case .corruptConfig(let path, _): return ["path": .string(path)]
        case .limitExceeded(_, _, let limit): return ["limit": .number(Double(limit))]
        case .io(let path, let errno, _): return ["path": .string(path), "errno": .number(Double(errno))]
        case .diskFull(let path): return ["path": .string(path)]
        case .notAFile(let path, let found, _):
            // The errno the same refusal gets from open(2) with O_NOFOLLOW, so `io` keeps its fields.
            let err = found == "a symbolic link" ? ELOOP : found == "a folder" ? EISDIR : found == "a FIFO" || found == "a device" ? ENXIO : EINVAL
            return ["path": .string(path), "errno": .number(Double(err))]
        case .backend(let detail): return ["detail": .string(detail)]
        case .invalidParams(let field, _): return ["field": .string(field)]
        case .missingFile(_, let path): return ["path": .string(path)]
        case .worded(let error, _): return error.dataFields
        default: return [:]
        }
    }

    /// Maps a POSIX errno from a file operation to the right case (a full disk is its own kind).
    public static func fromErrno(_ err: Int32, path: String, action: String) -> HelperError {
        if err == ENOSPC || err == EDQUOT { return .diskFull(path: path) }
        return .io(path: path, errno: err, action: action)
    }
}

extension HelperError: LocalizedError {
    public var errorDescription: String? { message }
}
