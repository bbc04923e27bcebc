import Foundation

/// On macOS 15 hosts, starting a VM from an SSH session fails with a generic "failed to start"
/// unless the login keychain is unlocked. `security show-keychain-info` tells which it is, so the
/// backend can say so, and how to fix it, before trying.
public enum VZKeychainCheck {
    public enum Status: Equatable, Sendable {
        case unlocked
        case locked
        /// There is no login keychain at that path (nothing to unlock; starting may still fail).
        case missing
        /// The tool said something else; its words are kept for the log.
        case unknown(String)
    }

    public static let keychainPath = "~/Library/Keychains/login.keychain-db"
    public static let unlockCommand = "security unlock-keychain \(keychainPath)"

    /// Only macOS 15 and later need it, and only over SSH (a GUI login unlocks the keychain).
    public static func applies(macOSMajor: Int, environment: [String: String]) -> Bool {
        guard macOSMajor >= 15 else { return false }
        return ["SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"].contains { !(environment[$0] ?? "").isEmpty }
    }

    /// Reads `security show-keychain-info <keychain>`'s exit status and output (stdout and stderr).
    /// Unlocked: status 0 and `Keychain "<path>" …settings…`. Locked: "User interaction is not
    /// allowed." (errSecInteractionNotAllowed, -25308, exit status 36). Missing: "The specified
    /// keychain could not be found." (-25294).
    public static func parse(status: Int32, output: String) -> Status {
        let text = output.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = text.lowercased()
        if lower.contains("user interaction is not allowed") || lower.contains("-25308") || lower.contains("interaction not allowed") {
            return .locked
        }
        if lower.contains("could not be found") || lower.contains("-25294") || lower.contains("no such keychain") {
            return .missing
        }
        if status == 0 { return .unlocked }
        if status == 36 { return .locked }
        return .unknown(text.isEmpty ? "security exited with status \(status)" : text)
    }

    /// The error to raise before starting VM `name`, or nil when starting can go ahead.
    public static func error(for status: Status, vmName name: String) -> HelperError? {
        guard status == .locked else { return nil }
        return .unsupported("The login keychain is locked, and on macOS 15 a VM started over SSH needs it unlocked (otherwise it fails with a vague start error). Run '\(unlockCommand)', type your login password, then start VM '\(name)' again.")
    }

    /// Runs the tool (macOS). Nil when it cannot run; then the check is skipped.
    public static func run(home: String = NSHomeDirectory()) -> Status? {
        let security = "/usr/bin/security"
        guard FileManager.default.isExecutableFile(atPath: security) else { return nil }
        let path = home + "/Library/Keychains/login.keychain-db"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: security)
        process.arguments = ["show-keychain-info", path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return parse(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
