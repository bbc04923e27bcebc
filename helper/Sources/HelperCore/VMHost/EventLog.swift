import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line of events.jsonl: a state change with its time and, where known, the step or reason.
public struct VMEvent: Codable, Equatable, Sendable {
    public var time: String
    public var state: VMState
    public var step: String?
    public var reason: String?

    public init(state: VMState, step: String? = nil, reason: String? = nil, time: Date = Date()) {
        self.time = Self.format(time)
        self.state = state
        self.step = step
        self.reason = reason
    }

    static func format(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}

/// Appends state changes to a bundle's events.jsonl and reads back the latest ones.
public struct EventLog: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    /// Records a state change and returns the event written.
    @discardableResult
    public func append(state: VMState, step: String? = nil, reason: String? = nil) -> VMEvent {
        let event = VMEvent(state: state, step: step, reason: reason)
        append(event)
        return event
    }

    public func append(_ event: VMEvent) {
        do { try appendChecked(event) } catch {
            Log.error("could not record the state '\(event.state.rawValue)': \((error as? HelperError)?.message ?? "\(error)")")
        }
    }

    /// Appends one line through SafeFile: a link or FIFO in place of events.jsonl is refused.
    public func appendChecked(_ event: VMEvent) throws {
        var line = try JSONCoding.encode(event)
        line.append(0x0A)
        let fd = try SafeFile.openForWriting(url, flags: O_RDWR | O_APPEND)
        defer { Posix.close(fd) }
        // After a torn write (a crash mid-line) start a fresh line, so this event stays readable.
        let end = lseek(fd, 0, SEEK_END)
        if end > 0 {
            var last: UInt8 = 0
            if pread(fd, &last, 1, end - 1) == 1, last != 0x0A { line.insert(0x0A, at: 0) }
        }
        let err = Posix.writeAll(fd, line)
        if err != 0 { throw HelperError.fromErrno(err, path: url.path, action: "write") }
    }

    /// Throws unless events.jsonl can be appended to (a host checks this before it starts).
    public func checkWritable() throws {
        Posix.close(try SafeFile.openForWriting(url))
    }

    /// The newest events, oldest first. Lines that do not parse (a torn last write) are skipped.
    public func recent(_ count: Int = 20) -> [VMEvent] {
        let bytes = ConsoleLog.readTail(url, maxBytes: 64 << 10)
        let lines = bytes.split(separator: 0x0A)
        let events = lines.compactMap { try? JSONCoding.decode(VMEvent.self, from: Data($0)) }
        return Array(events.suffix(count))
    }

    public var last: VMEvent? { recent(1).last }
}
