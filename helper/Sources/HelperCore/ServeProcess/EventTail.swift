import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Follows one bundle's events.jsonl: the state changes its hosts append, read as they come, so
/// a VM started, paused or stopped by any process is told to this session's client.
struct EventTail: Sendable {
    /// Bytes of the file already read (always at a line's end).
    private(set) var offset: Int64
    private var file: FileStamp?

    /// Starts at the file's end: what happened before this session is history, not news.
    init(endOf stamp: FileStamp?) {
        offset = stamp?.size ?? 0
        file = stamp
    }

    /// Starts at the beginning, for a bundle that appeared after the session began.
    init(fromStartOf stamp: FileStamp?) {
        offset = 0
        file = stamp
    }

    /// The most a read looks back; a log rewritten from scratch is read from this far before its end.
    static let maxRead: Int64 = 64 << 10

    /// Events appended since the last call. A file replaced or cut short is read again from its start.
    mutating func read(_ url: URL, stamp: FileStamp?) -> [VMEvent] {
        defer { file = stamp }
        guard let stamp else { offset = 0; return [] }
        if let file, !file.sameFile(as: stamp) { offset = 0 }
        if stamp.size < offset { offset = 0 }
        guard stamp.size > offset else { return [] }
        var start = offset
        var skipFirstLine = false
        if stamp.size - start > Self.maxRead {
            start = stamp.size - Self.maxRead
            skipFirstLine = true
        }
        guard let bytes = Self.bytes(url, from: start, count: Int(stamp.size - start)) else { return [] }
        // Only whole lines: a line still being written is read next time.
        guard let lastNewline = bytes.lastIndex(of: 0x0A) else {
            return []
        }
        offset = start + Int64(lastNewline + 1)
        var lines = bytes[..<lastNewline].split(separator: 0x0A, omittingEmptySubsequences: true)
        if skipFirstLine, !lines.isEmpty { lines.removeFirst() }
        return lines.compactMap { try? JSONCoding.decode(VMEvent.self, from: Data($0)) }
    }

    private static func bytes(_ url: URL, from offset: Int64, count: Int) -> [UInt8]? {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { Posix.close(fd) }
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            done += n
        }
        return Array(buffer[0..<done])
    }
}
