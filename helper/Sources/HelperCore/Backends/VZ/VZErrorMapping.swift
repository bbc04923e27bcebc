import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the backend was doing when Virtualization.framework failed, for the sentence the user reads.
public struct VZErrorContext: Equatable, Sendable {
    public var vmName: String
    /// A verb phrase that fits "Could not <action> VM 'x'": "start", "pause", "save the state of".
    public var action: String
    /// The VM's state at the time, for invalid-state errors.
    public var state: String
    /// The file the operation was about (disk image, state file, IPSW).
    public var path: String
    /// The other macOS VMs running now, for the two-VM limit (code 6).
    public var runningMacOSVMs: [String]

    public init(vmName: String, action: String, state: String, path: String, runningMacOSVMs: [String] = []) {
        self.vmName = vmName
        self.action = action
        self.state = state
        self.path = path
        self.runningMacOSVMs = runningMacOSVMs
    }
}

/// VZError codes (VZErrorDomain) → `HelperError` with a sentence that says what to do.
public enum VZErrorMapping {
    public static let domain = "VZErrorDomain"

    public static let internalError = 1
    public static let invalidConfiguration = 2
    public static let invalidState = 3
    public static let invalidStateTransition = 4
    public static let invalidDiskImage = 5
    public static let virtualMachineLimitExceeded = 6
    public static let networkError = 7
    public static let outOfDiskSpace = 8
    public static let operationCancelled = 9
    public static let notSupported = 10
    public static let save = 11
    public static let restore = 12
    public static let restoreImageCatalogLoadFailed = 10001
    public static let invalidRestoreImageCatalog = 10002
    public static let noSupportedRestoreImagesInCatalog = 10003
    public static let restoreImageLoadFailed = 10004
    public static let invalidRestoreImage = 10005
    public static let installationRequiresUpdate = 10006
    public static let installationFailed = 10007

    /// Whether `error` is a VZError with this code.
    public static func isVZError(_ error: Error, code: Int) -> Bool {
        let ns = error as NSError
        return ns.domain == domain && ns.code == code
    }

    public static func helperError(_ error: Error, context: VZErrorContext) -> HelperError {
        if let helper = error as? HelperError { return helper }
        let ns = error as NSError
        let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError
        if ns.domain == NSPOSIXErrorDomain, ns.code == Int(ENOSPC) || ns.code == Int(EDQUOT) {
            return .diskFull(path: context.path)
        }
        guard ns.domain == domain else {
            return .backend("Could not \(context.action) VM '\(context.vmName)': \(sentence(ns)).")
        }
        return helperError(code: ns.code, message: sentence(ns),
                           underlying: underlying.map { ($0.domain, $0.code) }, context: context)
    }

    public static func helperError(code: Int, message: String, underlying: (domain: String, code: Int)? = nil,
                                   context c: VZErrorContext) -> HelperError {
        let vm = "VM '\(c.vmName)'"
        switch code {
        case internalError:
            return .backend("Virtualization.framework failed while trying to \(c.action) \(vm) (\(message)); try again, and restart the Mac if it keeps happening.")
        case invalidConfiguration:
            if let underlying, underlying.domain == NSPOSIXErrorDomain,
               [Int(EAGAIN), Int(EWOULDBLOCK), Int(EBUSY)].contains(underlying.code) {
                return .backend("Another process has the files of \(vm) open (\(message)); stop whatever else runs it, then try again.")
            }
            return .backend("Virtualization.framework refused the configuration of \(vm) (\(message)); change its settings with 'vmtui configure' and try again.")
        case invalidState, invalidStateTransition:
            return .invalidState(name: c.vmName, state: c.state, action: c.action)
        case invalidDiskImage:
            return .backend("The disk image of \(vm) cannot be used (\(message)); it must be a raw image whose size is a multiple of 512 bytes. Check \(c.path).")
        case virtualMachineLimitExceeded:
            let others = c.runningMacOSVMs.filter { $0 != c.vmName }
            if others.isEmpty {
                return .backend("Only two macOS VMs can run at a time on a Mac, and no other one runs under vmtui now: another app may be running some, or a slot stays taken after a stop until the Mac restarts. Stop the other macOS VMs (or restart the Mac) and start \(vm) again.")
            }
            let verb = others.count == 1 ? "is" : "are"
            return .backend("Only two macOS VMs can run at a time on a Mac, and \(list(others)) \(verb) running; stop one of them and start \(vm) again.")
        case networkError:
            return .backend("The network of \(vm) failed (\(message)); check the Mac's network and try again.")
        case outOfDiskSpace:
            return .diskFull(path: c.path)
        case operationCancelled:
            return .cancelled("The request to \(c.action) \(vm)")
        case notSupported:
            return .unsupported("This Mac cannot \(c.action) \(vm): \(message). Update macOS, or change the VM's settings.")
        case save:
            return .backend("Saving the state of \(vm) failed (\(message)); the VM is still paused: resume it or stop it.")
        case restore:
            return .backend("Restoring the saved state of \(vm) failed (\(message)); the state may come from another Mac, an older configuration or a newer macOS. Delete \(c.path) to start the VM fresh (as after a power cut).")
        case restoreImageCatalogLoadFailed:
            return .backend("Apple's catalog of macOS restore images could not be loaded (\(message)); check the Mac's internet connection and try again.")
        case invalidRestoreImageCatalog:
            return .backend("Apple's catalog of macOS restore images is invalid (\(message)); try again later, or download an IPSW file and install from it.")
        case noSupportedRestoreImagesInCatalog:
            return .unsupported("Apple's catalog has no macOS restore image that this Mac can run; update this Mac's macOS, or install from an IPSW file of an older version.")
        case restoreImageLoadFailed:
            return .backend("The macOS restore image \(c.path) could not be loaded (\(message)); check that it is a complete .ipsw file, and download it again if unsure.")
        case invalidRestoreImage:
            return .backend("The file \(c.path) is not a valid macOS restore image (\(message)); download the IPSW again.")
        case installationRequiresUpdate:
            return .unsupported("This Mac needs a device-support update before it can install this macOS version; run 'softwareupdate --install --all' (or install the latest macOS in System Settings), then install into \(vm) again.")
        case installationFailed:
            return .backend("Installing macOS into \(vm) failed (\(message)); delete the VM and try again, with a freshly downloaded IPSW if it fails twice.")
        default:
            return .backend("Could not \(c.action) \(vm): \(message) (Virtualization.framework error \(code)).")
        }
    }

    /// The framework's description without its final period, plus the failure reason when it adds one.
    static func sentence(_ error: NSError) -> String {
        var text = trimmed(error.localizedDescription)
        if let reason = error.localizedFailureReason.map(trimmed), !reason.isEmpty, !text.contains(reason) {
            text += ": " + reason
        }
        return text.isEmpty ? "no details given" : text
    }

    static func trimmed(_ text: String) -> String {
        var t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while t.hasSuffix(".") { t.removeLast() }
        return t
    }

    /// "'a'", "'a' and 'b'", "'a', 'b' and 'c'".
    static func list(_ names: [String]) -> String {
        let quoted = names.map { "'\($0)'" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " and " + quoted.last!
    }
}

/// VZVirtualMachine.State raw values → vmtui states (ARCHITECTURE.md: states mirror VZ's).
public enum VZStateMapping {
    public static func vmState(rawValue: Int) -> VMState? {
        switch rawValue {
        case 0: return .stopped
        case 1: return .running
        case 2: return .paused
        case 3: return .error
        case 4: return .starting
        case 5: return .pausing
        case 6: return .resuming
        case 7: return .stopping
        case 8: return .saving
        case 9: return .restoring
        default: return nil
        }
    }
}
