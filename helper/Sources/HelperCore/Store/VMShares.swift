import Foundation

/// A shared folder asked for in `vm/create` / `vm/configure`: the tag is made from the folder's
/// name when absent, and `readOnly` defaults to false.
public struct ShareParams: Codable, Equatable, Sendable {
    public var path: String
    public var tag: String?
    public var readOnly: Bool?

    public init(path: String, tag: String? = nil, readOnly: Bool? = nil) {
        self.path = path
        self.tag = tag
        self.readOnly = readOnly
    }
}

/// The rules a share obeys whatever the backend: its folder exists on the host, and its tag can be
/// a virtiofs/9p tag, a mount point name (/mnt/TAG in cloud-init guests), a systemd-safe word and
/// a folder name under /Volumes/My Shared Files in macOS guests.
public enum ShareRules {
    /// Under 36 bytes (VZVirtioFileSystemDeviceConfiguration.validateTag), plain characters only.
    public static let tagPattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,34}$"
    /// Taken by the Rosetta share of Linux guests on a Mac.
    public static let reservedTags: Set<String> = [VZConfigurationPlan.rosettaTag]

    public static func tagProblem(_ tag: String) -> String? {
        if tag.range(of: tagPattern, options: .regularExpression) != nil { return nil }
        return "The share tag '\(tag)' cannot be used: give 1 to 35 letters, digits, '.', '_' or '-', starting with a letter or digit."
    }

    /// The folder's name made into a tag ("My Photos" → "My-Photos"), with -2, -3 … until it is
    /// not in `taken`.
    public static func defaultTag(for path: String, taken: Set<String>) -> String {
        let name = URL(fileURLWithPath: path).lastPathComponent
        var base = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") ? $0 : "-" })
        while let first = base.first, !(first.isLetter || first.isNumber) { base.removeFirst() }
        base = String(base.prefix(30))
        if base.isEmpty { base = "share" }
        var tag = base, n = 2
        while taken.contains(tag) || reservedTags.contains(tag) {
            tag = "\(base)-\(n)"
            n += 1
        }
        return tag
    }

    /// `existing` plus the new shares, checked: each folder exists (a symlink is followed once, here,
    /// and its target is what is kept and shown), each tag is valid and used once.
    public static func add(_ asked: [ShareParams], to existing: [SharedFolder], vmName: String) throws -> [SharedFolder] {
        var result = existing
        for share in asked {
            let path = try folder(share.path)
            let taken = Set(result.map(\.tag))
            let tag = share.tag ?? defaultTag(for: path, taken: taken)
            if let problem = tagProblem(tag) { throw HelperError.invalidParams(field: "shares", message: problem) }
            if reservedTags.contains(tag) {
                throw HelperError.invalidParams(field: "shares", message: "The share tag '\(tag)' is kept for the Rosetta share; choose another tag.")
            }
            if taken.contains(tag) {
                throw HelperError.invalidParams(field: "shares", message: "VM '\(vmName)' already has a share with the tag '\(tag)'; choose another tag, or remove that share first (configure --unshare \(tag)).")
            }
            result.append(SharedFolder(tag: tag, path: path, readOnly: share.readOnly ?? false))
        }
        return result
    }

    /// The shares left once `tags` are removed; a tag the VM does not have is an error naming the ones it has.
    public static func remove(_ tags: [String], from existing: [SharedFolder], vmName: String) throws -> [SharedFolder] {
        for tag in tags where !existing.contains(where: { $0.tag == tag }) {
            let have = existing.isEmpty ? "it has none" : "its shares are " + existing.map(\.tag).joined(separator: ", ")
            throw HelperError.invalidParams(field: "removeShares", message: "VM '\(vmName)' has no share with the tag '\(tag)'; \(have).")
        }
        return existing.filter { !tags.contains($0.tag) }
    }

    /// At start: a shared folder removed since it was added is said before the hypervisor trips on it.
    public static func checkStillThere(_ shares: [SharedFolder], vmName: String) throws {
        for share in shares {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: share.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw HelperError.invalidParams(field: "shares", message: "The shared folder \(share.path) (tag '\(share.tag)') of VM '\(vmName)' is no longer there; create it again, or remove the share with 'vmtui configure \(vmName) --unshare \(share.tag)'.")
            }
        }
    }

    /// An absolute, symlink-free path to an existing folder, or an error saying what is wrong.
    static func folder(_ given: String) throws -> String {
        guard !given.isEmpty else {
            throw HelperError.invalidParams(field: "shares", message: "A shared folder's path is empty; give the folder to share, e.g. --share ~/src.")
        }
        let path = URL(fileURLWithPath: given).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw HelperError.invalidParams(field: "shares", message: "The folder to share, \(path), does not exist; create it or give another folder.")
        }
        guard isDirectory.boolValue else {
            throw HelperError.invalidParams(field: "shares", message: "\(path) is a file, not a folder; share the folder that holds it instead.")
        }
        return URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }
}

/// The guest keyboard of a macOS guest (`keyboard` in config.json).
public enum KeyboardKind: String, Codable, Sendable {
    case mac, usb
}

/// Per-VM hypervisor features kept in config.json through `extra`, so older bundles stay valid:
/// `rosetta` and `nestedVirtualization` (the keys VZGuestOptions reads) and `keyboard`.
extension VMConfig {
    public var rosetta: Bool {
        get { flag(VZGuestOptions.rosettaKey) }
        set { extra[VZGuestOptions.rosettaKey] = newValue ? JSONValue.bool(true) : nil }
    }

    public var nestedVirtualization: Bool {
        get { flag(VZGuestOptions.nestedVirtualizationKey) }
        set { extra[VZGuestOptions.nestedVirtualizationKey] = newValue ? JSONValue.bool(true) : nil }
    }

    /// nil: the default for the host (a Mac keyboard on macOS 14 and later).
    public var keyboard: KeyboardKind? {
        get { if case .string(let s)? = extra["keyboard"] { return KeyboardKind(rawValue: s) } else { return nil } }
        set { extra["keyboard"] = newValue.map { JSONValue.string($0.rawValue) } }
    }

    private func flag(_ key: String) -> Bool {
        if case .bool(let b)? = extra[key] { return b }
        return false
    }
}
