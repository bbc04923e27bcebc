import Foundation
import XCTest
@testable import HelperCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// QMP answered from a script: records every command (and whether a descriptor came with it) and
/// answers `query-migrate` from a list of statuses. The real QMP is crossed by test/e2e/vm-suspend.
final class FakeQMP: QMPExecuting {
    var sent: [(command: String, arguments: [String: JSONValue]?, fd: Int32?)] = []
    var migrateAnswers: [JSONValue]
    var refuse: [String: String] = [:]

    init(migrateAnswers: [JSONValue]) { self.migrateAnswers = migrateAnswers }

    func execute(_ command: String, arguments: [String: JSONValue]?, timeout: TimeInterval, passing fd: Int32?) throws -> JSONValue {
        sent.append((command, arguments, fd))
        if let why = refuse[command] { throw HelperError.backend("QEMU refused the command: \(why).") }
        if command == "query-migrate" { return migrateAnswers.count > 1 ? migrateAnswers.removeFirst() : migrateAnswers[0] }
        if command == "add-fd" { return .object(["fdset-id": .number(7), "fd": .number(31)]) }
        return .object([:])
    }

    var commands: [String] { sent.map(\.command) }
}

final class SavedStateTests: XCTestCase {
    private var folder: URL!
    private var bundle: VMBundle!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vmtui-saved-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        bundle = VMBundle(name: "dev", url: folder)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func config(memory: UInt64 = 256 << 20) -> VMConfig {
        VMConfig(os: .linux, arch: "x86_64", cpuCount: 1, memoryBytes: memory, diskBytes: 64 << 20, macAddress: "52:54:00:12:34:56",
                 boot: .kernel(kernel: "/k", initrd: nil, cmdline: "console=ttyS0"), createdAt: "2026-01-01T00:00:00Z")
    }

    private func status(_ s: String, transferred: Double = 0) -> JSONValue {
        .object(["status": .string(s), "ram": .object(["transferred": .number(transferred), "total": .number(1000)])])
    }

    // MARK: The compatibility check

    func testDifferencesNameWhatChangedAndIgnorePortsAndForwards() {
        var moved = config()
        moved.sshPort = 40022
        XCTAssertEqual(SavedState.differences(saved: SavedState.configFacts(config()), now: SavedState.configFacts(moved)), [])
        let bigger = SavedState.configFacts(config(memory: 512 << 20))
        XCTAssertEqual(SavedState.differences(saved: SavedState.configFacts(config()), now: bigger),
                       ["the memory size (268435456 → 536870912)"])
        var other = SavedState.configFacts(config())
        other["qemuVersion"] = "QEMU emulator version 10.0.13 (Debian 1:10.0.13+ds-0+deb13u1)"
        XCTAssertEqual(SavedState.differences(saved: SavedState.configFacts(config()), now: other), ["the QEMU version"])
    }

    func testAStateResumesOnlyWithItsRecordItsSizeAndTheSameMachine() throws {
        let facts = SavedState.configFacts(config())
        XCTAssertFalse(SavedState.isPresent(bundle))
        try Data(repeating: 7, count: 4096).write(to: SavedState.partialURL(bundle))
        try SavedState.commit(bundle, facts: facts)
        XCTAssertTrue(SavedState.isPresent(bundle))
        XCTAssertFalse(FileManager.default.fileExists(atPath: SavedState.partialURL(bundle).path))
        XCTAssertEqual(SavedState.check(bundle, facts: facts), .resume)

        guard case .setAside(let why) = SavedState.check(bundle, facts: SavedState.configFacts(config(memory: 512 << 20))) else {
            return XCTFail("a state from another memory size was resumed")
        }
        XCTAssertEqual(why, "it was saved under another configuration: the memory size (268435456 → 536870912) changed since")

        // A state file that is not the one its record describes (cut short) is never resumed.
        try Data(repeating: 7, count: 100).write(to: SavedState.stateURL(bundle))
        XCTAssertEqual(SavedState.check(bundle, facts: facts), .setAside("the state file holds 100 bytes, not the 4096 that were saved"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent(SavedState.recordFile))
        guard case .setAside = SavedState.check(bundle, facts: facts) else { return XCTFail("a state without a record was resumed") }
    }

    func testSettingAsideKeepsTheFileAndSaysWhy() throws {
        try Data(repeating: 1, count: 2048).write(to: SavedState.partialURL(bundle))
        try SavedState.commit(bundle, facts: ["memoryBytes": "1"], savedAt: Date(timeIntervalSince1970: 0))
        let sentence = try SavedState.setAside(bundle, because: "it was saved under another configuration", now: Date(timeIntervalSince1970: 60))
        XCTAssertTrue(sentence.hasPrefix("The saved state of VM 'dev' (saved 1970-01-01T00:00:00.000Z) was not resumed because it was saved under another configuration; it was set aside as "), sentence)
        XCTAssertTrue(sentence.contains("state.discarded-19700101T000100.000Z and the VM booted from its disk instead"), sentence)
        XCTAssertFalse(SavedState.isPresent(bundle))
        let aside = folder.appendingPathComponent("state.discarded-19700101T000100.000Z")
        XCTAssertEqual(try Data(contentsOf: aside).count, 2048, "the state is kept, not deleted")
        XCTAssertEqual(SavedState.discardedNote(bundle),
                       "A saved state was set aside at 1970-01-01T00:01:00.000Z because it was saved under another configuration; it is kept as \(aside.path) (delete it to free its space).")
        try FileManager.default.removeItem(at: aside)
        XCTAssertNil(SavedState.discardedNote(bundle), "no note once the file is deleted")
    }

    func testAKilledSavesPartialFileIsRemovedAndNeverTakenForAState() throws {
        try Data(repeating: 1, count: 10).write(to: SavedState.partialURL(bundle))
        XCTAssertFalse(SavedState.isPresent(bundle))
        SavedState.removeLeftovers(bundle)
        XCTAssertFalse(FileManager.default.fileExists(atPath: SavedState.partialURL(bundle).path))
    }

    func testConfigureRefusesMachineChangesWhileSuspendedButNotPorts() throws {
        try Data(repeating: 1, count: 10).write(to: SavedState.stateURL(bundle))
        var p = VMConfigureParams(name: "dev")
        p.sshPort = 40123
        XCTAssertNoThrow(try VMService.refuseMachineChangeWhileSuspended(p, bundle))
        p.memoryBytes = 1 << 30
        XCTAssertThrowsError(try VMService.refuseMachineChangeWhileSuspended(p, bundle)) { error in
            XCTAssertEqual(error as? HelperError, .invalidParams(field: "memoryBytes", message: "VM 'dev' is suspended, and its saved memory state resumes only on the machine it was saved on, so its memory size cannot change now. Resume it with 'vmtui start dev', shut it down, then configure it."))
        }
    }

    // MARK: The QMP sequences

    func testSaveStopsHandsOverTheFileMigratesAndWaitsForCompletion() throws {
        let qmp = FakeQMP(migrateAnswers: [status("setup"), status("active", transferred: 300), status("completed", transferred: 1000)])
        let seen = Locked<[UInt64]>([])
        try QEMUStateTransfer.save(qmp, into: 42, deadline: Date().addingTimeInterval(10), maxBandwidth: 1 << 20, pollInterval: 0.001) { done, _ in
            seen.update { $0.append(done) }
        }
        XCTAssertEqual(qmp.commands, ["stop", "migrate-set-parameters", "add-fd", "migrate", "query-migrate", "query-migrate", "query-migrate", "remove-fd"])
        XCTAssertEqual(qmp.sent[2].fd, 42, "the file goes with add-fd")
        XCTAssertEqual(qmp.sent[3].arguments?["uri"], .string("file:/dev/fdset/7"), "the fd set QEMU named")
        XCTAssertNil(qmp.sent[3].fd)
        XCTAssertEqual(qmp.sent[7].arguments?["fdset-id"], .number(7))
        XCTAssertEqual(seen.current, [0, 300, 1000])
    }

    func testAFailedMigrationIsCancelledAndSaidInQEMUsWords() {
        let failed = JSONValue.object(["status": .string("failed"), "error-desc": .string("Unable to write to file")])
        let qmp = FakeQMP(migrateAnswers: [status("active"), failed])
        XCTAssertThrowsError(try QEMUStateTransfer.save(qmp, into: 3, deadline: Date().addingTimeInterval(10), pollInterval: 0.001)) { error in
            XCTAssertEqual(error as? HelperError, .backend("Saving the machine state failed (QEMU's migration failed: Unable to write to file)."))
        }
        XCTAssertEqual(Array(qmp.commands.suffix(2)), ["migrate_cancel", "remove-fd"])
    }

    func testASaveThatMissesItsDeadlineIsCancelled() {
        let qmp = FakeQMP(migrateAnswers: [status("active")])
        XCTAssertThrowsError(try QEMUStateTransfer.save(qmp, into: 3, deadline: Date().addingTimeInterval(0.05), pollInterval: 0.01)) { error in
            XCTAssertEqual((error as? HelperError)?.message.contains("did not finish in time"), true)
        }
        XCTAssertEqual(Array(qmp.commands.suffix(2)), ["migrate_cancel", "remove-fd"])
    }

    func testAMigrationBlockedByADeviceStopsBeforeWaiting() {
        let qmp = FakeQMP(migrateAnswers: [status("completed")])
        qmp.refuse["migrate"] = "disallowing migration blocked by vhost-user-fs"
        XCTAssertThrowsError(try QEMUStateTransfer.save(qmp, into: 3, deadline: Date().addingTimeInterval(10), pollInterval: 0.001))
        XCTAssertFalse(qmp.commands.contains("query-migrate"))
        XCTAssertEqual(qmp.commands.last, "remove-fd", "QEMU lets go of the file")
    }

    func testRestoreLoadsTheFileThenLetsTheGuestRun() throws {
        let qmp = FakeQMP(migrateAnswers: [status("active"), status("completed")])
        try QEMUStateTransfer.restore(qmp, from: 9, deadline: Date().addingTimeInterval(10), pollInterval: 0.001)
        XCTAssertEqual(qmp.commands, ["add-fd", "migrate-incoming", "query-migrate", "query-migrate", "cont", "remove-fd"])
        XCTAssertEqual(qmp.sent[0].fd, 9)
        XCTAssertEqual(qmp.sent[1].arguments?["uri"], .string("file:/dev/fdset/7"))
    }

    func testARestoreThatFailsNeverLetsTheGuestRun() {
        let qmp = FakeQMP(migrateAnswers: [.object(["status": .string("failed"), "error-desc": .string("load of migration failed: Invalid argument")])])
        XCTAssertThrowsError(try QEMUStateTransfer.restore(qmp, from: 9, deadline: Date().addingTimeInterval(10), pollInterval: 0.001))
        XCTAssertFalse(qmp.commands.contains("cont"))
    }
}
