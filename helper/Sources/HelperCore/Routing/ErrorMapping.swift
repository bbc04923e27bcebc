import Foundation

/// The one place a thrown Swift error becomes a JSON-RPC error.
enum ErrorMapping {
    static func rpcError(for error: Error, method: String) -> RPCErrorObject {
        switch error {
        case let error as RPCErrorObject:
            return error  // already wire-shaped, e.g. a per-VM host's answer passed on
        case let error as HelperError:
            return RPCErrorObject(error)
        case is CancellationError:
            return RPCErrorObject(HelperError.cancelled("The '\(method)' request"))
        default:
            let detail = ((error as? LocalizedError)?.errorDescription ?? String(describing: error))
                .trimmingCharacters(in: CharacterSet(charactersIn: ". "))
            Log.error("'\(method)' failed unexpectedly: \(detail)")
            return .internalError("The helper failed while handling '\(method)' (\(detail)); see the helper's log on stderr.")
        }
    }
}
