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
        fd = try SafeFile.openForWriting(url)
        size = Int(FileOps.logicalSize(url))
    }

    deinit { if fd >= 0 { Posix.close(fd) } }

    public func append(_ bytes: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        guard fd >= 0 else { return }
        if Posix.writeAll(fd, Data(bytes)) == 0 { size += bytes.count }
        if size > capBytes { trimLocked() }
    }

    /// The last `maxBytes` of the log (what a late console attach is shown first).
    public func tail(maxBytes: Int = 16 << 10) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return Self.readTail(url, maxBytes: maxBytes)
    }

    /// Reads only a regular file reached without a link: a swapped-in link must not show another file.
    public static func readTail(_ url: URL, maxBytes: Int) -> [UInt8] {
        let fd = open(url.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { close(fd); return [] }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        let end = (try? handle.seekToEnd()) ?? 0
        let start = end > UInt64(maxBytes) ? end - UInt64(maxBytes) : 0
        try? handle.seek(toOffset: start)
        return Array((try? handle.readToEnd()) ?? Data())
    }

    private func trimLocked() {
        let keep = Self.readTail(url, maxBytes: capBytes / 2)
        guard (try? FileOps.atomicWrite(Data(keep), to: url)) != nil else { return }
        // A link swapped in meanwhile leaves the log closed: nothing more is written anywhere.
        guard let reopened = try? SafeFile.openForWriting(url) else {
            Log.error("console.log of \(url.deletingLastPathComponent().path) is no longer a regular file; the guest console is not logged any more.")
            Posix.close(fd)
            fd = -1
            return
        }
        Posix.close(fd)
        fd = reopened
        size = keep.count
    }
}
