import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The guest console's bytes in console.log, size-capped: past `capBytes` the oldest half is dropped.
public final class ConsoleLog: @unchecked Sendable {
    public let url: URL
    public let capBytes: Int
    private let lock = NSLock()
    private var fd: Int32
    private var size: Int

    public init(url: URL, capBytes: Int = 2 << 20) throws {
        self.url = url
        self.capBytes = capBytes
        fd = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw HelperError.fromErrno(errno, path: url.path, action: "open") }
        size = Int(FileOps.logicalSize(url))
    }

    deinit { Posix.close(fd) }

    public func append(_ bytes: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        if Posix.writeAll(fd, Data(bytes)) == 0 { size += bytes.count }
        if size > capBytes { trimLocked() }
    }

    /// The last `maxBytes` of the log (what a late console attach is shown first).
    public func tail(maxBytes: Int = 16 << 10) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return Self.readTail(url, maxBytes: maxBytes)
    }

    public static func readTail(_ url: URL, maxBytes: Int) -> [UInt8] {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return [] }
        defer { try? handle.close() }
        let end = (try? handle.seekToEnd()) ?? 0
        let start = end > UInt64(maxBytes) ? end - UInt64(maxBytes) : 0
        try? handle.seek(toOffset: start)
        return Array((try? handle.readToEnd()) ?? Data())
    }

    private func trimLocked() {
        let keep = Self.readTail(url, maxBytes: capBytes / 2)
        if (try? FileOps.atomicWrite(Data(keep), to: url)) != nil {
            Posix.close(fd)
            fd = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            size = keep.count
        }
    }
}
