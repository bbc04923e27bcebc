import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A download cache, `$VMTUI_HOME/cache/<folder>/` (`ipsw` for restore images, `images` for disk
/// images): finished files under their own names, downloads in progress as `<name>.partial`, and
/// for each file a hidden sidecar `.<file>.json` (DownloadSidecar).
public struct IpswCache: Sendable {
    public static let partialSuffix = ".partial"
    public let directory: URL
    /// The command that removes a cached file, for sentences ("vmtui ipsw delete"); nil when there is none.
    let deleteCommand: String?

    public init(home: URL) {
        self.init(home: home, folder: "ipsw", deleteCommand: "vmtui ipsw delete")
    }

    init(home: URL, folder: String, deleteCommand: String?) {
        directory = home.appendingPathComponent("cache", isDirectory: true).appendingPathComponent(folder, isDirectory: true)
        self.deleteCommand = deleteCommand
    }

    /// `cache/images/`: disk images downloaded for `vm/create {image: URL}`, shared by VMs.
    public static func images(home: URL) -> IpswCache {
        IpswCache(home: home, folder: "images", deleteCommand: nil)
    }

    public func finalURL(_ name: String) -> URL { directory.appendingPathComponent(name) }
    public func partialURL(_ name: String) -> URL { directory.appendingPathComponent(name + Self.partialSuffix) }
    /// The sidecar of any file in the cache (final or partial).
    func sidecarURL(ofFile file: URL) -> URL { directory.appendingPathComponent("." + file.lastPathComponent + ".json") }

    /// Creates VMTUI_HOME, cache/ and cache/ipsw/ as needed.
    func makeDirectory() throws {
        let cacheFolder = directory.deletingLastPathComponent()
        for folder in [cacheFolder.deletingLastPathComponent(), cacheFolder, directory] {
            try FileOps.makeDirectory(folder)
        }
    }

    /// The cache name for a download: the URL's last path component, with anything but letters,
    /// digits, '.', '_' and '-' made '_', no leading dots or dashes (no hidden files, no options),
    /// at most 160 bytes, never ending in ".partial".
    public static func fileName(for url: URL) -> String {
        // Decoded here, not by URL.lastPathComponent, whose handling of "%2F" differs by platform.
        let encoded = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
        let last = encoded.split(separator: "/").last.map(String.init) ?? ""
        let decoded = last.removingPercentEncoding ?? last
        var name = String(String.UnicodeScalarView(decoded.unicodeScalars.map { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": return scalar
            default: return "_"
            }
        }))
        while let first = name.first, first == "." || first == "-" { name.removeFirst() }
        if name.utf8.count > 160 { name = String(name.prefix(160)) }
        if name.isEmpty || name == "_" { name = "download" }
        if name.hasSuffix(partialSuffix) { name += "_" }
        return name
    }

    // MARK: ipsw/list and ipsw/delete

    public func list() -> IpswListResult {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var images: [IpswImage] = []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let file = directory.appendingPathComponent(entry)
            guard FileOps.isRegularFile(file.path) else { continue }
            let complete = !entry.hasSuffix(Self.partialSuffix)
            let sidecar = DownloadSidecar.load(sidecarURL(ofFile: file))
            images.append(IpswImage(name: entry, path: file.path, sizeBytes: FileOps.logicalSize(file), complete: complete,
                                    url: sidecar?.url, totalBytes: sidecar?.totalBytes,
                                    sha256: complete ? sidecar?.sha256 : nil))
        }
        return IpswListResult(images: images)
    }

    /// Removes a cached image or a partial download (and its sidecar). A partial that a download
    /// is writing right now (in any session) is refused.
    public func delete(_ name: String) throws {
        guard !name.isEmpty, !name.hasPrefix("."), !name.contains("/"), !name.contains("\0") else {
            throw HelperError.invalidParams(field: "name", message: "'\(name)' is not the name of a cached file; use a name that 'vmtui ipsw list' shows.")
        }
        let file = directory.appendingPathComponent(name)
        guard FileOps.isRegularFile(file.path) else {
            throw HelperError.worded(.missingFile(what: "cached", path: file.path),
                                     message: "No cached restore image or partial download is named '\(name)'; see 'vmtui ipsw list' for the names.")
        }
        let fd = open(file.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw HelperError.fromErrno(errno, path: file.path, action: "open") }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { throw HelperError.downloadBusy(name: name) }
        try SafeFile.remove(file, .file)
        try? SafeFile.remove(sidecarURL(ofFile: file), .file)
    }
}
