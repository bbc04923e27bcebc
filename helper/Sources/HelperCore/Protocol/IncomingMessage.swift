import Foundation

/// What arrived on a connection, sorted by JSON-RPC kind. Params and results stay raw JSON here;
/// the router decodes them into the method's own types.
public enum IncomingMessage: Sendable {
    case request(RPCRequest<JSONValue>)
    case notification(RPCNotification<JSONValue>)
    case response(id: RPCID, outcome: Result<JSONValue, RPCErrorObject>)

    /// Sorts a parsed JSON body. A value that is none of the kinds yields the error answer to send
    /// (-32600, with the id when one could be read).
    public static func classify(_ value: JSONValue) -> Result<IncomingMessage, InvalidMessage> {
        guard case .object(let members) = value else {
            var what = "not a JSON object"
            if case .array = value { what = "a batch (JSON array), which the helper does not accept" }
            return .failure(InvalidMessage(answer: RPCErrorResponse(id: .null, error: .invalidRequest("The message is \(what); send one JSON-RPC 2.0 object per frame."))))
        }
        let idValue = members["id"]
        let id: RPCID? = idValue.flatMap(Self.readID)
        let answerID = id ?? .null
        func invalid(_ sentence: String) -> Result<IncomingMessage, InvalidMessage> {
            .failure(InvalidMessage(answer: RPCErrorResponse(id: answerID, error: .invalidRequest(sentence))))
        }

        guard members["jsonrpc"] == .string("2.0") else {
            return invalid("The message lacks \"jsonrpc\": \"2.0\"; only JSON-RPC 2.0 is spoken here.")
        }
        if idValue != nil, id == nil {
            return invalid("The message's id is neither a whole number, a string nor null.")
        }
        let params = members["params"].flatMap { $0 == .null ? nil : $0 }

        if let methodValue = members["method"] {
            guard case .string(let method) = methodValue else {
                return invalid("The message's method is not a string.")
            }
            if let id {
                return .success(.request(RPCRequest(id: id, method: method, params: params)))
            }
            return .success(.notification(RPCNotification(method: method, params: params)))
        }

        if let id {
            if let errorValue = members["error"] {
                guard let error = try? errorValue.decode(as: RPCErrorObject.self) else {
                    return invalid("The answer's error is not an object with a code and a message.")
                }
                return .success(.response(id: id, outcome: .failure(error)))
            }
            if let result = members["result"] {
                return .success(.response(id: id, outcome: .success(result)))
            }
        }
        return invalid("The message is not a JSON-RPC 2.0 request, notification or response; it was ignored.")
    }

    private static func readID(_ value: JSONValue) -> RPCID? {
        switch value {
        case .null: return .null
        case .string(let text): return .string(text)
        case .number(let number):
            guard number.rounded() == number, abs(number) <= 9_007_199_254_740_992 else { return nil }
            return .number(Int(number))
        default: return nil
        }
    }
}

/// A JSON value that is no JSON-RPC message, with the -32600 answer to send for it.
public struct InvalidMessage: Error, Sendable {
    public let answer: RPCErrorResponse
}
