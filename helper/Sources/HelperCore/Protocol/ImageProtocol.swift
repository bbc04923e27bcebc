import Foundation

/// Progress of `vm/create` with an image (PROTOCOL.md, "Disk images"): the download of a URL
/// (connecting, downloading, verifying) and then the import into the bundle's disk.img.
public enum ImagePhase: String, Codable, Sendable {
    case connecting, downloading, verifying, importing
}

public struct ImageProgressParams: Codable, Equatable, Sendable {
    /// The VM being created.
    public var name: String
    public var phase: ImagePhase
    public var doneBytes: UInt64
    /// null while unknown.
    @NullWhenNil public var totalBytes: UInt64?
    public var bytesPerSecond: Double
    /// null while it cannot be estimated.
    @NullWhenNil public var etaSeconds: Double?

    public init(name: String, phase: ImagePhase, doneBytes: UInt64, totalBytes: UInt64?, bytesPerSecond: Double, etaSeconds: Double?) {
        self.name = name
        self.phase = phase
        self.doneBytes = doneBytes
        self.totalBytes = totalBytes
        self.bytesPerSecond = bytesPerSecond
        self.etaSeconds = etaSeconds
    }
}

public enum ImageProgressNotification: RPCNotificationType { public typealias Params = ImageProgressParams; public static let method = "image/progress" }
