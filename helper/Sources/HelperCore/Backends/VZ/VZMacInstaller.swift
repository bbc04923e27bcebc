#if !os(macOS) || arch(arm64)
import Foundation
#if canImport(Virtualization)
@preconcurrency import Virtualization
#else
@preconcurrency import VirtualizationShim
#endif

/// Installs macOS from a local IPSW into a macOS VM bundle: loads the restore image, checks this
/// Mac and the VM can run it, gives the guest its hardware model, machine identifier and
/// auxiliary storage (persisted in config.json), then runs VZMacOSInstaller with progress.
///
/// Run by the per-VM host for `vm/install` (VZInstallBackend).
public final class VZMacInstaller: @unchecked Sendable {
    public enum Phase: String, Sendable {
        case loadingImage
        case installing
    }

    /// Called from framework threads, at most once a second and without repeats.
    public typealias ProgressHandler = @Sendable (Phase, Double) -> Void

    public let bundle: VMBundle
    public let restoreImage: URL
    private let onProgress: ProgressHandler
    private let lock = NSLock()
    private var progress: Progress?
    private var observation: NSKeyValueObservation?
    private var cancelRequested = false
    private var throttle = ProgressThrottle(interval: 1)
    private var throttledPhase: Phase?
    /// The framework does not promise to keep the installer alive while it works.
    private var installer: VZMacOSInstaller?

    public init(bundle: VMBundle, restoreImage: URL, onProgress: @escaping ProgressHandler) {
        self.bundle = bundle
        self.restoreImage = restoreImage
        self.onProgress = onProgress
    }

    /// Runs the whole installation. The caller (the per-VM host) holds the bundle's lock throughout,
    /// so the VM cannot be started meanwhile (and counts as one of the two macOS slots, as the
    /// framework does). Cancelling the task (or `cancel()`) cancels the installer's progress.
    public func install(host: VZHostFacts? = nil) async throws {
        let host = host ?? VZHostProbe.current()
        let imageURL = try Self.localFile(restoreImage)
        let context = { (action: String, path: String) in
            VZErrorContext(vmName: self.bundle.name, action: action, state: "installing", path: path)
        }

        report(.loadingImage, 0)
        let image: VZMacOSRestoreImage
        do {
            image = try await withCheckedThrowingContinuation { continuation in
                VZMacOSRestoreImage.load(from: imageURL) { continuation.resume(with: $0) }
            }
        } catch {
            throw VZErrorMapping.helperError(error, context: context("load the restore image for", imageURL.path))
        }
        let version = Self.versionText(image.operatingSystemVersion, build: image.buildVersion)
        guard let requirements = image.mostFeaturefulSupportedConfiguration, requirements.hardwareModel.isSupported else {
            throw HelperError.unsupported("This Mac cannot run macOS \(version) from \(imageURL.path); use an IPSW of a macOS version this Mac supports (or update this Mac first).")
        }
        var config = try bundle.loadConfig()
        guard config.os == .macos, config.boot == .macOS else {
            throw HelperError.invalidParams(field: "name", message: "VM '\(bundle.name)' is not a macOS VM; create one with os 'macos' to install macOS into it.")
        }
        try VZMacGuestRequirements.check(cpuCount: config.cpuCount, memoryBytes: config.memoryBytes, vmName: bundle.name,
                                         minimumCPUCount: requirements.minimumSupportedCPUCount,
                                         minimumMemoryBytes: requirements.minimumSupportedMemorySize, version: version)
        try Task.checkCancellation()
        config = try VZGuestIdentity.createMacIdentity(config, bundle: bundle, hardwareModel: requirements.hardwareModel)

        let plan = try VZConfigurationPlan.make(config: config, bundle: bundle, host: host, options: VZGuestOptions())
        let console = try VZConsolePipes()
        defer { console.closeGuestSide() }
        let configuration = try VZConfigurationBuilder.build(plan, bundle: bundle, console: console)
        do { try configuration.validate() } catch {
            throw VZErrorMapping.helperError(error, context: context("configure", bundle.disk.path))
        }
        let machine = VZMachineQueue(label: "vmtui.vz.install.\(bundle.name)")
        try await machine.create(configuration)
        report(.installing, 0)
        do {
            try await withTaskCancellationHandler {
                try await machine.run { (vm, done: @escaping VZMachineQueue.Completion<Void>) in
                    let installer = VZMacOSInstaller(virtualMachine: vm, restoringFromImageAt: imageURL)
                    installer.install(completionHandler: done)
                    // Only now may the progress be cancelled (earlier raises an exception).
                    self.began(installer)
                }
            } onCancel: {
                self.cancel()
            }
        } catch {
            throw VZErrorMapping.helperError(error, context: context("install macOS into", imageURL.path))
        }
        lock.locked {
            observation?.invalidate()
            installer = nil
        }
        report(.installing, 1)
    }

    /// Cancels a running installation (or the one about to begin).
    public func cancel() {
        let progress = lock.locked { () -> Progress? in
            cancelRequested = true
            return self.progress
        }
        progress?.cancel()
    }

    private func began(_ installer: VZMacOSInstaller) {
        let progress = installer.progress
        let observation = progress.observe(\.fractionCompleted, options: [.new]) { [weak self] progress, _ in
            self?.report(.installing, progress.fractionCompleted)
        }
        let cancel = lock.locked { () -> Bool in
            self.installer = installer
            self.progress = progress
            self.observation = observation
            return cancelRequested
        }
        if cancel { progress.cancel() }
    }

    private func report(_ phase: Phase, _ fraction: Double) {
        let admitted = lock.locked { () -> Double? in
            if throttledPhase != phase {
                throttledPhase = phase
                throttle = ProgressThrottle(interval: 1)
            }
            return throttle.admit(fraction, at: Date())
        }
        guard let admitted else { return }
        onProgress(phase, admitted)
    }

    /// VZMacOSRestoreImage.load takes a file URL only (anything else raises an exception Swift
    /// cannot catch), with symlinks resolved.
    static func localFile(_ url: URL) throws -> URL {
        guard url.isFileURL else {
            throw HelperError.invalidParams(field: "ipsw", message: "\(url.absoluteString) is not a local file; download the IPSW first and give its path.")
        }
        let resolved = url.resolvingSymlinksInPath()
        guard FileOps.isRegularFile(resolved.path) else { throw HelperError.missingFile(what: "restore image", path: url.path) }
        return resolved
    }

    static func versionText(_ version: OperatingSystemVersion, build: String) -> String {
        var text = "\(version.majorVersion).\(version.minorVersion)"
        if version.patchVersion > 0 { text += ".\(version.patchVersion)" }
        return build.isEmpty ? text : "\(text) (\(build))"
    }
}
#endif
