import Foundation
import XCTest
@testable import HelperCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Forwards in config.json and on QEMU's command line, port owners, SSH banners and the proxy.
final class GuestAccessTests: XCTestCase {
    func config() -> VMConfig {
        VMConfig(os: .linux, arch: "x86_64", cpuCount: 1, memoryBytes: 256 << 20, diskBytes: 1 << 30,
                 macAddress: "02:11:22:33:44:55", boot: .kernel(kernel: "/k", initrd: nil, cmdline: "console=ttyS0"), createdAt: "")
    }

    func testConfigKeepsSSHPortAndForwardsThroughARewrite() throws {
        var c = config()
        XCTAssertNil(c.sshPort)
        c.sshPort = 40022
        c.forwards = [PortForward(hostPort: 8080, guestPort: 80), PortForward(proto: .udp, hostAddress: "0.0.0.0", hostPort: 5353, guestPort: 53)]
        let text = String(decoding: try c.encoded(), as: UTF8.self)
        XCTAssertTrue(text.contains("\"sshPort\" : 40022"), text)
        XCTAssertTrue(text.contains("\"proto\" : \"udp\""), text)
        let back = try JSONDecoder().decode(VMConfig.self, from: try c.encoded())
        XCTAssertEqual(back.sshPort, 40022)
        XCTAssertEqual(back.forwards, c.forwards)
        var cleared = back
        cleared.forwards = []
        XCTAssertFalse(String(decoding: try cleared.encoded(), as: UTF8.self).contains("forwards"))
    }

    func testProvisionFactsAreReadFromTheConfig() throws {
        var c = config()
        XCTAssertNil(c.provisionFacts.user)
        c.extra["provision"] = try json(#"{"user":"alice","sshKeyFiles":["/home/alice/.ssh/id_ed25519.pub"],"sshAuthorizedKeys":[],"instanceId":"i-1"}"#)
        XCTAssertEqual(c.provisionFacts.user, "alice")
        XCTAssertEqual(c.provisionFacts.keyFiles, ["/home/alice/.ssh/id_ed25519.pub"])
    }

    func testQEMUNetdevCarriesSSHAndForwardsAndTheMachineMayReboot() throws {
        var c = config()
        c.forwards = [PortForward(hostPort: 8080, guestPort: 80), PortForward(proto: .udp, hostAddress: "0.0.0.0", hostPort: 5353, guestPort: 53)]
        let launch = QEMULaunch(config: c, bundle: VMBundle(name: "dev", url: URL(fileURLWithPath: "/tmp/vms/dev")),
                                accelerator: "tcg", sshPort: 40022, firmware: nil)
        let args = try launch.arguments()
        XCTAssertFalse(args.contains("-no-reboot"), "a guest reboot must reset the machine, not end qemu")
        let netdev = args[args.firstIndex(of: "-netdev")! + 1]
        XCTAssertEqual(netdev, "user,id=net0,hostfwd=tcp:127.0.0.1:40022-:22,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=udp:0.0.0.0:5353-:53")
    }

    func testMonitorCommandsAndTheirAnswers() {
        let f = PortForward(hostPort: 8080, guestPort: 80)
        XCTAssertEqual(QEMUForwards.addCommand(f), "hostfwd_add net0 tcp:127.0.0.1:8080-:80")
        XCTAssertEqual(QEMUForwards.removeCommand(f), "hostfwd_remove net0 tcp:127.0.0.1:8080")
        XCTAssertNil(QEMUForwards.failure(of: "hostfwd_add net0 x", output: ""))
        XCTAssertEqual(QEMUForwards.failure(of: "hostfwd_add net0 x", output: "Could not set up host forwarding rule 'x'\r\n"),
                       "Could not set up host forwarding rule 'x'")
        XCTAssertNil(QEMUForwards.failure(of: "hostfwd_remove net0 x", output: "host forwarding rule for tcp:127.0.0.1:8080 removed\r\n"))
        XCTAssertNotNil(QEMUForwards.failure(of: "hostfwd_remove net0 x", output: "host forwarding rule for tcp:127.0.0.1:8080 not found\r\n"))
    }

    func testForwardValidation() {
        XCTAssertNoThrow(try PortForward(hostPort: 1, guestPort: 65535).validate())
        XCTAssertThrowsError(try PortForward(hostPort: 0, guestPort: 80).validate())
        XCTAssertThrowsError(try PortForward(hostPort: 8080, guestPort: 70000).validate())
        XCTAssertThrowsError(try PortForward(hostAddress: "localhost", hostPort: 8080, guestPort: 80).validate()) { error in
            XCTAssertTrue((error as? HelperError)?.message.contains("not an IPv4 address") ?? false)
        }
        XCTAssertThrowsError(try PortForward(hostAddress: "1.2.3.256", hostPort: 8080, guestPort: 80).validate())
    }

    func testSocketInodesFromProcNetTables() {
        let table = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:9C56 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0
           1: 0100007F:9C56 0100007F:D4F2 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 20 4 30 10 -1
           2: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 99 1 0000000000000000 100 0 0 10 0
        """
        XCTAssertEqual(LoopbackPorts.socketInodes(table: table, port: 0x9C56, listeningOnly: true), ["4242"])
        XCTAssertEqual(LoopbackPorts.socketInodes(table: table, port: 0x9C56, listeningOnly: false), ["4242", "4343"])
        XCTAssertEqual(LoopbackPorts.socketInodes(table: table, port: 22, listeningOnly: true), ["99"])
    }

    func testATakenPortIsExplainedWithItsOwner() throws {
        let (fd, port) = try listenOnLoopback()
        defer { close(fd) }
        XCTAssertEqual(LoopbackPorts.bindError(address: "127.0.0.1", port: port), EADDRINUSE)
        #if os(Linux)
        let owner = LoopbackPorts.owner(port: port)
        XCTAssertTrue(owner.contains("(pid \(getpid())"), owner)
        #endif
        XCTAssertThrowsError(try LoopbackPorts.checkAvailable(vm: "dev", sshPort: port, forwards: [])) { error in
            let text = (error as? HelperError)?.message ?? ""
            XCTAssertTrue(text.contains("its SSH port 127.0.0.1:\(port) is in use by"), text)
            XCTAssertTrue(text.contains("vmtui configure dev --ssh-port PORT"), text)
        }
        XCTAssertThrowsError(try LoopbackPorts.checkAvailable(vm: "dev", sshPort: nil, forwards: [PortForward(hostPort: port, guestPort: 80)])) { error in
            XCTAssertTrue((error as? HelperError)?.message.contains("--remove-forward \(port)") ?? false)
        }
        close(fd)
        XCTAssertNoThrow(try LoopbackPorts.checkAvailable(vm: "dev", sshPort: port, forwards: []))
    }

    func testACloneGetsItsOwnSSHPortAndNoForwardsAndARestoreKeepsTheVMs() throws {
        let home = try temporaryFolder("access", create: false)
        let f = SnapshotFixture(home: home)
        let source = try f.makeVM("web")
        var c = try source.loadConfig()
        c.sshPort = 40022
        c.forwards = [PortForward(hostPort: 8080, guestPort: 80)]
        try source.saveConfig(c)
        let (_, clone, _) = try SnapshotStore.cloneVM(f.store, source: source, target: "web2")
        XCTAssertNotNil(clone.sshPort)
        XCTAssertNotEqual(clone.sshPort, 40022)
        XCTAssertEqual(clone.forwards, [])
        XCTAssertEqual(try f.store.existing("web2").loadConfig().sshPort, clone.sshPort)

        _ = try SnapshotStore.create(source, name: "s1", note: nil)
        c.sshPort = 40100
        c.forwards = [PortForward(hostPort: 9090, guestPort: 90)]
        try source.saveConfig(c)
        _ = try SnapshotStore.restore(source, name: "s1")
        let restored = try source.loadConfig()
        XCTAssertEqual(restored.sshPort, 40100, "the VM's ports, not the snapshot's")
        XCTAssertEqual(restored.forwards, [PortForward(hostPort: 9090, guestPort: 90)])
    }

    // MARK: SSH banner

    func testBannerSentLateIsReady() throws {
        let server = try LoopbackServer { conn in
            usleep(700_000)
            _ = "SSH-2.0-OpenSSH_9.2p1 Debian\r\n".withCString { write(conn, $0, strlen($0)) }
            usleep(300_000)
        }
        defer { server.stop() }
        XCTAssertTrue(SSHBanner.answers(host: "127.0.0.1", port: server.port, timeout: 5))
    }

    func testAPortThatNeverSpeaksIsNotReady() throws {
        let server = try LoopbackServer { _ in usleep(2_000_000) }
        defer { server.stop() }
        let start = Date()
        XCTAssertFalse(SSHBanner.answers(host: "127.0.0.1", port: server.port, timeout: 0.8))
        XCTAssertLessThan(Date().timeIntervalSince(start), 5, "the try must end at its deadline")
    }

    func testAPortThatSpeaksSomethingElseOrClosesIsNotReady() throws {
        let http = try LoopbackServer { conn in _ = "HTTP/1.0 400 Bad\r\n\r\n".withCString { write(conn, $0, strlen($0)) } }
        defer { http.stop() }
        XCTAssertFalse(SSHBanner.answers(host: "127.0.0.1", port: http.port, timeout: 2))
        let closing = try LoopbackServer { _ in }
        defer { closing.stop() }
        XCTAssertFalse(SSHBanner.answers(host: "127.0.0.1", port: closing.port, timeout: 2))
        let (fd, port) = try listenOnLoopback()
        close(fd)  // nothing listens now
        XCTAssertFalse(SSHBanner.answers(host: "127.0.0.1", port: port, timeout: 2))
    }

    func testProbeRetriesUntilTheServerSpeaksAndStartsOverOnReset() throws {
        let speak = Locked(false)
        let server = try LoopbackServer { conn in
            if speak.current { _ = "SSH-2.0-test\r\n".withCString { write(conn, $0, strlen($0)) } }
        }
        defer { server.stop() }
        let changes = Locked<[Bool]>([])
        let probe = SSHReadinessProbe(attemptTimeout: 1, maxDelay: 0.2, endpoint: { ("127.0.0.1", server.port) },
                                      onChange: { ready in changes.update { $0.append(ready) } })
        probe.start()
        XCTAssertTrue(eventually(timeout: 3) { server.connections >= 2 }, "it keeps trying while the port says nothing")
        XCTAssertFalse(probe.isReady)
        speak.set(true)
        XCTAssertTrue(eventually(timeout: 10) { probe.isReady })
        XCTAssertEqual(changes.current, [true])
        probe.start()  // a guest reboot
        XCTAssertTrue(eventually(timeout: 10) { changes.current == [true, false, true] }, "\(changes.current)")
        probe.cancel()
    }

    // MARK: Proxy

    func testTCPProxyRelaysBothWaysAndPassesTheHalfClose() throws {
        let echo = try LoopbackServer { conn in
            var buf = [UInt8](repeating: 0, count: 1024)
            var got: [UInt8] = []
            while true {
                let n = read(conn, &buf, buf.count)
                if n <= 0 { break }
                got += buf[0..<n]
            }
            let reply = Array("echo:".utf8) + got
            _ = reply.withUnsafeBytes { write(conn, $0.baseAddress, $0.count) }
        }
        defer { echo.stop() }
        let hostPort = try freePort()
        let proxy = ForwardProxy(forward: PortForward(hostPort: hostPort, guestPort: echo.port), target: { "127.0.0.1" })
        try proxy.start()
        defer { proxy.stop() }
        XCTAssertThrowsError(try ForwardProxy(forward: PortForward(hostPort: hostPort, guestPort: 1), target: { nil }).start()) { error in
            XCTAssertTrue((error as? HelperError)?.message.contains("in use") ?? false)
        }
        for round in 0..<2 {
            guard let fd = SSHBanner.connect(host: "127.0.0.1", port: hostPort, timeout: 2) else { return XCTFail("no connection") }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            let payload = Array("hello \(round) ".utf8) + [UInt8](repeating: 0x41, count: 100_000)
            XCTAssertEqual(Posix.writeAll(fd, Data(payload)), 0)
            shutdown(fd, Int32(SHUT_WR))
            var got: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 8192)
            while true {
                let n = read(fd, &buf, buf.count)
                if n <= 0 { break }
                got += buf[0..<n]
            }
            close(fd)
            XCTAssertEqual(got, Array("echo:".utf8) + payload)
        }
    }

    func testUDPProxyRelaysDatagramsAndReplies() throws {
        let guest = try Sockets.bound(.udp, address: "127.0.0.1", port: 0)
        defer { close(guest) }
        let guestPort = boundPort(guest)
        Thread.detachNewThread {
            var buf = [UInt8](repeating: 0, count: 2048)
            var from = sockaddr_storage()
            var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
            for _ in 0..<2 {
                let n = withUnsafeMutablePointer(to: &from) { p in p.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(guest, &buf, buf.count, 0, $0, &len) } }
                if n <= 0 { return }
                let reply = Array("re:".utf8) + buf[0..<n]
                _ = withUnsafePointer(to: &from) { p in p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(guest, reply, reply.count, 0, $0, len) } }
            }
        }
        let hostPort = try freePort(.udp)
        let proxy = ForwardProxy(forward: PortForward(proto: .udp, hostPort: hostPort, guestPort: guestPort), target: { "127.0.0.1" })
        try proxy.start()
        defer { proxy.stop() }
        let client = try Sockets.connectedUDP("127.0.0.1", port: hostPort)
        defer { close(client) }
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        for word in ["one", "two"] {
            _ = send(client, word, word.utf8.count, 0)
            var buf = [UInt8](repeating: 0, count: 2048)
            let n = recv(client, &buf, buf.count, 0)
            XCTAssertGreaterThan(n, 0)
            XCTAssertEqual(String(decoding: buf[0..<max(0, n)], as: UTF8.self), "re:\(word)")
        }
    }

    // MARK: Helpers

    func listenOnLoopback() throws -> (Int32, Int) {
        let fd = try Sockets.bound(.tcp, address: "127.0.0.1", port: 0)
        return (fd, boundPort(fd))
    }

    func freePort(_ proto: PortForward.Proto = .tcp) throws -> Int {
        let fd = try Sockets.bound(proto, address: "127.0.0.1", port: 0)
        defer { close(fd) }
        return boundPort(fd)
    }

    func boundPort(_ fd: Int32) -> Int {
        var addr = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { p in p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

/// A TCP server on a loopback port that runs `handle` on each connection, then closes it.
final class LoopbackServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let count: Locked<Int>
    var connections: Int { count.current }

    init(handle: @escaping @Sendable (Int32) -> Void) throws {
        let count = Locked(0)
        self.count = count
        let listener = try Sockets.bound(.tcp, address: "127.0.0.1", port: 0)
        fd = listener
        var addr = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { p in p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread {
            while true {
                let conn = accept(listener, nil, nil)
                if conn < 0 { return }
                count.update { $0 += 1 }
                Thread.detachNewThread { handle(conn); close(conn) }
            }
        }
    }

    func stop() { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
}
