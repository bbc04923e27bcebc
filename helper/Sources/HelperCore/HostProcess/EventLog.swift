import Foundation

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
        guard var line = try? JSONCoding.encode(event) else { return }
        line.append(0x0A)
        if let handle = try? FileHandle(forUpdating: url) {
            defer { try? handle.close() }
            // After a torn write (a crash mid-line) start a fresh line, so this event stays readable.
            if let end = try? handle.seekToEnd(), end > 0 {
                try? handle.seek(toOffset: end - 1)
                if (try? handle.read(upToCount: 1)) != Data([0x0A]) { line.insert(0x0A, at: 0) }
                _ = try? handle.seekToEnd()
            }
            try? handle.write(contentsOf: line)
        } else {
            try? line.write(to: url)
        }
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
