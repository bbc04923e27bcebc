import Foundation

/// Turns a DecodingError from reading params into -32602 with a sentence naming the field.
enum InvalidParams {
    static func error(from error: DecodingError) -> HelperError {
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .invalidParams(field: field, message: "Parameter '\(field)' is missing.")
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return .invalidParams(field: field, message: "Parameter '\(field)' must be \(expected(type)).")
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return .invalidParams(field: field, message: "Parameter '\(field)' must not be null; it must be \(expected(type)).")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            let detail = context.debugDescription.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
            return .invalidParams(field: field, message: "Parameter '\(field)' has a value that cannot be used (\(detail)).")
        @unknown default:
            return .invalidParams(field: "params", message: "The params could not be read (\(error)).")
        }
    }

    /// "shares[0].path"; the params object itself is "params".
    static func path(_ codingPath: [CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return result.isEmpty ? "params" : result
    }

    static func expected(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int8.Type, is Int16.Type, is Int32.Type, is Int64.Type,
             is UInt.Type, is UInt8.Type, is UInt16.Type, is UInt32.Type, is UInt64.Type,
             is Double.Type, is Float.Type:
            return "a number"
        default: break
        }
        // What JSONDecoder reports when it wanted a container.
        if type == [String: Any].self { return "an object" }
        if type == [Any].self { return "an array" }
        let name = String(describing: type)
        if name.hasPrefix("Array<") { return "an array" }
        if name.hasPrefix("Dictionary<") { return "an object" }
        return "of another type (\(name))"
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        case .written(let kept): return describe(kept.value)
        }
    }
}
