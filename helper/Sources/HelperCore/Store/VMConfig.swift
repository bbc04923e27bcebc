import Foundation

public enum GuestOS: String, Codable, Sendable {
    case linux, macos
}

/// How the guest boots. Paths are absolute and checked when the VM is created and started.
public enum BootConfig: Equatable, Sendable {
    case kernel(kernel: String, initrd: String?, cmdline: String)
    case efi(iso: String?)
    case macOS
}

public struct SharedFolder: Codable, Equatable, Sendable {
    public var tag: String
    public var path: String
    public var readOnly: Bool
}

/// config.json of a bundle. Decoding tolerates old files (optional keys default) and keeps keys
/// it does not know, so a newer vmtui's additions survive a rewrite by this one.
public struct VMConfig: Equatable, Sendable {
    public static let currentSchema = 1

    public var schemaVersion: Int = VMConfig.currentSchema
    public var os: GuestOS
    public var arch: String
    public var cpuCount: Int
    public var memoryBytes: UInt64
    public var diskBytes: UInt64
    public var macAddress: String
    public var machineIdentifier: String?
    public var hardwareModel: String?
    /// macOS guests: the restore image `vm/install` installs from (absolute path).
    public var ipsw: String?
    public var boot: BootConfig
    public var shares: [SharedFolder] = []
    public var createdAt: String
    public var extra: [String: JSONValue] = [:]

    public init(os: GuestOS, arch: String, cpuCount: Int, memoryBytes: UInt64, diskBytes: UInt64,
                macAddress: String, boot: BootConfig, createdAt: String) {
        self.os = os
        self.arch = arch
        self.cpuCount = cpuCount
        self.memoryBytes = memoryBytes
        self.diskBytes = diskBytes
        self.macAddress = macAddress
        self.boot = boot
        self.createdAt = createdAt
    }
}

extension BootConfig: Codable {
    private enum Keys: String, CodingKey { case kind, kernel, initrd, cmdline, iso }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "kernel":
            self = .kernel(kernel: try c.decode(String.self, forKey: .kernel),
                           initrd: try c.decodeIfPresent(String.self, forKey: .initrd),
                           cmdline: try c.decodeIfPresent(String.self, forKey: .cmdline) ?? "console=ttyS0")
        case "efi":
            self = .efi(iso: try c.decodeIfPresent(String.self, forKey: .iso))
        case "macos":
            self = .macOS
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c,
                debugDescription: "boot kind '\(other)' is not one of kernel, efi, macos")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case let .kernel(kernel, initrd, cmdline):
            try c.encode("kernel", forKey: .kind)
            try c.encode(kernel, forKey: .kernel)
            try c.encodeIfPresent(initrd, forKey: .initrd)
            try c.encode(cmdline, forKey: .cmdline)
        case let .efi(iso):
            try c.encode("efi", forKey: .kind)
            try c.encodeIfPresent(iso, forKey: .iso)
        case .macOS:
            try c.encode("macos", forKey: .kind)
        }
    }
}

extension VMConfig: Codable {
    private enum Keys: String, CodingKey, CaseIterable {
        case schemaVersion, os, arch, cpuCount, memoryBytes, diskBytes, macAddress
        case machineIdentifier, hardwareModel, ipsw, boot, shares, createdAt
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        schemaVersion = try c.decodeIfPresent(Int.self, forKey: .schemaVersion) ?? 1
        os = try c.decode(GuestOS.self, forKey: .os)
        arch = try c.decodeIfPresent(String.self, forKey: .arch) ?? Arch.current.rawValue
        cpuCount = try c.decode(Int.self, forKey: .cpuCount)
        memoryBytes = try c.decode(UInt64.self, forKey: .memoryBytes)
        diskBytes = try c.decode(UInt64.self, forKey: .diskBytes)
        macAddress = try c.decode(String.self, forKey: .macAddress)
        machineIdentifier = try c.decodeIfPresent(String.self, forKey: .machineIdentifier)
        hardwareModel = try c.decodeIfPresent(String.self, forKey: .hardwareModel)
        ipsw = try c.decodeIfPresent(String.self, forKey: .ipsw)
        boot = try c.decode(BootConfig.self, forKey: .boot)
        shares = try c.decodeIfPresent([SharedFolder].self, forKey: .shares) ?? []
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        let known = Set(Keys.allCases.map(\.stringValue))
        let all = try decoder.container(keyedBy: AnyKey.self)
        for key in all.allKeys where !known.contains(key.stringValue) {
            extra[key.stringValue] = try all.decode(JSONValue.self, forKey: key)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(os, forKey: .os)
        try c.encode(arch, forKey: .arch)
        try c.encode(cpuCount, forKey: .cpuCount)
        try c.encode(memoryBytes, forKey: .memoryBytes)
        try c.encode(diskBytes, forKey: .diskBytes)
        try c.encode(macAddress, forKey: .macAddress)
        try c.encodeIfPresent(machineIdentifier, forKey: .machineIdentifier)
        try c.encodeIfPresent(hardwareModel, forKey: .hardwareModel)
        try c.encodeIfPresent(ipsw, forKey: .ipsw)
        try c.encode(boot, forKey: .boot)
        try c.encode(shares, forKey: .shares)
        try c.encode(createdAt, forKey: .createdAt)
        var rest = encoder.container(keyedBy: AnyKey.self)
        for (key, value) in extra { try rest.encode(value, forKey: AnyKey(stringValue: key)) }
    }

    /// Decodes a bundle's config.json; any failure becomes `corruptConfig` naming the file and the key.
    public static func load(from url: URL) throws -> VMConfig { try load(path: url.path) }

    /// The same, for a path kept as a string (vm/list, serve's first look: no URL per VM).
    public static func load(path: String) throws -> VMConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HelperError.corruptConfig(path: path, reason: "the file cannot be read")
        }
        let config: VMConfig
        if let quick = quickDecode(data) {
            config = quick
        } else {
            do { config = try JSONCoding.decode(VMConfig.self, from: data) } catch let error as DecodingError {
                throw HelperError.corruptConfig(path: path, reason: describe(error))
            } catch {
                throw HelperError.corruptConfig(path: path, reason: "it is not valid JSON")
            }
        }
        if config.schemaVersion > currentSchema {
            throw HelperError.corruptConfig(path: path,
                reason: "it was written by a newer vmtui (schema \(config.schemaVersion)); update vmtui")
        }
        return config
    }

    /// The config read by the helper's own JSON reader, several times faster than JSONDecoder on
    /// Linux (serve reads every VM's config as it starts); nil for anything it does not read
    /// exactly, which JSONDecoder then reads and words the error of.
    static func quickDecode(_ data: Data) -> VMConfig? {
        var reader = JSONTextReader(bytes: Array(data))
        guard let value = try? reader.value(), exact(value) else { return nil }
        return try? value.decode(as: VMConfig.self)
    }

    /// No number past 2^53, which a Double (the reader's numbers) would round.
    private static func exact(_ value: JSONValue) -> Bool {
        switch value {
        case .number(let n): return abs(n) < 9_007_199_254_740_992
        case .array(let items): return items.allSatisfy(exact)
        case .object(let members): return members.values.allSatisfy(exact)
        case .written(let kept): return exact(kept.value)
        case .null, .bool, .string: return true
        }
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String { keys.map(\.stringValue).joined(separator: ".") }
        switch error {
        case .keyNotFound(let key, let ctx):
            return "the key '\(path(ctx.codingPath + [key]))' is missing"
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx):
            return "the key '\(path(ctx.codingPath))' has the wrong type"
        case .dataCorrupted(let ctx):
            return ctx.codingPath.isEmpty ? "it is not valid JSON" : "the key '\(path(ctx.codingPath))' is invalid: \(ctx.debugDescription)"
        @unknown default:
            return "it cannot be decoded"
        }
    }
}
