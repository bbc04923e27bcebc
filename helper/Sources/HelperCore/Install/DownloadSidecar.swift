import Foundation

/// What vmtui remembers beside a cached file (`.<file>.json`, hidden from listings): where it came
/// from and the validators that make a later Range request safe (If-Range), the server's digest,
/// and once complete, its SHA-256.
struct DownloadSidecar: Codable, Equatable, Sendable {
    static let schemaVersion = 1

    var schemaVersion = DownloadSidecar.schemaVersion
    var url: String
    var etag: String?
    var lastModified: String?
    /// The whole file's length, when the server said.
    var totalBytes: UInt64?
    /// The server's SHA-256 of the whole file (hex), from its digest header.
    var serverSHA256: String?
    /// Set once the file is complete and verified.
    var sha256: String?
    var verifiedWith: DigestSource?

    init(url: String) { self.url = url }

    /// nil when missing or unreadable (a partial without one restarts from zero).
    static func load(_ url: URL) -> DownloadSidecar? {
        guard let data = try? Data(contentsOf: url),
              let sidecar = try? JSONCoding.decode(DownloadSidecar.self, from: data),
              sidecar.schemaVersion == schemaVersion else { return nil }
        return sidecar
    }

    func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try FileOps.atomicWrite(try encoder.encode(self), to: url)
    }
}
