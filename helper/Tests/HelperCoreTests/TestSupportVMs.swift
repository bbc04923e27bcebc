import Foundation
import XCTest
@testable import HelperCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bundles made on disk for the snapshot and clone tests.
struct SnapshotFixture {
    let home: URL
    let store: BundleStore
    let vms: VMService
    let service: SnapshotService

    init(home: URL) {
        self.home = home
        store = BundleStore(home: home)
        vms = VMService(store: store, limits: { _ in VMLimits(hostCores: 8, hostMemoryBytes: 16 << 30, freeDiskBytes: 1 << 40) })
        service = SnapshotService(vms: vms)
    }

    static func config(disk: UInt64 = 64 << 20) -> VMConfig {
        var c = VMConfig(os: .linux, arch: "x86_64", cpuCount: 2, memoryBytes: 512 << 20, diskBytes: disk,
                         macAddress: MACAddress.randomLocallyAdministered(),
                         boot: .efi(iso: nil), createdAt: "2026-11-26T10:00:00.000Z")
        c.machineIdentifier = Data((0..<16).map { UInt8($0) }).base64EncodedString()
        c.hardwareModel = Data("model-1".utf8).base64EncodedString()
        return c
    }

    /// A stopped VM with `dataMiB` of random data in its disk and an EFI variable store.
    @discardableResult
    func makeVM(_ name: String, dataMiB: Int = 2, disk: UInt64 = 64 << 20) throws -> VMBundle {
        let bundle = try store.create(name: name, config: Self.config(disk: disk))
        try cloneTestWrite(cloneTestRandomBytes(dataMiB << 20), to: bundle.disk, at: 4 << 20)
        try cloneTestRandomBytes(64 << 10).write(to: bundle.efiVars)
        try Data("console output\n".utf8).write(to: bundle.consoleLog)
        return bundle
    }

    /// Digests of the files that make a VM's state.
    func stateDigests(_ bundle: VMBundle) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for file in ["config.json", "disk.img", "efi-vars.fd", "aux.img", "state.save"] {
            let url = bundle.url.appendingPathComponent(file)
            if FileManager.default.fileExists(atPath: url.path) { out[file] = try cloneTestDigest(url) }
        }
        return out
    }

    /// Hidden temporaries left anywhere in the home (locks are not temporaries).
    func temporaries() -> [String] {
        var found: [String] = []
        let fm = FileManager.default
        for entry in (try? fm.contentsOfDirectory(atPath: store.vmsDirectory.path)) ?? [] where entry.hasPrefix(".") {
            found.append(entry)
        }
        for name in store.names() {
            let bundle = try! store.bundle(name)
            for entry in (try? fm.contentsOfDirectory(atPath: bundle.url.path)) ?? [] where entry.hasPrefix(".") && entry != ".clone.lock" {
                found.append("\(name)/\(entry)")
            }
            for entry in (try? fm.contentsOfDirectory(atPath: bundle.snapshots.path)) ?? [] where entry.hasPrefix(".") && entry != ".current.json" {
                found.append("\(name)/snapshots/\(entry)")
            }
        }
        return found
    }
}

/// A per-VM host that only answers host/status, vm/pause and vm/resume on the bundle's control
/// socket, holding the bundle's host lock like a real one.
final class FakeHost: @unchecked Sendable {
    private let lock = NSLock()
    private var currentState: VMState
    private var recorded: [String] = []
    private var resumeState: VMState?
    private let hostLock: HostLock
    private let listener: Int32
    private let socketPath: String
    private var connections: [Connection] = []

    var calls: [String] { lock.lock(); defer { lock.unlock() }; return recorded }
    var state: VMState { lock.lock(); defer { lock.unlock() }; return currentState }
    var stateDuringFirstResume: VMState? { lock.lock(); defer { lock.unlock() }; return resumeState }

    init(bundle: VMBundle, state: VMState) throws {
        currentState = state
        hostLock = try HostLock.acquire(bundle.lock, name: bundle.name)
        socketPath = bundle.controlSocket.path
        listener = try UnixSocket.listen(socketPath)
        let router = Router()
        router.register(HostStatusRequest.self, answeringFor: bundle.name) { [self] _, _ in record("host/status", to: nil) }
        router.register(VMPauseRequest.self, answeringFor: bundle.name) { [self] _, _ in record("vm/pause", to: .paused) }
        router.register(VMResumeRequest.self, answeringFor: bundle.name) { [self] _, _ in record("vm/resume", to: .running) }
        let thread = Thread { [self] in
            while let fd = UnixSocket.accept(listener) {
                let connection = Connection(input: fd, output: fd, name: "fake-host", ownsDescriptors: true)
                lock.lock(); connections.append(connection); lock.unlock()
                connection.start(router: router)
            }
        }
        thread.start()
    }

    private func record(_ call: String, to newState: VMState?) -> HostStatus {
        lock.lock()
        defer { lock.unlock() }
        recorded.append(call)
        if call == "vm/resume" && resumeState == nil { resumeState = currentState }
        if let newState { currentState = newState }
        return HostStatus(state: currentState, stateReason: nil, hostPid: getpid(), vmPid: nil, accelerator: "tcg",
                          sshAddress: nil, startedAt: "2026-11-26T10:00:00.000Z", address: nil)
    }

    var clientCount: Int { lock.lock(); defer { lock.unlock() }; return connections.count }

    /// Closes the clients' connections, keeping the lock and the socket: a host that lives on.
    func dropClients() {
        lock.lock(); let open = connections; connections = []; lock.unlock()
        for c in open { c.close() }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        lock.lock(); let open = connections; lock.unlock()
        for c in open { c.close() }
        unlink(socketPath)
        withExtendedLifetime(hostLock) {}
    }
}
