import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a saved state was saved with: the facts of the machine and the hypervisor it depends on
/// (config.json's machine fields, the QEMU version and command line, the macOS version).
public struct SavedStateRecord: Codable, Equatable, Sendable {
    public var savedAt: String
    public var stateBytes: UInt64
    public var machine: [String: String]

    public init(savedAt: String, stateBytes: UInt64, machine: [String: String]) {
        self.savedAt = savedAt
        self.stateBytes = stateBytes
        self.machine = machine
    }
}

/// A suspended VM's saved state in its bundle: `state.save` (the hypervisor's own file, written as
/// `.state.save.partial` and renamed only when complete) beside `state.json` (its record). A state
/// that does not fit the machine any more is set aside as `state.discarded-<time>` (with
/// `<that>.json` saying why), never deleted, and the disk boots as after a power cut.
public enum SavedState {
    public static let stateFile = "state.save"
    public static let recordFile = "state.json"
    static let partialFile = ".state.save.partial"
    static let discardedPrefix = "state.discarded-"

    public static func stateURL(_ b: VMBundle) -> URL { b.url.appendingPathComponent(stateFile) }
    static func recordURL(_ b: VMBundle) -> URL { b.url.appendingPathComponent(recordFile) }
    public static func partialURL(_ b: VMBundle) -> URL { b.url.appendingPathComponent(partialFile) }

    public static func isPresent(_ b: VMBundle) -> Bool { FileOps.isRegularFile(stateURL(b).path) }

    public static func record(_ b: VMBundle) -> SavedStateRecord? {
        guard let data = FileManager.default.contents(atPath: recordURL(b).path) else { return nil }
        return try? JSONCoding.decode(SavedStateRecord.self, from: data)
    }

    /// The config fields that change the machine a state runs on (both backends). Ports and
    /// forwards are left out: they are the host's side of user networking.
    public static func configFacts(_ c: VMConfig) -> [String: String] {
        func json<T: Encodable>(_ value: T) -> String { String(decoding: (try? JSONCoding.encode(value)) ?? Data(), as: UTF8.self) }
        var facts = ["os": c.os.rawValue, "arch": c.arch, "cpuCount": String(c.cpuCount), "memoryBytes": String(c.memoryBytes),
                     "diskBytes": String(c.diskBytes), "macAddress": c.macAddress, "boot": json(c.boot),
                     "display": c.display.map(json) ?? "none", "shares": json(c.shares),
                     "seed": c.provision == nil ? "no" : "yes"]
        if let id = c.machineIdentifier { facts["machineIdentifier"] = id }
        if let model = c.hardwareModel { facts["hardwareModel"] = model }
        if c.rosetta { facts["rosetta"] = "on" }
        if c.nestedVirtualization { facts["nestedVirtualization"] = "on" }
        if let keyboard = c.keyboard { facts["keyboard"] = keyboard.rawValue }
        return facts
    }

    static let labels: [String: String] = [
        "os": "guest OS", "arch": "architecture", "cpuCount": "CPU count", "memoryBytes": "memory size",
        "diskBytes": "disk size", "macAddress": "MAC address", "boot": "boot settings", "display": "display",
        "shares": "shared folders", "seed": "cloud-init seed", "machineIdentifier": "machine identifier",
        "hardwareModel": "hardware model", "qemuVersion": "QEMU version", "accelerator": "accelerator",
        "firmware": "UEFI firmware", "qemuCommandLine": "QEMU command line", "macOSVersion": "macOS version",
        "detachISO": "install ISO", "kernel": "kernel", "initrd": "initrd", "cmdline": "kernel command line",
        "rosetta": "Rosetta", "nestedVirtualization": "nested virtualization", "keyboard": "keyboard",
    ]

    /// What differs between the machine a state was saved on and this one, as short phrases
    /// ("memory size 268435456 → 536870912"), in a stable order; empty when the state fits.
    public static func differences(saved: [String: String], now: [String: String]) -> [String] {
        let changed = Set(saved.keys).union(now.keys).filter { saved[$0] != now[$0] }
        // The command line follows from the other facts: it is named only when nothing else explains it.
        let shown = changed.count > 1 ? changed.subtracting(["qemuCommandLine"]) : changed
        return shown.sorted().compactMap { key in
            let (was, isNow) = (saved[key], now[key])
            let label = labels[key] ?? key
            // Long values (boot settings, the command line) are named, not quoted.
            guard let was, let isNow, was.count <= 40, isNow.count <= 40 else { return "the \(label)" }
            return "the \(label) (\(was) → \(isNow))"
        }
    }

    public enum Verdict: Equatable, Sendable {
        case resume
        /// A sentence saying why the state cannot be used here.
        case setAside(String)
    }

    /// Whether the bundle's state may be resumed on a machine with `facts`.
    public static func check(_ b: VMBundle, facts: [String: String]) -> Verdict {
        guard let record = record(b) else {
            return .setAside("it has no readable record of the machine it was saved on (\(recordFile))")
        }
        let size = FileOps.logicalSize(stateURL(b))
        guard size == record.stateBytes else {
            return .setAside("the state file holds \(size) bytes, not the \(record.stateBytes) that were saved")
        }
        let changed = differences(saved: record.machine, now: facts)
        guard changed.isEmpty else {
            return .setAside("it was saved under another configuration: \(changed.joined(separator: ", ")) changed since")
        }
        return .resume
    }

    /// Moves the state (and its record, with the reason added) aside and returns the sentence for
    /// the user: what happened, where the file is, and that the disk boots.
    public static func setAside(_ b: VMBundle, because why: String, now: Date = Date()) throws -> String {
        let stamp = discardStamp(now)
        let aside = b.url.appendingPathComponent(discardedPrefix + stamp)
        let saved = record(b)
        try SafeFile.replace(aside, with: stateURL(b))
        let note = DiscardedState(record: saved, reason: why, setAsideAt: VMEvent.format(now))
        try? FileOps.atomicWrite(try JSONCoding.encode(note), to: b.url.appendingPathComponent(discardedPrefix + stamp + ".json"))
        try? SafeFile.remove(recordURL(b), .file)
        let when = saved.map { " (saved \($0.savedAt))" } ?? ""
        return "The saved state of VM '\(b.name)'\(when) was not resumed because \(why); it was set aside as \(aside.path) and the VM booted from its disk instead, as after a power cut. Delete that file to free its space."
    }

    /// After a successful resume the state is spent: the guest has moved on from it.
    public static func removeAfterResume(_ b: VMBundle) {
        try? SafeFile.remove(stateURL(b), .file)
        try? SafeFile.remove(recordURL(b), .file)
    }

    /// A killed save leaves only its partial file, never taken for a state: removed at the next start.
    public static func removeLeftovers(_ b: VMBundle) {
        try? SafeFile.remove(partialURL(b), .file)
        if !isPresent(b) { try? SafeFile.remove(recordURL(b), .file) }
    }

    /// Makes a finished partial file the VM's state: its record first (a record without a state is
    /// ignored; a state whose size its record does not give is set aside), then the rename.
    public static func commit(_ b: VMBundle, facts: [String: String], savedAt: Date = Date()) throws {
        let record = SavedStateRecord(savedAt: VMEvent.format(savedAt), stateBytes: FileOps.logicalSize(partialURL(b)), machine: facts)
        try FileOps.atomicWrite(try JSONCoding.encode(record), to: recordURL(b))
        try SafeFile.replace(stateURL(b), with: partialURL(b))
    }

    /// The sentence for a suspended VM's state reason.
    public static func suspendedReason(_ b: VMBundle) -> String {
        let record = record(b)
        let size = ByteText.of(FileOps.logicalSize(stateURL(b)))
        let when = record.map { " at \($0.savedAt)" } ?? ""
        return "Suspended\(when): its memory is saved in \(stateFile) (\(size)); 'vmtui start \(b.name)' resumes it."
    }

    /// The newest set-aside state's sentence (the details show it until the file is deleted).
    public static func discardedNote(_ b: VMBundle) -> String? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: b.url.path)) ?? []
        guard let newest = entries.filter({ $0.hasPrefix(discardedPrefix) && $0.hasSuffix(".json") }).sorted().last,
              let data = FileManager.default.contents(atPath: b.url.appendingPathComponent(newest).path),
              let note = try? JSONCoding.decode(DiscardedState.self, from: data) else { return nil }
        let file = b.url.appendingPathComponent(String(newest.dropLast(5)))
        guard FileOps.isRegularFile(file.path) else { return nil }
        return "A saved state was set aside at \(note.setAsideAt) because \(note.reason); it is kept as \(file.path) (delete it to free its space)."
    }

    static func discardStamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        return f.string(from: date)
    }
}

struct DiscardedState: Codable {
    var record: SavedStateRecord?
    var reason: String
    var setAsideAt: String
}
