import Foundation
import XCTest
@testable import HelperCore

/// serve's links to a running host (VMHostLinks), against a FakeHost holding the lock and socket.
final class HostLinkTests: XCTestCase {
    var fx: SnapshotFixture!
    var host: FakeHost!
    private let told = NSLock()
    private var notes: [String] = []

    override func setUpWithError() throws {
        fx = SnapshotFixture(home: try temporaryFolder("hostlink", create: false))
        host = try FakeHost(bundle: try fx.makeVM("dev"), state: .running)
        fx.vms.setNotifier { [self] method, params in told.locked { notes.append("\(method) \(params)") } }
    }

    override func tearDown() { host.stop() }

    /// The store watcher and a request link at once; serve closes the duplicates. Closing one used to
    /// report its host gone: the link in use was dropped at once, and 'stopped' told 3 s later while
    /// the VM ran on (seen in the dashboard after a start).
    func testDuplicateLinksClosedByServeKeepTheLinkInUseAndTellNothing() throws {
        for _ in 0..<4 {
            fx.vms.dropLink("dev")
            DispatchQueue.concurrentPerform(iterations: 8) { _ in _ = try? fx.vms.link("dev") }
        }
        usleep(3_500_000)  // a duplicate's closing is heard on its own thread, 'stopped' after a 3 s wait
        XCTAssertTrue(fx.vms.isLinked("dev", hostPid: getpid()), "the link in use stays")
        XCTAssertEqual(told.locked { notes }, [])
    }

    /// A host whose socket closed but which still holds its lock has not stopped: nothing is told.
    func testASocketClosedByAHostThatLivesOnIsNotAStop() throws {
        _ = try fx.vms.link("dev")
        let accepted = Date().addingTimeInterval(10)
        while host.clientCount == 0 && Date() < accepted { usleep(10_000) }
        host.dropClients()
        let deadline = Date().addingTimeInterval(10)
        while fx.vms.isLinked("dev", hostPid: getpid()) && Date() < deadline { usleep(20_000) }
        XCTAssertFalse(fx.vms.isLinked("dev", hostPid: getpid()), "the link saw its socket close")
        usleep(3_500_000)  // past the 3 s serve waits for a lock to be freed
        XCTAssertEqual(told.locked { notes }, [], "the host still holds its lock: the VM did not stop")
    }
}
