import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// `vm/clone`: a new VM made from the files of another.
extension SnapshotStore {
    /// A new VM `target` beside `source`: its disk and firmware files cloned, a new MAC address, no
    /// machine identifier (a backend that needs one makes a fresh one at first start; copying or
    /// inventing bytes would give two VMs one identity, or one the hypervisor cannot read), the
    /// hardware model kept. Built in a hidden `.cloning-…` sibling and renamed into place.
    public static func cloneVM(_ store: BundleStore, source: VMBundle, target: String, progress: CopyProgress? = nil) throws -> (VMBundle, VMConfig, CloneStrategy) {
        let targetBundle = try store.bundle(target)
        try targetBundle.checkSocketPaths()
        if try store.exists(target) { throw HelperError.alreadyExists(what: "VM", name: target) }
        var config = try source.loadConfig()
        try requireDisk(source)
        config.macAddress = MACAddress.randomLocallyAdministered()
        config.machineIdentifier = nil
        config.createdAt = VMEvent.format(Date())
        try VMService.giveCloneItsOwnPorts(&config, store: store)
        // A new instance for cloud-init: new host keys and machine-id (its seed is written at start).
        config.provision?.instanceId = ProvisionConfig.newInstanceId()
        let strategy = try CloneFile.cloneDirectory(files: cloneFiles, from: source.url, to: targetBundle.url,
                                                    tempPrefix: "cloning", what: "VM", progress: progress) { tmp, _ in
            try FileOps.atomicWrite(try config.encoded(), to: tmp.appendingPathComponent(VMBundle.configFile))
        }
        return (targetBundle, config, strategy)
    }
}

extension SnapshotService {
    public func clone(_ p: VMCloneParams, progress: CopyProgress? = nil) async throws -> VMCloneResult {
        try VMName.validate(p.source)
        try VMName.validate(p.target)
        let source = try store.existing(p.source)
        if try store.exists(p.target) { throw HelperError.alreadyExists(what: "VM", name: p.target) }
        let store = self.store
        let (made, paused) = try await holdingStill(source, action: "clone", allowRunning: true) {
            try SnapshotStore.cloneVM(store, source: source, target: p.target, progress: progress)
        }
        let (bundle, config, strategy) = made
        return VMCloneResult(vm: VMService.info(bundle, config, status: nil), strategy: strategy, pausedForClone: paused)
    }
}
