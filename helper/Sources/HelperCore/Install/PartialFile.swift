import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `.partial` file a download appends to, held with an exclusive flock for as long as it is
/// open (a second download of the same file, or a delete, is refused meanwhile; the kernel drops
/// the lock when the process dies). Writes go out in `writeChunk` blocks, so a killed helper loses
/// at most one block, and the file on disk always holds a prefix of what was received.
final class PartialFile {
    static let writeChunk = 256 << 10

    let url: URL
    private var fd: Int32
    /// Bytes in the file (all written).
    private(set) var writtenBytes: UInt64
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: PartialFile.writeChunk, alignment: 16)
    private var buffered = 0

    /// Bytes received so far: in the file and in the buffer.
    var receivedBytes: UInt64 { writtenBytes + UInt64(buffered) }

    /// Opens (creating) and locks `url`; `busy` when another download holds it.
    init(url: URL, busy: () -> Error) throws {
        self.url = url
        while true {
            let fd: Int32
            do { fd = try SafeFile.openForWriting(url, flags: O_RDWR) } catch {
                buffer.deallocate()
                throw error
            }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                close(fd)
                buffer.deallocate()
                throw busy()
            }
            // The holder before us may have renamed the file into place (it finished): then the
            // path is a new file (or none), and we must lock that one instead.
            var opened = stat()
            var atPath = stat()
            if fstat(fd, &opened) == 0, stat(url.path, &atPath) == 0, opened.st_ino == atPath.st_ino, opened.st_dev == atPath.st_dev {
                self.fd = fd
                writtenBytes = UInt64(opened.st_size)
                return
            }
            close(fd)
        }
    }

    deinit {
        release()
        buffer.deallocate()
    }

    /// Closes the file now, which releases its lock, whatever still holds this object a moment longer
    /// (a finished fetch's callbacks): the same download may start again at once. Later writes fail.
    func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    /// Appends received bytes; writes whole chunks as they fill. Throws on a write error, with what
    /// was written before it kept.
    func append(_ data: Data) throws {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let n = min(raw.count - offset, buffer.count - buffered)
                UnsafeMutableRawBufferPointer(rebasing: buffer[buffered..<(buffered + n)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + n)]))
                buffered += n
                offset += n
                if buffered == buffer.count { try flush() }
            }
        }
    }

    /// Writes what is buffered. After a failure the file still ends at a byte that was received.
    func flush() throws {
        var done = 0
        defer {
            // Keep whatever did not make it, so a caller may try again.
            if done > 0, done < buffered {
                memmove(buffer.baseAddress!, buffer.baseAddress! + done, buffered - done)
            }
            buffered -= done
        }
        while done < buffered {
            let n = pwrite(fd, buffer.baseAddress! + done, buffered - done, off_t(writtenBytes))
            if n < 0 {
                if errno == EINTR { continue }
                throw HelperError.fromErrno(errno, path: url.path, action: "write")
            }
            done += n
            writtenBytes += UInt64(n)
        }
    }

    /// Empties the file (a restart from byte 0).
    func truncate() throws {
        buffered = 0
        guard ftruncate(fd, 0) == 0 else { throw HelperError.fromErrno(errno, path: url.path, action: "empty") }
        writtenBytes = 0
    }

    /// Flushes and fsyncs, so the data is on disk before the file is renamed into place.
    func sync() throws {
        try flush()
        guard fsync(fd) == 0 else { throw HelperError.fromErrno(errno, path: url.path, action: "write") }
    }
}
