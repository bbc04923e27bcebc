import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The sentences of a download that failed or was cancelled: what happened, how much is kept and
/// how to go on. The state machine that meets these ends is in IpswDownload.swift.
extension IpswDownload {
    /// 1011 `backend` with `data.detail`: the server or the network failed, or the file is not the
    /// one expected.
    private func failed(_ message: String, detail: String) -> HelperError {
        .worded(.backend(detail), message: message)
    }

    private func cancelled(_ message: String) -> HelperError {
        .worded(.cancelled(name), message: message)
    }

    func mismatchError(_ hex: String, wanted: String, givenByUser: Bool) -> HelperError {
        if givenByUser {
            return failed("The download of \(name) does not match the SHA-256 you gave: it is \(hex), not \(wanted). It was deleted and nothing was cached; check the value (and the URL), then download again.",
                          detail: "sha256 mismatch")
        }
        return failed("The download of \(name) does not match the SHA-256 the server announced (\(wanted)); it is \(hex), so the partial file was corrupt or the file changed on the server. It was deleted; run the same download again to fetch it afresh.",
                      detail: "sha256 mismatch")
    }

    func keepsChangingError(_ reason: String) -> HelperError {
        failed("The server at \(host) keeps changing \(name) or answers resume requests wrongly (\(reason)); try again later.", detail: reason)
    }

    func of(_ received: UInt64, _ total: UInt64?) -> String {
        total.map { "\(ByteText.of(received)) of \(ByteText.of($0))" } ?? ByteText.of(received)
    }

    func cancelledError(received: UInt64) -> HelperError {
        if received == 0 { return cancelled("The download of \(name) was cancelled before any data arrived.") }
        return cancelled("The download of \(name) was cancelled; the \(ByteText.of(received)) received so far are kept in \(cache.partialURL(name).path), and the same download resumes from there.")
    }

    func notEnoughSpaceError(free: UInt64, needed: UInt64, received: UInt64) -> HelperError {
        .worded(.diskFull(path: cache.directory.path),
                message: "The disk holding \(cache.directory.path) has \(ByteText.of(free)) free, but \(name) needs \(ByteText.of(needed)) more; free some space and run the same download again (the \(ByteText.of(received)) already received are kept).")
    }

    func diskFullError(received: UInt64, total: UInt64?) -> HelperError {
        HelperError.worded(.diskFull(path: cache.directory.path),
                           message: "The disk holding \(cache.directory.path) is full: the download of \(name) stopped after \(of(received, total)). Free some space and run the same download again; it resumes from the partial file (or remove it\(cache.deleteCommand.map { " with '\($0) \(name)\(IpswCache.partialSuffix)'" } ?? ", \(cache.partialURL(name).path)")).")
    }

    func statusError(_ status: Int) -> HelperError {
        let http = "HTTP \(status)\(HTTPStatusText.of(status).map { " \($0)" } ?? "")"
        let message: String
        switch status {
        case 404, 410:
            message = "The server at \(host) has no file at \(source.absoluteString) (\(http)); check the URL."
        case 401, 403:
            message = "The server at \(host) refused to send \(source.absoluteString) (\(http)); the link may need a login or may have expired. Get a fresh URL and try again."
        case 500...599:
            message = "The server at \(host) failed (\(http)) while asked for \(name); try again later. Anything already downloaded is kept, and the download resumes from there."
        default:
            message = "The server at \(host) answered \(http) for \(source.absoluteString), which is not a file to download; check the URL."
        }
        return failed(message, detail: http)
    }

    func failureText(_ failure: HTTPFetch.Failure) -> String {
        switch failure {
        case .cancelled: return "cancelled"
        case .stalled: return "the server sent nothing for \(Int(settings.stallSeconds)) s"
        case .network(let code, let text): return "\(text) (URL error \(code))"
        }
    }

    func networkError(_ failure: HTTPFetch.Failure, received: UInt64, total: UInt64?) -> HelperError {
        let kept = received > 0 ? "the partial file is kept, so run the same download again to resume from there" : "then try again"
        let message: String
        switch failure {
        case .cancelled:
            return cancelledError(received: received)
        case .stalled:
            message = "The server at \(host) sent nothing for \(Int(settings.stallSeconds)) s, after \(of(received, total)); \(kept). (\(Settings.stallVariable) sets how long to wait.)"
        case .network(let code, let text):
            switch URLError.Code(rawValue: code) {
            case .cannotConnectToHost:
                message = "Could not connect to \(host) (\(text)); check the URL and the network, then try again."
            case .cannotFindHost, .dnsLookupFailed:
                message = "The host \(source.host ?? host) could not be found; check the URL and the network, then try again."
            case .notConnectedToInternet:
                message = "This machine is not connected to the network; connect it, then run the same download again."
            case .secureConnectionFailed, .serverCertificateHasBadDate, .serverCertificateUntrusted,
                 .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid, .clientCertificateRejected:
                message = "A secure connection to \(host) could not be made (\(text)); check this machine's clock and certificates, and the URL."
            case .networkConnectionLost, .unknown:
                message = "The connection to \(host) was lost after \(of(received, total)) (the server closed or reset it); \(kept)."
            default:
                message = "Downloading \(source.absoluteString) failed after \(of(received, total)) (\(text), URL error \(code)); \(kept)."
            }
        }
        return failed(message, detail: failureText(failure))
    }
}

extension HelperError {
    /// 1005 `invalidState` (state "downloading"): another download writes that file right now.
    static func downloadBusy(name: String) -> HelperError {
        .worded(.invalidState(name: name, state: "downloading", action: "download"),
                message: "'\(name)' is being downloaded right now (in this or another vmtui session); wait for that download or cancel it first.")
    }
}

/// Reason phrases for the statuses a download meets (URLSession's own are lowercase and vary).
enum HTTPStatusText {
    static func of(_ status: Int) -> String? {
        [400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 410: "Gone",
         429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
         504: "Gateway Timeout"][status]
    }
}
