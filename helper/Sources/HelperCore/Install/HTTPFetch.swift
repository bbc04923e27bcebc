import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking  // URLSession on Linux (libcurl)
#endif

/// One HTTP request through URLSession, streamed: the response head and then each piece of the
/// body go to callbacks on one serial queue, and `run()` blocks until the request has ended.
/// `cancel()` may come from any thread.
final class HTTPFetch: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    struct Head: Equatable {
        var status: Int
        /// Lowercased names.
        var headers: [String: String]
    }

    enum Failure: Error, Equatable {
        case cancelled
        /// Nothing arrived for the stall timeout.
        case stalled
        /// URLSession's error code (URLError.Code) and its text.
        case network(code: Int, text: String)
    }

    private let request: URLRequest
    private let stallSeconds: TimeInterval
    /// Returns false to end the request after the head, without reading the body (not an error).
    private let onHead: (Head) throws -> Bool
    private let onData: (Data) throws -> Void

    private let lock = NSLock()
    private let ended = DispatchSemaphore(value: 0)
    // Guarded by lock.
    private var task: URLSessionDataTask?
    private var cancelRequested = false
    private var stoppedAfterHead = false
    private var handlerError: Error?
    private var head: Head?
    private var completion: Error?

    init(request: URLRequest, stallSeconds: TimeInterval,
         onHead: @escaping (Head) throws -> Bool, onData: @escaping (Data) throws -> Void) {
        self.request = request
        self.stallSeconds = stallSeconds
        self.onHead = onHead
        self.onData = onData
    }

    /// Runs the request to its end. Returns the head; throws what a callback threw, `Failure`, or
    /// `.cancelled` after `cancel()`.
    func run() throws -> Head {
        let configuration = URLSessionConfiguration.ephemeral
        // URLSession's request timeout is the longest wait for the next bytes, which is the stall.
        configuration.timeoutIntervalForRequest = stallSeconds
        configuration.timeoutIntervalForResource = 7 * 24 * 3600
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpShouldSetCookies = false
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: self, delegateQueue: queue)
        defer { session.finishTasksAndInvalidate() }  // the session holds its delegate until then
        let task = session.dataTask(with: request)
        let alreadyCancelled = lock.locked { () -> Bool in
            self.task = task
            return cancelRequested
        }
        if alreadyCancelled { throw Failure.cancelled }
        task.resume()
        ended.wait()
        return try lock.locked { () throws -> Head in
            if let handlerError { throw handlerError }
            if cancelRequested { throw Failure.cancelled }
            if let completion, !stoppedAfterHead { throw Self.failure(completion) }
            guard let head else { throw Failure.network(code: URLError.Code.badServerResponse.rawValue, text: "no response") }
            return head
        }
    }

    func cancel() {
        let task = lock.locked { () -> URLSessionDataTask? in
            cancelRequested = true
            return self.task
        }
        task?.cancel()
    }

    /// True once nothing more should be taken from the network.
    private var stopping: Bool {
        lock.locked { cancelRequested || stoppedAfterHead || handlerError != nil }
    }

    private static func failure(_ error: Error) -> Failure {
        let nsError = error as NSError
        if nsError.code == URLError.Code.timedOut.rawValue { return .stalled }
        return .network(code: nsError.code, text: nsError.localizedDescription)
    }

    // MARK: URLSessionDataDelegate (on the session's serial queue)

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        guard let http = response as? HTTPURLResponse, !stopping else { return completionHandler(.cancel) }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            headers[String(describing: name).lowercased()] = String(describing: value)
        }
        let head = Head(status: http.statusCode, headers: headers)
        lock.locked { self.head = head }
        do {
            if try onHead(head) { return completionHandler(.allow) }
            lock.locked { stoppedAfterHead = true }
        } catch {
            lock.locked { handlerError = error }
        }
        completionHandler(.cancel)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        // URLSession may still hand over data it had before a cancel; it is not taken.
        guard !stopping else { return }
        do {
            try onData(data)
        } catch {
            lock.locked { handlerError = error }
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        // The redirected request asks for the same bytes under the same conditions.
        var next = newRequest
        for name in ["Range", "If-Range", "Accept-Encoding"] {
            if let value = request.value(forHTTPHeaderField: name) { next.setValue(value, forHTTPHeaderField: name) }
        }
        completionHandler(next)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.locked { completion = error }
        ended.signal()
    }
}
