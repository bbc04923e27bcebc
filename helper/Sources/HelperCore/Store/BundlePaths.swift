import Foundation

/// A bundle's files as path strings, for the system calls made per VM on every vm/list and every
/// look the store watcher takes: built once by joining names, where building each as a URL and
/// asking for its path cost more than the lstat itself.
public struct BundlePaths: Sendable, Equatable {
    public let root: String
    public let config: String, events: String, disk: String, lock: String
    public let savedState: String, snapshots: String, controlSocket: String

    public init(root: String) {
        self.root = root
        config = root + "/" + VMBundle.configFile
        events = root + "/" + VMBundle.eventsFile
        disk = root + "/" + VMBundle.diskFile
        lock = root + "/" + VMBundle.lockFile
        savedState = root + "/" + SavedState.stateFile
        snapshots = root + "/" + VMBundle.snapshotsFolder
        controlSocket = root + "/" + VMBundle.controlSocketFile
    }

    public init(_ bundle: VMBundle) { self.init(root: bundle.url.path) }
}
