import Foundation
import XCTest
@testable import HelperCore

/// The store watcher on real files in a temporary home: each kind of change another process can
/// make shows as the notification a client understands, with inotify and with the poll fallback.
final class StoreWatcherTests: XCTestCase {
    var home: URL!
    var store: BundleStore!

    override func setUpWithError() throws {
        home = try temporaryFolder("watch", create: false)
        store = BundleStore(home: home)
    }


    private func config() -> VMConfig {
        VMConfig(os: .linux, arch: "x86_64", cpuCount: 1, memoryBytes: 256 << 20, diskBytes: 1 << 20,
                 macAddress: MACAddress.randomLocallyAdministered(),
                 boot: .kernel(kernel: "/boot/vmlinuz", initrd: nil, cmdline: "console=ttyS0"), createdAt: "2026-11-26T00:00:00Z")
    }

    // MARK: Pure parts

    private func facts(inode: UInt64, config: Int = 1, lock: Int32? = nil) -> BundleFacts {
        func stamp(_ ino: UInt64, _ t: Int) -> FileStamp { FileStamp(size: 10, inode: ino, mtime: [t, 0]) }
        return BundleFacts(folder: stamp(inode, 0), config: stamp(inode + 1000, config), snapshots: nil, events: nil,
                           lockHolder: lock, hasControlSocket: lock != nil)
    }

    func testDiffTellsRenamesApartFromRemovalsAndAdditions() {
        let old = ["a": facts(inode: 1), "b": facts(inode: 2), "c": facts(inode: 3, lock: 40)]
        let new = ["b2": facts(inode: 2), "c": facts(inode: 3, config: 2), "d": facts(inode: 4, lock: 41)]
        XCTAssertEqual(StoreScan.diff(old, new), [
            .removed("a"), .renamed(from: "b", to: "b2"), .added("d"),
            .updated("c"), .lockReleased("c", pid: 40), .lockTaken("d", pid: 41),
        ])
        XCTAssertEqual(StoreScan.diff(new, new), [], "nothing changed, nothing told")
    }

    func testDiffTellsAFolderMadeAgainUnderTheSameNameAsANewVM() {
        XCTAssertEqual(StoreScan.diff(["a": facts(inode: 1)], ["a": facts(inode: 9)]), [.removed("a"), .added("a")])
    }

    func testEventTailReadsWholeLinesOnceAndStartsOverOnANewFile() throws {
        try FileOps.makeDirectory(home)
        let url = home.appendingPathComponent("events.jsonl")
        let log = EventLog(url: url)
        log.append(state: .starting)
        var tail = EventTail(endOf: FileStamp.of(url.path))
        XCTAssertEqual(tail.read(url, stamp: FileStamp.of(url.path)), [], "history before the tail began is not news")
        let running = log.append(state: .running)
        XCTAssertEqual(tail.read(url, stamp: FileStamp.of(url.path)), [running])
        // A line still being written waits for its end.
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"time":"2026-12-01T00:00:00.000Z","sta"#.utf8))
        XCTAssertEqual(tail.read(url, stamp: FileStamp.of(url.path)), [])
        try handle.write(contentsOf: Data(#"te":"paused"}"#.utf8 + [0x0A]))
        try handle.close()
        XCTAssertEqual(tail.read(url, stamp: FileStamp.of(url.path)).map(\.state), [.paused])
        // Replaced by a new file (a new inode): read from its start.
        try FileManager.default.removeItem(at: url)
        let stopped = log.append(state: .stopped)
        XCTAssertEqual(tail.read(url, stamp: FileStamp.of(url.path)), [stopped])
    }

    func testNotifierTellsEachStateChangeOnceAndNeverAnOlderOne() {
        let sent = Locked<[String]>([])
        let notifier = ClientNotifier { method, params in
            let state = (try? params.decode(as: StateChangedParams.self)).map { "\($0.state.rawValue)@\($0.time)" } ?? method
            sent.update { $0.append(state) }
        }
        func change(_ state: VMState, _ time: String) -> StateChangedParams {
            StateChangedParams(name: "dev", state: state, step: nil, reason: nil, time: time)
        }
        XCTAssertTrue(notifier.announce(change(.starting, "T1")))
        XCTAssertTrue(notifier.announce(change(.running, "T2")))
        XCTAssertFalse(notifier.announce(change(.running, "T2")), "the same change from the log after the socket")
        XCTAssertFalse(notifier.announce(change(.starting, "T1")), "an older change after a newer one")
        XCTAssertTrue(notifier.announce(change(.stopped, "T2")), "a host's end told at its last record's time")
        XCTAssertFalse(notifier.announce(change(.stopped, "T3")), "the end seen again, as a freed lock")
        XCTAssertEqual(sent.current, ["starting@T1", "running@T2", "stopped@T2"])
    }

    /// A resume answered within the millisecond: resuming and running share a time. The log's copy
    /// of both, read after the socket told them, is not told again (it was, once, under load).
    func testNotifierTellsTwoChangesOfOneMillisecondOnce() {
        let sent = Locked<[String]>([])
        let notifier = ClientNotifier { _, params in
            if let c = try? params.decode(as: StateChangedParams.self) { sent.update { $0.append(c.state.rawValue) } }
        }
        func change(_ state: VMState, _ time: String) -> StateChangedParams {
            StateChangedParams(name: "dev", state: state, step: nil, reason: nil, time: time)
        }
        for c in [change(.paused, "T1"), change(.resuming, "T2"), change(.running, "T2")] { notifier.announce(c) }
        XCTAssertFalse(notifier.announce(change(.resuming, "T2")), "the log's resuming after the socket's running")
        XCTAssertFalse(notifier.announce(change(.running, "T2")))
        XCTAssertTrue(notifier.announce(change(.stopping, "T2")), "a new change in the same millisecond is told")
        XCTAssertEqual(sent.current, ["paused", "resuming", "running", "stopping"])
    }

    // MARK: The watcher on real files

    /// What a client would have been told, as short strings ("added dev", "running dev").
    private final class Told: @unchecked Sendable {
        let lines = Locked<[String]>([])
        func record(_ method: String, _ params: JSONValue) {
            if let c = try? params.decode(as: StateChangedParams.self), method == StateChangedNotification.method {
                lines.update { $0.append("\(c.state.rawValue) \(c.name)") }
            } else if let c = try? params.decode(as: VMChangedParams.self) {
                lines.update { $0.append("\(c.change.rawValue) \(c.name)\(c.newName.map { " \($0)" } ?? "")") }
            }
        }
        func waitFor(_ line: String, file: StaticString = #filePath, lineNumber: UInt = #line) {
            XCTAssertTrue(eventually(timeout: 10) { lines.current.contains(line) },
                          "expected '\(line)', got \(lines.current)", file: file, line: lineNumber)
        }
    }

    private func watching(_ trigger: StoreTrigger, _ body: (Told, StoreWatcher) throws -> Void) throws {
        let told = Told()
        let vms = VMService(store: store)
        let notifier = ClientNotifier { told.record($0, $1) }
        vms.setNotifier { notifier.forward($0, $1) }
        let watcher = StoreWatcher(vms: vms, notifier: notifier, trigger: trigger)
        watcher.start()
        defer { watcher.stop() }
        // Changes made after the first look are told; made before it, they are what it sees.
        XCTAssertTrue(eventually(timeout: 10) { watcher.firstLook.isOpen }, "the watcher took its first look")
        try body(told, watcher)
    }

    /// Waits until the watcher has looked twice more: whatever was there before has been seen.
    private func twoMoreLooks(_ watcher: StoreWatcher) {
        let target = watcher.looks + 2
        XCTAssertTrue(eventually(timeout: 10) { watcher.looks >= target })
    }

    private func everyKindOfChange(_ trigger: StoreTrigger) throws {
        _ = try store.create(name: "old", config: config())
        try watching(trigger) { told, _ in
            _ = try store.create(name: "dev", config: config())
            told.waitFor("added dev")

            let dev = try store.bundle("dev")
            var c = try dev.loadConfig()
            c.cpuCount = 2
            try dev.saveConfig(c)
            told.waitFor("updated dev")

            told.lines.set([])
            try FileOps.makeDirectory(dev.snapshots)
            told.waitFor("updated dev")

            // A host's life as another process would live it: lock, records, then killed unrecorded.
            var hostLock: HostLock? = try HostLock.acquire(dev.lock, name: "dev")
            EventLog(url: dev.events).append(state: .starting)
            EventLog(url: dev.events).append(state: .running)
            told.waitFor("starting dev")
            told.waitFor("running dev")
            XCTAssertNotNil(hostLock)
            hostLock = nil
            told.waitFor("stopped dev")

            try store.rename(from: "old", to: "new")
            told.waitFor("renamed old new")
            try store.delete(name: "new")
            told.waitFor("removed new")
            let states = told.lines.current.filter { $0.hasSuffix(" dev") && !$0.hasPrefix("updated") }
            XCTAssertEqual(states, ["starting dev", "running dev", "stopped dev"], "each state once, in order")
        }
    }

    #if os(Linux)
    func testInotifySeesEveryKindOfChange() throws {
        try everyKindOfChange(try InotifyTrigger(store: store))
    }

    func testInotifyWatchesAStoreMadeAfterItStarted() throws {
        try watching(try InotifyTrigger(store: store)) { told, _ in
            _ = try store.create(name: "first", config: config())
            told.waitFor("added first")
        }
    }
    #endif

    func testPollSeesEveryKindOfChange() throws {
        try everyKindOfChange(PollTrigger(interval: 0.1))
    }

    func testARecordedStopIsToldOnceAndALockHeldForACloneIsNotAStateChange() throws {
        _ = try store.create(name: "dev", config: config())
        let dev = try store.bundle("dev")
        try watching(PollTrigger(interval: 0.05)) { told, watcher in
            // vm/clone of a stopped VM holds its lock without a host: nothing to tell.
            var cloneLock: HostLock? = try HostLock.acquire(dev.lock, name: "dev")
            twoMoreLooks(watcher)
            cloneLock = nil
            XCTAssertNil(cloneLock)
            twoMoreLooks(watcher)
            EventLog(url: dev.events).append(state: .running)
            told.waitFor("running dev")
            EventLog(url: dev.events).append(state: .stopping, step: "powerButton")
            EventLog(url: dev.events).append(state: .stopped)
            told.waitFor("stopped dev")
            twoMoreLooks(watcher)
            XCTAssertEqual(told.lines.current, ["running dev", "stopping dev", "stopped dev"])
        }
    }
}
