import Foundation
import XCTest
@testable import HelperCore

/// vm/list's parse memo: what the files say now, decoded once per change of the file.
final class ListMemoTests: XCTestCase {
    var home: URL!
    var store: BundleStore!

    override func setUpWithError() throws {
        home = try temporaryFolder("memo", create: false)
        store = BundleStore(home: home)
    }


    func config(cpus: Int) -> VMConfig {
        VMConfig(os: .linux, arch: "x86_64", cpuCount: cpus, memoryBytes: 256 << 20, diskBytes: 1 << 20,
                 macAddress: MACAddress.randomLocallyAdministered(),
                 boot: .kernel(kernel: "/boot/vmlinuz", initrd: nil, cmdline: ""), createdAt: "2026-11-26T00:00:00Z")
    }

    func testAChangedConfigIsReadAgainAndABrokenOneThrowsEveryTime() throws {
        let bundle = try store.create(name: "a", config: config(cpus: 1))
        let memo = ListMemo()
        XCTAssertEqual(try memo.config(bundle).cpuCount, 1)
        try bundle.saveConfig(config(cpus: 3))  // written beside and renamed: a new file
        XCTAssertEqual(try memo.config(bundle).cpuCount, 3)
        // Rewritten in place, same size: the mtime tells.
        var text = try String(contentsOf: bundle.config, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"cpuCount\":3", with: "\"cpuCount\":4")
            .replacingOccurrences(of: "\"cpuCount\" : 3", with: "\"cpuCount\" : 4")
        usleep(2_000)
        try text.write(to: bundle.config, atomically: false, encoding: .utf8)
        XCTAssertEqual(try memo.config(bundle).cpuCount, 4)
        try Data("{".utf8).write(to: bundle.config)
        XCTAssertThrowsError(try memo.config(bundle))
        XCTAssertThrowsError(try memo.config(bundle))
    }

    func testTheNewestEventFollowsTheLog() throws {
        let bundle = try store.create(name: "b", config: config(cpus: 1))
        let memo = ListMemo()
        XCTAssertNil(memo.lastEvent(bundle))
        let log = EventLog(url: bundle.events)
        log.append(state: .running)
        XCTAssertEqual(memo.lastEvent(bundle)?.state, .running)
        log.append(state: .error, reason: "qemu exited with status 1")
        XCTAssertEqual(memo.lastEvent(bundle)?.state, .error)
        XCTAssertEqual(memo.lastEvent(bundle)?.reason, "qemu exited with status 1")
        try FileManager.default.removeItem(at: bundle.events)
        XCTAssertNil(memo.lastEvent(bundle))
    }

    func testListAnswersFromTheFilesAsTheyAreNow() async throws {
        let service = VMService(store: store, limits: { _ in VMLimits(hostCores: 4, hostMemoryBytes: 8 << 30, freeDiskBytes: 1 << 40) })
        for i in 0..<20 { _ = try store.create(name: "vm\(i)", config: config(cpus: 1)) }
        var list = await service.list()
        XCTAssertEqual(list.vms.count, 20)
        let b = try store.bundle("vm7")
        try b.saveConfig(config(cpus: 2))
        EventLog(url: b.events).append(state: .error, reason: "it crashed")
        try store.delete(name: "vm3")
        list = await service.list()
        XCTAssertEqual(list.vms.count, 19)
        let vm7 = try XCTUnwrap(list.vms.first { $0.name == "vm7" })
        XCTAssertEqual(vm7.cpuCount, 2)
        XCTAssertEqual(vm7.state, .error)
        XCTAssertEqual(vm7.stateReason, "it crashed")
        try Data("not json".utf8).write(to: try store.bundle("vm9").config)
        list = await service.list()
        XCTAssertEqual(list.problems.map(\.name), ["vm9"])
        // What vm/list sends, kept as JSON between calls, is the list as it is now.
        let sent = try await service.listJSON()
        let listed = await service.list()
        XCTAssertEqual(sent, try JSONValue(encoding: listed))
        // The text sent, kept per VM, is the text of the list as it is now, byte for byte.
        XCTAssertEqual(try JSONTextWriter.data(sent), try JSONCoding.encode(listed))
        try b.saveConfig(config(cpus: 3))
        let again = try await service.listJSON()
        let relisted = await service.list()
        XCTAssertEqual(again, try JSONValue(encoding: relisted))
        XCTAssertEqual(try JSONTextWriter.data(again), try JSONCoding.encode(relisted))
        XCTAssertNotEqual(again, sent)
    }

    /// A stopped VM's answer is kept, but not past a change to its disk, config or events.
    func testAStoppedVMsAnswerFollowsItsDiskAndItsProvisioning() async throws {
        let service = VMService(store: store, limits: { _ in VMLimits(hostCores: 4, hostMemoryBytes: 8 << 30, freeDiskBytes: 1 << 40) })
        let b = try store.create(name: "d", config: config(cpus: 1))
        let before = try await service.info("d")
        XCTAssertNil(before.ssh?.user)
        let disk = try FileHandle(forWritingTo: b.disk)
        try disk.write(contentsOf: Data(repeating: 7, count: 256 << 10))
        try disk.close()
        let grown = try await service.info("d")
        XCTAssertGreaterThan(grown.diskAllocatedBytes, before.diskAllocatedBytes)
        var c = config(cpus: 1)
        c.sshPort = 2299
        c.extra["provision"] = .object(["user": .string("ada"), "sshKeyFiles": .array([.string("/k.pub")])])
        try b.saveConfig(c)
        XCTAssertEqual(c.provisionFacts.user, "ada")
        XCTAssertEqual(c.provisionFacts.keyFiles, ["/k.pub"])
        let provisioned = try await service.info("d")
        XCTAssertEqual(provisioned.ssh?.user, "ada")
        EventLog(url: b.events).append(state: .stopped, reason: "the guest powered off")
        let stopped = try await service.info("d")
        XCTAssertEqual(stopped.state, .stopped)
        XCTAssertEqual(stopped.stateReason, "the guest powered off")
    }
}
