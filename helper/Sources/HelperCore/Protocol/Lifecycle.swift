/// `initialize`, `shutdown`, `exit` and `$/cancelRequest` (PROTOCOL.md, "Lifecycle").
public enum InitializeRequest: RPCRequestType {
    public typealias Params = InitializeParams
    public typealias Result = InitializeResult
    public static let method = "initialize"
}

public enum ShutdownRequest: RPCRequestType {
    public typealias Params = EmptyParams
    public typealias Result = NullResult
    public static let method = "shutdown"
}

public enum ExitNotification: RPCNotificationType {
    public typealias Params = EmptyParams
    public static let method = "exit"
}

/// Sent by vscode-jsonrpc when the client gives up on a request.
public enum CancelRequestNotification: RPCNotificationType {
    public typealias Params = CancelParams
    public static let method = "$/cancelRequest"
}

public struct CancelParams: Codable, Equatable, Sendable {
    public var id: RPCID
    public init(id: RPCID) { self.id = id }
}

public struct InitializeParams: Codable, Equatable, Sendable {
    public var clientName: String
    public var clientVersion: String
    public var protocolVersion: Int

    public init(clientName: String, clientVersion: String, protocolVersion: Int) {
        self.clientName = clientName
        self.clientVersion = clientVersion
        self.protocolVersion = protocolVersion
    }
}

public struct InitializeResult: Codable, Equatable, Sendable {
    public var helperVersion: String
    public var protocolVersion: Int
    public var platform: Platform
    public var arch: Arch
    public var backend: BackendKind
    public var capabilities: Capabilities

    public init(helperVersion: String, protocolVersion: Int, platform: Platform, arch: Arch,
                backend: BackendKind, capabilities: Capabilities) {
        self.helperVersion = helperVersion
        self.protocolVersion = protocolVersion
        self.platform = platform
        self.arch = arch
        self.backend = backend
        self.capabilities = capabilities
    }
}

public struct Capabilities: Codable, Equatable, Sendable {
    /// Every request method the helper answers, sorted.
    public var methods: [String]
    public var macosGuests: Bool
    public var linuxGuests: Bool
    public var saveRestore: Bool

    public init(methods: [String], macosGuests: Bool, linuxGuests: Bool, saveRestore: Bool) {
        self.methods = methods
        self.macosGuests = macosGuests
        self.linuxGuests = linuxGuests
        self.saveRestore = saveRestore
    }
}
