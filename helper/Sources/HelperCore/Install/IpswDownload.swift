import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One `ipsw/download`: streams the URL into `<name>.partial`, resuming with a Range request from
/// whatever is on disk; checks the SHA-256 (the user's, else the server's digest header); renames
/// the file into place. `run()` blocks; `cancel()` may come from any thread and keeps the partial.
final class IpswDownload: @unchecked Sendable {
    struct Settings: Sendable {
        /// The longest wait for the next bytes before a connection counts as stalled.
        var stallSeconds: TimeInterval = 30
        /// The pause before resuming after a dropped connection.
        var retryPause: TimeInterval = 0.5
        /// Resumes within one call; each must follow an attempt that received something.
        var maxRetries = 100

        static let stallVariable = "VMTUI_DOWNLOAD_STALL_SECONDS"

        init() {}

        init(environment: [String: String]) {
            if let text = environment[Self.stallVariable], let seconds = TimeInterval(text), seconds > 0 { stallSeconds = seconds }
        }
    }

    let source: URL
    private let expectedSHA256: String?
    let cache: IpswCache
    let settings: Settings
    private let report: (IpswProgressParams) -> Void
    let name: String

    private let lock = NSLock()
    private let wake = DispatchSemaphore(value: 0)
    // Guarded by lock.
    private var cancelled = false
    private var fetch: HTTPFetch?
    private var rate = TransferRate()
    private var gate = ProgressGate()
    private var ratePhase: DownloadPhase?

    /// Checks the params (-32602 naming the field).
    init(params: IpswDownloadParams, cache: IpswCache, settings: Settings, report: @escaping (IpswProgressParams) -> Void) throws {
        guard let url = URL(string: params.url), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw HelperError.invalidParams(field: "url", message: "Parameter 'url' must be an http or https URL (such as \(cache.deleteCommand == nil ? "https://example.org/…/disk.qcow2" : "https://updates.cdn-apple.com/…/UniversalMac_…_Restore.ipsw")), not '\(params.url)'.")
        }
        if let text = params.sha256 {
            guard let hex = DigestHeader.normalizedHex(text) else {
                throw HelperError.invalidParams(field: "sha256", message: "Parameter 'sha256' must be 64 hexadecimal digits (a SHA-256), not '\(text)'.")
            }
            expectedSHA256 = hex
        } else {
            expectedSHA256 = nil
        }
        source = url
        name = IpswCache.fileName(for: url)
        self.cache = cache
        self.settings = settings
        self.report = report
    }

    func cancel() {
        let fetch = lock.locked { () -> HTTPFetch? in
            cancelled = true
            return self.fetch
        }
        fetch?.cancel()
        wake.signal()
    }

    private var isCancelled: Bool { lock.locked { cancelled } }

    var host: String {
        source.port.map { "\(source.host ?? ""):\($0)" } ?? (source.host ?? "")
    }

    func run() throws -> IpswDownloadResult {
        try cache.makeDirectory()
        if let cached = cachedResult() { return cached }
        let partial = try PartialFile(url: cache.partialURL(name), busy: { HelperError.downloadBusy(name: self.name) })
        // Unlocked before the answer goes out: the last fetch may hold the file in its callbacks a
        // moment longer, and a retry sent right after a failure was refused as busy.
        defer { partial.release() }
        let sidecarURL = cache.sidecarURL(ofFile: partial.url)
        do {
            return try run(partial, sidecarURL: sidecarURL)
        } catch {
            // A failure before any byte arrived (a 404, a refused connection) leaves nothing behind.
            if partial.receivedBytes == 0 {
                try? SafeFile.remove(partial.url, .file)
                try? SafeFile.remove(sidecarURL, .file)
            }
            throw error
        }
    }

    private func run(_ partial: PartialFile, sidecarURL: URL) throws -> IpswDownloadResult {
        var sidecar = DownloadSidecar.load(sidecarURL) ?? DownloadSidecar(url: "")
        if sidecar.url != source.absoluteString {
            if partial.writtenBytes > 0 {
                Log.info("\(name): the partial file came from another URL (or lost its notes); starting it again.")
                try partial.truncate()
            }
            sidecar = DownloadSidecar(url: source.absoluteString)
            try sidecar.save(to: sidecarURL)
        }
        let resumedFrom = partial.writtenBytes

        try transfer(into: partial, sidecar: &sidecar, sidecarURL: sidecarURL)
        try partial.sync()
        let size = partial.writtenBytes
        if sidecar.totalBytes == nil {
            sidecar.totalBytes = size
            try sidecar.save(to: sidecarURL)
        }

        let hex: String
        do {
            hex = try SHA256Digester.hashFile(partial.url) { done in
                if isCancelled { throw HTTPFetch.Failure.cancelled }
                progress(.verifying, received: done, total: size)
            }
        } catch HTTPFetch.Failure.cancelled {
            throw cancelledError(received: size)
        }
        let verifiedWith = try check(hex, partial: partial, sidecar: sidecar, sidecarURL: sidecarURL)

        let final = cache.finalURL(name)
        try SafeFile.replace(final, with: partial.url)
        var done = sidecar
        done.sha256 = hex
        done.verifiedWith = verifiedWith
        do {
            try done.save(to: cache.sidecarURL(ofFile: final))
        } catch {
            Log.error("\(name) is complete, but its notes could not be written (\(error)); 'ipsw/list' will not show its URL.")
        }
        try? SafeFile.remove(sidecarURL, .file)
        return IpswDownloadResult(path: final.path, sizeBytes: size, sha256: hex, verifiedWith: verifiedWith, resumedFromBytes: resumedFrom)
    }

    /// A finished download of the same URL (and, when one was given, the same SHA-256).
    private func cachedResult() -> IpswDownloadResult? {
        let final = cache.finalURL(name)
        guard FileOps.isRegularFile(final.path), let sidecar = DownloadSidecar.load(cache.sidecarURL(ofFile: final)),
              sidecar.url == source.absoluteString, let sha256 = sidecar.sha256 else { return nil }
        if let expectedSHA256, expectedSHA256 != sha256 { return nil }  // not the file wanted: fetch again
        let size = FileOps.logicalSize(final)
        return IpswDownloadResult(path: final.path, sizeBytes: size, sha256: sha256,
                                  verifiedWith: expectedSHA256 != nil ? .user : (sidecar.verifiedWith ?? .none), resumedFromBytes: size)
    }

    /// Which value the file was checked against; a mismatch deletes the partial file and throws.
    private func check(_ hex: String, partial: PartialFile, sidecar: DownloadSidecar, sidecarURL: URL) throws -> DigestSource {
        let (wanted, source): (String?, DigestSource) = expectedSHA256.map { ($0, .user) } ?? (sidecar.serverSHA256.map { ($0, .server) } ?? (nil, .none))
        guard let wanted, wanted != hex else { return source }
        try? SafeFile.remove(partial.url, .file)
        try? SafeFile.remove(sidecarURL, .file)
        throw mismatchError(hex, wanted: wanted, givenByUser: source == .user)
    }

    // MARK: Transfer

    private enum AttemptEnd {
        case complete
        /// The bytes on disk cannot be continued; start from zero.
        case restart(String)
    }

    private func transfer(into partial: PartialFile, sidecar: inout DownloadSidecar, sidecarURL: URL) throws {
        var retries = 0
        var restarts = 0
        while true {
            if isCancelled { throw cancelledError(received: partial.receivedBytes) }
            if let total = sidecar.totalBytes, partial.writtenBytes == total, total > 0 { return }
            let before = partial.receivedBytes
            let end: AttemptEnd
            do {
                end = try attempt(into: partial, sidecar: &sidecar, sidecarURL: sidecarURL)
            } catch let failure as HTTPFetch.Failure {
                try? partial.flush()
                if failure == .cancelled { throw cancelledError(received: partial.receivedBytes) }
                let madeProgress = partial.receivedBytes > before
                guard madeProgress, retries < settings.maxRetries else { throw networkError(failure, received: partial.receivedBytes, total: sidecar.totalBytes) }
                retries += 1
                Log.info("\(name): \(failureText(failure)) after \(partial.receivedBytes) bytes; resuming (retry \(retries)).")
                _ = wake.wait(timeout: .now() + settings.retryPause)
                continue
            } catch let error as HelperError {
                try? partial.flush()
                if case .diskFull = error { throw diskFullError(received: partial.receivedBytes, total: sidecar.totalBytes) }
                throw error
            } catch {
                try? partial.flush()
                throw error
            }
            switch end {
            case .complete:
                return
            case .restart(let reason):
                restarts += 1
                guard restarts <= 3 else {
                    throw keepsChangingError(reason)
                }
                Log.info("\(name): \(reason); starting from zero.")
                try partial.truncate()
                sidecar = DownloadSidecar(url: source.absoluteString)
                try sidecar.save(to: sidecarURL)
            }
        }
    }

    /// One HTTP request from the end of the partial file.
    private func attempt(into partial: PartialFile, sidecar: inout DownloadSidecar, sidecarURL: URL) throws -> AttemptEnd {
        let offset = partial.writtenBytes
        var request = URLRequest(url: source)
        // Resuming needs the bytes as stored, not a compressed rendering of them.
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        if offset > 0 {
            request.setValue(HTTPRange.requestHeader(from: offset), forHTTPHeaderField: "Range")
            if let validator = HTTPRange.ifRangeValue(etag: sidecar.etag, lastModified: sidecar.lastModified) {
                request.setValue(validator, forHTTPHeaderField: "If-Range")
            }
        }
        progress(.connecting, received: offset, total: sidecar.totalBytes)

        var notes = sidecar
        var end: AttemptEnd?
        var expectedEnd: UInt64?
        let fetch = HTTPFetch(request: request, stallSeconds: settings.stallSeconds, onHead: { head in
            switch self.judge(head, offset: offset, notes: notes) {
            case .stop(let outcome):
                end = outcome
                return false
            case .fail(let error):
                throw error
            case .accept(let updated, let bodyEnd, let fromZero):
                if fromZero, partial.writtenBytes > 0 {
                    Log.info("\(self.name): the server sent the whole file instead of the rest; starting from zero.")
                    try partial.truncate()
                    self.lock.locked { self.rate.reset() }
                }
                notes = updated
                expectedEnd = bodyEnd
                try notes.save(to: sidecarURL)
                if let bodyEnd { try self.checkFreeSpace(needed: bodyEnd - min(bodyEnd, partial.writtenBytes), received: partial.writtenBytes, total: notes.totalBytes) }
                return true
            }
        }, onData: { data in
            try partial.append(data)
            self.progress(.downloading, received: partial.receivedBytes, total: notes.totalBytes)
        })
        let alreadyCancelled = lock.locked { () -> Bool in
            self.fetch = fetch
            return cancelled
        }
        defer { lock.locked { self.fetch = nil } }
        if alreadyCancelled { throw HTTPFetch.Failure.cancelled }
        defer { sidecar = notes }
        _ = try fetch.run()
        if let end { return end }
        try partial.flush()
        if let expectedEnd, partial.writtenBytes < expectedEnd {
            // The body ended early without an error from the network layer.
            throw HTTPFetch.Failure.network(code: URLError.Code.networkConnectionLost.rawValue, text: "the server closed the connection early")
        }
        return .complete
    }

    private enum Verdict {
        /// Take the body: the updated notes, the file's length once the body is in, and whether
        /// the body starts at byte 0.
        case accept(DownloadSidecar, UInt64?, Bool)
        case stop(AttemptEnd)
        case fail(Error)
    }

    /// What a response head means for a request from `offset`.
    private func judge(_ head: HTTPFetch.Head, offset: UInt64, notes: DownloadSidecar) -> Verdict {
        let etag = head.headers["etag"]
        let lastModified = head.headers["last-modified"]
        switch head.status {
        case 206:
            guard offset > 0, let range = head.headers["content-range"].flatMap(HTTPRange.parseContentRange),
                  let first = range.first, let last = range.last, first == offset else {
                return .stop(.restart("the server sent other bytes than the ones asked for"))
            }
            if let old = notes.etag, let etag, old != etag { return .stop(.restart("the file changed on the server (its ETag changed)")) }
            if let old = notes.totalBytes, let total = range.total, old != total { return .stop(.restart("the file changed on the server (its size changed)")) }
            var updated = notes
            updated.etag = etag ?? notes.etag
            updated.lastModified = lastModified ?? notes.lastModified
            updated.totalBytes = range.total ?? notes.totalBytes
            updated.serverSHA256 = DigestHeader.sha256(in: head.headers, wholeBody: false)?.sha256Hex ?? notes.serverSHA256
            return .accept(updated, last + 1, false)
        case 200:
            var fresh = DownloadSidecar(url: source.absoluteString)
            fresh.etag = etag
            fresh.lastModified = lastModified
            fresh.totalBytes = head.headers["content-length"].flatMap(HTTPRange.decimal)
            fresh.serverSHA256 = DigestHeader.sha256(in: head.headers, wholeBody: true)?.sha256Hex
            return .accept(fresh, fresh.totalBytes, true)
        case 416:
            if offset > 0, let total = head.headers["content-range"].flatMap(HTTPRange.parseContentRange)?.total, total == offset {
                return .stop(.complete)  // everything was here already
            }
            return .stop(.restart("the server has fewer bytes than the partial file"))
        default:
            return .fail(statusError(head.status))
        }
    }

    // MARK: Progress

    private func progress(_ phase: DownloadPhase, received: UInt64, total: UInt64?) {
        let now = ProcessInfo.processInfo.systemUptime
        let params: IpswProgressParams? = lock.locked {
            // A new phase (or a new connection) counts its own rate.
            if phase != ratePhase || phase == .connecting { rate.reset() }
            ratePhase = phase
            rate.record(bytes: received, at: now)
            guard gate.admit(phase, at: now) else { return nil }
            let perSecond = rate.bytesPerSecond(at: now).rounded()
            let remaining = total.map { $0 > received ? $0 - received : 0 }
            return IpswProgressParams(url: source.absoluteString, phase: phase, receivedBytes: received, totalBytes: total,
                                      bytesPerSecond: perSecond, etaSeconds: phase == .connecting ? nil : TransferRate.eta(remaining: remaining, bytesPerSecond: perSecond))
        }
        if let params { report(params) }
    }

    private func checkFreeSpace(needed: UInt64, received: UInt64, total: UInt64?) throws {
        let free = FileOps.freeBytes(at: cache.directory)
        guard needed > free else { return }
        throw notEnoughSpaceError(free: free, needed: needed, received: received)
    }
}
