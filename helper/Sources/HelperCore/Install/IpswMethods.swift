import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `ipsw/latest`, `ipsw/download`, `ipsw/list`, `ipsw/delete` for a serve session.
public struct IpswService: MethodService {
    let cache: IpswCache
    let settings: IpswDownload.Settings

    public init(home: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        cache = IpswCache(home: home)
        settings = IpswDownload.Settings(environment: environment)
    }

    public func register(on router: Router) {
        let cache = cache, settings = settings
        router.register(IpswLatestRequest.self) { _, _ in try await IpswLatest.lookup(stallSeconds: settings.stallSeconds) }

        router.register(IpswDownloadRequest.self) { params, context in
            let download = try IpswDownload(params: params, cache: cache, settings: settings) { progress in
                context.connection.notify(IpswProgressNotification.self, progress)
            }
            // The download blocks (network waits, file writes, hashing), so it gets a thread of its
            // own; `$/cancelRequest` cancels this task, which stops it.
            return try await withTaskCancellationHandler {
                try await runOnOwnThread(name: "vmtui-download") { try download.run() }
            } onCancel: {
                download.cancel()
            }
        }

        router.register(IpswListRequest.self) { _, _ in cache.list() }
        router.register(IpswDeleteRequest.self) { params, _ in
            try cache.delete(params.name)
            return NullResult()
        }
    }
}

/// `ipsw/latest`: Virtualization.framework's lookup on Apple silicon Macs; nothing else can run
/// macOS guests, so elsewhere it says so.
enum IpswLatest {
    static func lookup(stallSeconds: TimeInterval) async throws -> IpswLatestResult {
        #if (os(macOS) && arch(arm64)) || DARWIN_CHECK
        let latest = try await VZRestoreImageLookup.latest()
        return IpswLatestResult(version: latest.version, build: latest.build, url: latest.url.absoluteString,
                                sizeBytes: await contentLength(of: latest.url, stallSeconds: min(stallSeconds, 15)))
        #elseif os(macOS)
        throw HelperError.unsupported("macOS guests need an Apple silicon Mac, and this Mac has an Intel processor, so there is no restore image for it; 'vmtui ipsw download URL' still fetches an IPSW you name.")
        #else
        throw HelperError.unsupported("macOS guests need an Apple silicon Mac (Virtualization.framework); this Linux host runs Linux guests with QEMU only. 'vmtui ipsw download URL' still fetches an IPSW you name.")
        #endif
    }

    /// The file's size from a HEAD request; nil when the server does not say (or cannot be asked).
    static func contentLength(of url: URL, stallSeconds: TimeInterval) async -> UInt64? {
        await withCheckedContinuation { continuation in
            Thread {
                var request = URLRequest(url: url)
                request.httpMethod = "HEAD"
                request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
                let fetch = HTTPFetch(request: request, stallSeconds: stallSeconds, onHead: { _ in false }, onData: { _ in })
                let head = try? fetch.run()
                let length = head.flatMap { $0.status == 200 ? $0.headers["content-length"].flatMap(HTTPRange.decimal) : nil }
                continuation.resume(returning: length)
            }.start()
        }
    }
}
