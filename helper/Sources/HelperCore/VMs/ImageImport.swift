import Foundation

/// The image half of one `vm/create {image}`: a URL is downloaded into `cache/images/` (resumable,
/// verified, shared by VMs; the restore-image download), a path is checked against `sha256` when
/// given; then the image is written as the new bundle's disk.img. `cancel()` may come from any
/// thread; progress goes to `report` as `image/progress`.
final class ImageImport: @unchecked Sendable {
    private let name: String
    private let source: String
    private let sha256: String?
    private let cache: IpswCache
    private let settings: IpswDownload.Settings
    private let report: (ImageProgressParams) -> Void

    private let lock = NSLock()
    // Guarded by lock.
    private var cancelled = false
    private var download: IpswDownload?
    private var rate = TransferRate()
    private var gate = ProgressGate()

    init(params: VMCreateParams, home: URL, environment: [String: String] = ProcessInfo.processInfo.environment,
         report: @escaping (ImageProgressParams) -> Void = { _ in }) {
        name = params.name
        source = params.image ?? ""
        sha256 = params.sha256
        cache = IpswCache.images(home: home)
        settings = IpswDownload.Settings(environment: environment)
        self.report = report
    }

    var isURL: Bool {
        let lower = source.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    func cancel() {
        let download = lock.locked { () -> IpswDownload? in
            cancelled = true
            return self.download
        }
        download?.cancel()
    }

    var isCancelled: Bool { lock.locked { cancelled } }

    /// The local image file (downloaded first for a URL), inspected.
    func resolve() throws -> DiskImage {
        guard !source.isEmpty else {
            throw HelperError.invalidParams(field: "image", message: "'image' must name a disk image: a path or an http(s) URL.")
        }
        let expected = try sha256.map { text -> String in
            guard let hex = DigestHeader.normalizedHex(text) else {
                throw HelperError.invalidParams(field: "sha256", message: "Parameter 'sha256' must be 64 hexadecimal digits (a SHA-256), not '\(text)'.")
            }
            return hex
        }
        if isURL { return try DiskImage.inspect(try fetch()) }
        if source.contains("://") {
            throw HelperError.invalidParams(field: "image", message: "'\(source)' is neither a file path nor an http or https URL; give one of those.")
        }
        let path = URL(fileURLWithPath: source).standardizedFileURL.path
        let image = try DiskImage.inspect(path)
        if let expected {
            let size = FileOps.logicalSize(URL(fileURLWithPath: path))
            let hex = try SHA256Digester.hashFile(URL(fileURLWithPath: path)) { done in
                if isCancelled { throw HelperError.cancelled("Checking the SHA-256 of \(path)") }
                progress(.verifying, done: done, total: size)
            }
            guard hex == expected else {
                throw HelperError.invalidParams(field: "sha256", message: "The image \(path) does not match the SHA-256 you gave: it is \(hex), not \(expected). Check the value and the file.")
            }
        }
        return image
    }

    private func fetch() throws -> String {
        let download = try IpswDownload(params: IpswDownloadParams(url: source, sha256: sha256), cache: cache, settings: settings) { [weak self] p in
            guard let self else { return }
            let phase: ImagePhase = switch p.phase { case .connecting: .connecting; case .downloading: .downloading; case .verifying: .verifying }
            report(ImageProgressParams(name: name, phase: phase, doneBytes: p.receivedBytes, totalBytes: p.totalBytes,
                                       bytesPerSecond: p.bytesPerSecond, etaSeconds: p.etaSeconds))
        }
        let alreadyCancelled = lock.locked { () -> Bool in
            self.download = download
            return cancelled
        }
        defer { lock.locked { self.download = nil } }
        if alreadyCancelled { throw HelperError.cancelled("Downloading \(source)") }
        return try download.run().path
    }

    /// Writes `image` as `destination` of `size` bytes.
    func write(_ image: DiskImage, to destination: URL, size: UInt64) throws {
        do {
            try image.importInto(destination, size: size, progress: { [self] done in
                progress(.importing, done: done, total: image.virtualSize)
            }, isCancelled: { [self] in isCancelled })
        } catch let error as HelperError {
            if case .cancelled = error {
                throw HelperError.cancelled("Creating VM '\(name)' from \(image.path)")
            }
            throw error
        }
    }

    private func progress(_ phase: ImagePhase, done: UInt64, total: UInt64?) {
        let now = ProcessInfo.processInfo.systemUptime
        let params: ImageProgressParams? = lock.locked {
            rate.record(bytes: done, at: now)
            // The gate's phases are the download's; importing and verifying a file count as one.
            guard gate.admit(phase == .importing ? .downloading : .verifying, at: now) || done == total else { return nil }
            let perSecond = rate.bytesPerSecond(at: now).rounded()
            let remaining = total.map { $0 > done ? $0 - done : 0 }
            return ImageProgressParams(name: name, phase: phase, doneBytes: done, totalBytes: total, bytesPerSecond: perSecond,
                                       etaSeconds: TransferRate.eta(remaining: remaining, bytesPerSecond: perSecond))
        }
        if let params { report(params) }
    }
}
