import Foundation

/// A stream that can no longer be split into frames; the connection logs it and closes.
public enum FramingError: Error, Equatable, Sendable, LocalizedError {
    case headerTooLarge(limit: Int)
    case headerLineWithoutColon(String)
    case missingContentLength
    case invalidContentLength(String)
    case bodyTooLarge(length: Int, limit: Int)
    case bareLineFeed

    public var errorDescription: String? {
        switch self {
        case .headerTooLarge(let limit):
            return "A frame header grew past \(limit) bytes without ending; the stream is not Content-Length framed JSON-RPC."
        case .headerLineWithoutColon(let line):
            return "A frame header line has no ':' (\(Self.shown(line))); the stream is not Content-Length framed JSON-RPC."
        case .missingContentLength:
            return "A frame header has no Content-Length; every message needs one."
        case .invalidContentLength(let value):
            return "A frame's Content-Length '\(Self.shown(value))' is not a whole number of bytes."
        case .bareLineFeed:
            return "A frame header line ends in a bare LF; header lines must end in CRLF (\\r\\n), as in 'Content-Length: N\\r\\n\\r\\n'."
        case .bodyTooLarge(let length, let limit):
            return "A frame announces \(length) bytes, more than the \(limit)-byte limit; send smaller messages."
        }
    }

    private static func shown(_ text: String) -> String {
        text.count > 60 ? String(text.prefix(60)) + "…" : text
    }
}

/// Splits a byte stream into message bodies framed as in LSP:
/// `Content-Length: N\r\n[Other: x\r\n]\r\n<N bytes>`. A state machine, so a frame may arrive
/// split at any byte or several frames in one chunk.
public struct MessageFramer: Sendable {
    public static let maxBodyBytes = 64 << 20
    public static let maxHeaderBytes = 8 << 10

    private enum State: Sendable {
        case header
        case body(length: Int)
    }

    private var state = State.header
    private var buffer: [UInt8] = []
    /// Where to resume looking for the blank line that ends the header block.
    private var scanFrom = 0

    public init() {}

    /// Feeds bytes as they arrive; returns the bodies completed by them, in order.
    /// After a FramingError the stream is broken and the framer must not be fed again.
    public mutating func push<Bytes: Sequence>(_ bytes: Bytes) throws -> [Data] where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        var bodies: [Data] = []
        var start = 0
        while true {
            switch state {
            case .header:
                guard let end = try headerEnd(from: start) else {
                    if buffer.count - start > Self.maxHeaderBytes {
                        throw FramingError.headerTooLarge(limit: Self.maxHeaderBytes)
                    }
                    compact(consumed: start)
                    return bodies
                }
                if end + 4 - start > Self.maxHeaderBytes {
                    throw FramingError.headerTooLarge(limit: Self.maxHeaderBytes)
                }
                let length = try Self.contentLength(of: buffer[start..<end])
                start = end + 4
                scanFrom = 0
                state = .body(length: length)
            case .body(let length):
                guard buffer.count - start >= length else {
                    compact(consumed: start)
                    buffer.reserveCapacity(length)
                    return bodies
                }
                bodies.append(Data(buffer[start..<start + length]))
                start += length
                state = .header
            }
        }
    }

    /// Wraps a body in its header for sending.
    public static func frame(_ body: Data) -> Data {
        var frame = Data("Content-Length: \(body.count)\r\n\r\n".utf8)
        frame.append(body)
        return frame
    }

    /// Index of the "\r\n\r\n" that ends the header starting at `start`, if it has arrived.
    /// A LF without its CR is refused at once, not after 8 KiB of waiting for a CRLF that never comes.
    private mutating func headerEnd(from start: Int) throws -> Int? {
        var i = start + scanFrom
        while i < buffer.count {
            if buffer[i] == 10 {
                guard i > start, buffer[i - 1] == 13 else { throw FramingError.bareLineFeed }
                if i - start >= 3, buffer[i - 2] == 10, buffer[i - 3] == 13 { return i - 3 }
            }
            i += 1
        }
        scanFrom = buffer.count - start  // every byte so far is checked
        return nil
    }

    private mutating func compact(consumed: Int) {
        if consumed > 0 { buffer.removeFirst(consumed) }
    }

    /// Reads the header lines; names are case-insensitive, order is free, only Content-Length matters.
    private static func contentLength(of header: ArraySlice<UInt8>) throws -> Int {
        let text = String(decoding: header, as: UTF8.self)
        var length: Int?
        for line in text.components(separatedBy: "\r\n") where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw FramingError.headerLineWithoutColon(line)
            }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard name.lowercased() == "content-length" else { continue }
            guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw FramingError.invalidContentLength(value)
            }
            guard let parsed = Int(value), parsed <= maxBodyBytes else {
                throw FramingError.bodyTooLarge(length: Int(value) ?? Int.max, limit: maxBodyBytes)
            }
            length = parsed
        }
        guard let length else { throw FramingError.missingContentLength }
        return length
    }
}
