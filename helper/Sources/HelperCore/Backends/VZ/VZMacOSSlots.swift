import Foundation

/// Apple's licence lets a Mac run two macOS guests at a time (VZError code 6 beyond that).
/// A slot is used by every bundle whose host holds its lock and whose guest is macOS; a VM being
/// installed holds its lock too.
public enum VZMacOSSlots {
    public static let maximum = 2

    public struct Bundle: Equatable, Sendable {
        public var name: String
        public var lockHeld: Bool
        /// nil when config.json cannot be read.
        public var os: GuestOS?

        public init(name: String, lockHeld: Bool, os: GuestOS?) {
            self.name = name
            self.lockHeld = lockHeld
            self.os = os
        }
    }

    /// Names of the running macOS VMs, sorted.
    public static func running(_ bundles: [Bundle]) -> [String] {
        bundles.filter { $0.lockHeld && $0.os == .macos }.map(\.name).sorted()
    }

    /// Reads the store: each bundle's lock (probed, never taken) and, for running ones, config.json.
    public static func scan(home: URL) -> [Bundle] {
        let store = BundleStore(home: home)
        return store.names().compactMap { name in
            guard let bundle = try? store.bundle(name) else { return nil }
            let held: Bool
            if case .held = HostLock.probe(bundle.lock) { held = true } else { held = false }
            // Only a running VM holds a slot; a stopped one's config need not be read every sample.
            return Bundle(name: name, lockHeld: held, os: held ? (try? bundle.loadConfig())?.os : nil)
        }
    }

    /// host/info's and host/stats' `macosSlots` on an Apple silicon Mac.
    public static func slots(home: URL) -> MacOSSlots {
        let names = running(scan(home: home))
        return MacOSSlots(used: names.count, max: maximum, vms: names)
    }

    /// `macosSlots` for this host: nil where macOS guests cannot run.
    public static func slotsOnThisHost(home: URL) -> MacOSSlots? {
        #if (os(macOS) && arch(arm64)) || DARWIN_CHECK
        return slots(home: home)
        #else
        return nil
        #endif
    }
}
