import Foundation

/// `ipsw/*` (PROTOCOL.md, "Restore images and installs"; TypeScript: src/rpc/protocolInstall.ts).

public struct IpswLatestResult: Codable, Equatable, Sendable {
    public var version: String
    public var build: String
    public var url: String
    /// Absent when the server did not say.
    public var sizeBytes: UInt64?

    public init(version: String, build: String, url: String, sizeBytes: UInt64?) {
        self.version = version
        self.build = build
        self.url = url
        self.sizeBytes = sizeBytes
    }
}

public struct IpswDownloadParams: Codable, Equatable, Sendable {
    public var url: String
    /// Hex SHA-256 the user expects.
    public var sha256: String?

    public init(url: String, sha256: String? = nil) {
        self.url = url
        self.sha256 = sha256
    }
}

/// What a download was checked against.
public enum DigestSource: String, Codable, Sendable {
    case user
    case server
    case none
}

public struct IpswDownloadResult: Codable, Equatable, Sendable {
    public var path: String
    public var sizeBytes: UInt64
    public var sha256: String
    public var verifiedWith: DigestSource
    /// Bytes already on disk when this call began.
    public var resumedFromBytes: UInt64
}

public enum DownloadPhase: String, Codable, Sendable {
    case connecting
    case downloading
    case verifying
}

public struct IpswProgressParams: Codable, Equatable, Sendable {
    public var url: String
    public var phase: DownloadPhase
    public var receivedBytes: UInt64
    /// null while the size is unknown.
    @NullWhenNil public var totalBytes: UInt64?
    public var bytesPerSecond: Double
    /// null while it cannot be estimated.
    @NullWhenNil public var etaSeconds: Double?

    public init(url: String, phase: DownloadPhase, receivedBytes: UInt64, totalBytes: UInt64?, bytesPerSecond: Double, etaSeconds: Double?) {
        self.url = url
        self.phase = phase
        self.receivedBytes = receivedBytes
        self.totalBytes = totalBytes
        self.bytesPerSecond = bytesPerSecond
        self.etaSeconds = etaSeconds
    }
}

public struct IpswImage: Codable, Equatable, Sendable {
    /// The file's name in the cache (what ipsw/delete takes); partial downloads end in ".partial".
    public var name: String
    public var path: String
    /// Bytes on disk (for a partial: received so far).
    public var sizeBytes: UInt64
    public var complete: Bool
    public var url: String?
    public var totalBytes: UInt64?
    public var sha256: String?
}

public struct IpswListResult: Codable, Equatable, Sendable {
    public var images: [IpswImage]
}

public struct IpswDeleteParams: Codable, Equatable, Sendable {
    public var name: String
    public init(name: String) { self.name = name }
}

public enum IpswLatestRequest: RPCRequestType { public typealias Params = EmptyParams; public typealias Result = IpswLatestResult; public static let method = "ipsw/latest" }
public enum IpswDownloadRequest: RPCRequestType { public typealias Params = IpswDownloadParams; public typealias Result = IpswDownloadResult; public static let method = "ipsw/download" }
public enum IpswListRequest: RPCRequestType { public typealias Params = EmptyParams; public typealias Result = IpswListResult; public static let method = "ipsw/list" }
public enum IpswDeleteRequest: RPCRequestType { public typealias Params = IpswDeleteParams; public typealias Result = NullResult; public static let method = "ipsw/delete" }
public enum IpswProgressNotification: RPCNotificationType { public typealias Params = IpswProgressParams; public static let method = "ipsw/progress" }
