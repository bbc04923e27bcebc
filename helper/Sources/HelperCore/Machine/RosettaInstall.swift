import Foundation
#if (os(macOS) && arch(arm64)) || DARWIN_CHECK
#if canImport(Virtualization)
@preconcurrency import Virtualization
#else
@preconcurrency import VirtualizationShim
#endif
#endif

/// `rosetta/install`: Apple's installer where there is one; a sentence saying why not elsewhere.
public enum RosettaInstall {
    public static let command = "softwareupdate --install-rosetta --agree-to-license"

    public static func run() async throws -> RosettaInstallResult {
        #if (os(macOS) && arch(arm64)) || DARWIN_CHECK
        switch VZHostProbe.rosetta() {
        case .installed:
            return RosettaInstallResult(rosetta: .installed, message: "Rosetta is already installed; Linux guests made with --rosetta can run x86-64 programs.")
        case .notSupported:
            throw HelperError.unsupported("This Mac cannot share Rosetta with Linux guests (it needs Apple silicon and macOS 13 or later).")
        case .notInstalled:
            break
        }
        do {
            try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, Error>) in
                VZLinuxRosettaDirectoryShare.installRosetta { error in
                    if let error { done.resume(throwing: error) } else { done.resume() }
                }
            }
        } catch {
            throw HelperError.backend("Rosetta could not be installed (\(error.localizedDescription)); install it yourself with '\(command)'.")
        }
        return RosettaInstallResult(rosetta: VZHostProbe.rosetta(), message: "Rosetta is installed; Linux guests made with --rosetta can run x86-64 programs.")
        #else
        throw HelperError.unsupported("Rosetta is not available here: it is only on Apple silicon Macs, for Linux guests of Virtualization.framework. On this host x86-64 guests run in QEMU.")
        #endif
    }
}
