#if !os(macOS) || arch(arm64)
import Foundation
#if canImport(Virtualization)
@preconcurrency import Virtualization
#else
@preconcurrency import VirtualizationShim
#endif

/// Whether this process carries the com.apple.security.virtualization entitlement. Without it every
/// Virtualization.framework call fails with a generic error, so the helper asks once, up front:
/// validating an empty configuration fails either way, but only an unsigned process is told that
/// the entitlement is missing (VZErrorDomain code 2, the reason naming the entitlement).
public enum VZEntitlement {
    public static let name = "com.apple.security.virtualization"

    public static let missingSentence = "This vmtui-helper is not signed with the \(name) entitlement, so macOS will not let it run virtual machines. Sign it: bash scripts/sign-helper.sh helper/.build/release/vmtui-helper (scripts/vmtui.sh does this when it builds)."

    /// nil when entitled; the sentence to show when not. Asked once per process.
    public static let problem: String? = {
        do {
            try VZVirtualMachineConfiguration().validate()
            return nil
        } catch {
            return isMissingEntitlement(error) ? missingSentence : nil
        }
    }()

    /// The framework's error text names the entitlement only when it is missing.
    public static func isMissingEntitlement(_ error: Error) -> Bool {
        let ns = error as NSError
        let texts = [ns.localizedDescription, ns.localizedFailureReason ?? ""] + ns.userInfo.values.compactMap { $0 as? String }
        return texts.contains { $0.contains(name) }
    }
}
#endif
