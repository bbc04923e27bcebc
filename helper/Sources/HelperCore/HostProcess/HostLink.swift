import Foundation

/// The serve process's connection to one running host's control socket. Notifications from the
/// host (state changes, console data) are passed to `forward`.
public final class HostLink: @unchecked Sendable {
    public let name: String
    /// The host process this link reaches; a later host for the same VM needs a new link.
    public let hostPid: Int32
    let connection: Connection

    init(bundle: VMBundle, hostPid: Int32, forward: @escaping @Sendable (String, JSONValue) -> Void,
         onClose: @escaping @Sendable () -> Void) throws {
        name = bundle.name
        self.hostPid = hostPid
        let fd: Int32
        do { fd = try UnixSocket.connect(bundle.controlSocket.path, timeout: 2) } catch {
            throw HelperError.hostUnreachable(name: bundle.name, reason: (error as? HelperError)?.message ?? "\(error)")
        }
        connection = Connection(input: fd, output: fd, name: "host-\(bundle.name)", ownsDescriptors: true)
        let router = Router()
        router.onNotification(StateChangedNotification.self) { p, _ in forward(StateChangedNotification.method, try JSONValue(encoding: p)) }
        router.onNotification(InstallProgressNotification.self) { p, _ in forward(InstallProgressNotification.method, try JSONValue(encoding: p)) }
        router.onNotification(ConsoleDataNotification.self) { p, _ in forward(ConsoleDataNotification.method, try JSONValue(encoding: p)) }
        connection.start(router: router) { _ in onClose() }
    }

    func request<M: RPCRequestType>(_ type: M.Type, _ params: M.Params) async throws -> M.Result {
        do { return try await connection.request(type, params) } catch let error as ConnectionError {
            throw HelperError.hostUnreachable(name: name, reason: error.localizedDescription)
        }
    }

    func request<P: Encodable & Sendable, R: Decodable>(_ method: String, _ params: P, as: R.Type) async throws -> R {
        let raw: JSONValue
        do { raw = try await connection.request(method, params: try JSONValue(encoding: params)) } catch let error as ConnectionError {
            throw HelperError.hostUnreachable(name: name, reason: error.localizedDescription)
        }
        return try raw.decode(as: R.self)
    }

    func close() { connection.close() }

    var isOpen: Bool { !connection.isClosed }
}
