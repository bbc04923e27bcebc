import Foundation

/// config.json's `provision`: what the VM's cloud-init seed carries. Absent = no seed.
public struct ProvisionConfig: Codable, Equatable, Sendable {
    public var user: String
    /// The public keys themselves, read at create (the files may move or change later).
    public var sshAuthorizedKeys: [String]
    /// Where they were read from, for the user's information.
    public var sshKeyFiles: [String]
    /// The user's own user-data, read at create and stored.
    public var userData: String?
    /// A new one makes cloud-init run its per-instance steps again (host keys, machine-id): a clone gets one.
    public var instanceId: String

    public init(user: String, sshAuthorizedKeys: [String], sshKeyFiles: [String], userData: String?, instanceId: String) {
        self.user = user
        self.sshAuthorizedKeys = sshAuthorizedKeys
        self.sshKeyFiles = sshKeyFiles
        self.userData = userData
        self.instanceId = instanceId
    }

    public static func newInstanceId() -> String { "vmtui-" + UUID().uuidString.lowercased() }
}

extension VMConfig {
    /// Kept in `extra` so this addition stays out of VMConfig's own keys.
    public var provision: ProvisionConfig? {
        get { extra["provision"].flatMap { try? $0.decode(as: ProvisionConfig.self) } }
        set { extra["provision"] = newValue.flatMap { try? JSONValue(encoding: $0) } }
    }
}

extension VMBundle {
    public static let seedFile = "seed.img"
    public var seed: URL { url.appendingPathComponent(Self.seedFile) }

    /// Writes seed.img from the config (or removes it when the VM has no provisioning), so the
    /// seed always says what config.json says. Called at create and before every start.
    public func writeSeed(_ config: VMConfig) throws {
        guard let provision = config.provision else {
            try SafeFile.remove(seed, .file)
            return
        }
        let boot = GuestMounts.bootCommands(shares: config.shares, rosetta: config.rosetta)
        try FileOps.atomicWrite(try NoCloudSeed.image(vmName: name, provision: provision, bootCommands: boot), to: seed)
    }
}

/// `vm/create`'s provisioning params made into a ProvisionConfig: the user (default: the host
/// user's name), the public keys (default: ~/.ssh/*.pub), the user's user-data file.
public enum Provisioning {
    /// nil when the VM gets no seed: `provision: false`, or neither an image nor `provision: true`.
    public static func make(_ p: VMCreateParams, home: String = NSHomeDirectory(),
                            hostUser: String = NSUserName()) throws -> ProvisionConfig? {
        let wanted = p.provision ?? (p.image != nil || p.user != nil || p.sshKeyFiles != nil || p.userData != nil)
        guard wanted else { return nil }
        if p.provision == false { return nil }
        guard (p.os ?? .linux) == .linux else {
            throw HelperError.invalidParams(field: "provision", message: "Provisioning (a cloud-init seed with a user and SSH keys) is for Linux guests; drop the user, key and user-data options for a macOS VM.")
        }
        let user = try userName(p.user, hostUser: hostUser)
        let files = try p.sshKeyFiles.map { try $0.map(absolute) } ?? defaultKeyFiles(home: home)
        var keys: [String] = []
        for file in files { keys += try publicKeys(in: file) }
        let userData = try p.userData.map { path -> String in
            let file = try absolute(path)
            guard let data = FileManager.default.contents(atPath: file) else { throw HelperError.missingFile(what: "user-data file", path: file) }
            guard let text = String(data: data, encoding: .utf8) else {
                throw HelperError.invalidParams(field: "userData", message: "The user-data file \(file) is not UTF-8 text.")
            }
            _ = try NoCloudSeed.contentType(ofUserData: text)
            return text
        }
        return ProvisionConfig(user: user, sshAuthorizedKeys: keys, sshKeyFiles: files, userData: userData,
                               instanceId: ProvisionConfig.newInstanceId())
    }

    /// The name given, else the host user's; root (or a name Linux would refuse) becomes "vmtui".
    static func userName(_ given: String?, hostUser: String) throws -> String {
        let valid = { (s: String) in s.range(of: "^[a-z_][a-z0-9_-]{0,31}$", options: .regularExpression) != nil }
        if let given {
            guard valid(given), given != "root" else {
                throw HelperError.invalidParams(field: "user", message: "'\(given)' cannot be the guest's user: use 1 to 32 lower-case letters, digits, '_' or '-', starting with a letter or '_', and not root.")
            }
            return given
        }
        return valid(hostUser) && hostUser != "root" ? hostUser : "vmtui"
    }

    static func absolute(_ path: String) throws -> String {
        guard !path.isEmpty else { throw HelperError.invalidParams(field: "sshKeyFiles", message: "A file name is empty.") }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// ~/.ssh/*.pub, sorted; none is fine (the VM then has a user nobody can log in as by SSH).
    static func defaultKeyFiles(home: String) -> [String] {
        let dir = URL(fileURLWithPath: home).appendingPathComponent(".ssh")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".pub") }.sorted().map { dir.appendingPathComponent($0).path }
            .filter { FileOps.isRegularFile($0) }
    }

    /// The key lines of an OpenSSH public key file (authorized_keys format); a private key is refused.
    static func publicKeys(in file: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: file) else { throw HelperError.missingFile(what: "SSH public key", path: file) }
        let text = String(decoding: data, as: UTF8.self)
        if text.contains("PRIVATE KEY") {
            throw HelperError.invalidParams(field: "sshKeyFiles", message: "\(file) is a private key, which must never leave this machine; give its public half (\(file).pub).")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        let keyStart = ["ssh-", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-"]
        guard !lines.isEmpty, lines.allSatisfy({ line in keyStart.contains { line.hasPrefix($0) } }) else {
            throw HelperError.invalidParams(field: "sshKeyFiles", message: "\(file) is not an OpenSSH public key file (lines like 'ssh-ed25519 AAAA… comment'); make one with 'ssh-keygen -t ed25519'.")
        }
        return lines
    }
}
