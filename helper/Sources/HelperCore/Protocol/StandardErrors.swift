import Foundation

/// The JSON-RPC error codes the helper uses outside the application range 1000–1999.
public enum RPCErrorCode {
    public static let parseError = -32700
    public static let invalidRequest = -32600
    public static let methodNotFound = -32601
    public static let invalidParams = -32602
    public static let internalError = -32603
}

extension RPCErrorObject {
    public static let parseError = parseError("The message was not valid JSON; it was ignored.")

    public static func parseError(_ sentence: String) -> RPCErrorObject {
        RPCErrorObject(code: RPCErrorCode.parseError, message: sentence)
    }

    public static func invalidRequest(_ sentence: String) -> RPCErrorObject {
        RPCErrorObject(code: RPCErrorCode.invalidRequest, message: sentence)
    }

    public static func methodNotFound(_ method: String) -> RPCErrorObject {
        RPCErrorObject(code: RPCErrorCode.methodNotFound,
                       message: "The helper has no method '\(method)'; update vmtui and the helper together.")
    }

    public static func internalError(_ sentence: String) -> RPCErrorObject {
        RPCErrorObject(code: RPCErrorCode.internalError, message: sentence)
    }

    /// The wire form of a HelperError: its code and message, and `data` = {kind, ...per-kind fields}.
    public init(_ error: HelperError) {
        var data = error.dataFields
        data["kind"] = .string(error.kind)
        self.init(code: error.code, message: error.message, data: .object(data))
    }
}
