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
    public var totalBytes: UInt64?
    public var bytesPerSecond: Double
    /// null while it cannot be estimated.
    public var etaSeconds: Double?

    private enum Keys: String, CodingKey { case name, phase, doneBytes, totalBytes, bytesPerSecond, etaSeconds }

    public init(name: String, phase: ImagePhase, doneBytes: UInt64, totalBytes: UInt64?, bytesPerSecond: Double, etaSeconds: Double?) {
        self.name = name
        self.phase = phase
        self.doneBytes = doneBytes
        self.totalBytes = totalBytes
        self.bytesPerSecond = bytesPerSecond
        self.etaSeconds = etaSeconds
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        name = try c.decode(String.self, forKey: .name)
        phase = try c.decode(ImagePhase.self, forKey: .phase)
        doneBytes = try c.decode(UInt64.self, forKey: .doneBytes)
        totalBytes = try c.decodeIfPresent(UInt64.self, forKey: .totalBytes)
        bytesPerSecond = try c.decode(Double.self, forKey: .bytesPerSecond)
        etaSeconds = try c.decodeIfPresent(Double.self, forKey: .etaSeconds)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(name, forKey: .name)
        try c.encode(phase, forKey: .phase)
        try c.encode(doneBytes, forKey: .doneBytes)
        try c.encode(totalBytes, forKey: .totalBytes)  // null, never absent
        try c.encode(bytesPerSecond, forKey: .bytesPerSecond)
        try c.encode(etaSeconds, forKey: .etaSeconds)  // null, never absent
    }
}

public enum ImageProgressNotification: RPCNotificationType { public typealias Params = ImageProgressParams; public static let method = "image/progress" }
