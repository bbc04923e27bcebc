import Foundation

/// `vmtui-helper serve`: JSON-RPC on a pair of descriptors until EOF or `exit`.
public enum Serve {
    /// The method table of a serve session: each service registers its own methods
    /// (`register(on:)` beside it). A new service is added to this list.
    public static func makeRouter(session: ServeSession, vms: VMService? = nil, stats: StatsService? = nil,
                                  environment: [String: String] = ProcessInfo.processInfo.environment) -> Router {
        var services: [MethodService] = [session, HostInfoService(environment: environment),
                                         IpswService(home: BundleStore.defaultHome(environment: environment), environment: environment)]
        if let vms { services += [vms, stats ?? StatsService(vms: vms)] }
        let router = Router()
        for service in services { service.register(on: router) }
        return router
    }

    /// Methods that read no VM bundle, answered without waiting for the store watcher's first look.
    static let answeredBeforeFirstLook: Set<String> = [InitializeRequest.method, HostInfoRequest.method, ShutdownRequest.method]

    /// Every other request waits for `firstLook` before it runs.
    static func hold(_ router: Router, until firstLook: Gate) {
        router.setGate { method in
            if !answeredBeforeFirstLook.contains(method) { await firstLook.wait() }
        }
    }

    /// Serves until the session ends and returns the exit status: the `exit` notification's
    /// (0 after `shutdown`, else 1), 0 on end of input, 1 when the stream broke.
    public static func run(input: Int32, output: Int32) -> Int32 {
        // Ctrl-C in a terminal reaches the client's whole process group, this helper too. The client
        // cancels its requests through the protocol (a copy then removes what it made and resumes a VM
        // it paused) and the session ends with its input, so the signal itself is ignored.
        _ = signal(SIGINT, SIG_IGN)
        let session = ServeSession()
        let connection = Connection(input: input, output: output, name: "stdio")
        let vms = VMService(store: BundleStore(home: BundleStore.defaultHome()))
        SnapshotStore.cleanLeftovers(vms.store)
        let notifier = ClientNotifier { method, params in connection.notify(method, params) }
        vms.setNotifier { method, params in notifier.forward(method, params) }
        let stats = StatsService(vms: vms)
        // Watches the store from before the first answer about VMs, so the client misses no change;
        // links to hosts started by earlier sessions and by others as they appear. The first look
        // runs while initialize and host/info are answered (they read no bundle).
        let watcher = StoreWatcher(vms: vms, notifier: notifier, trigger: StoreTriggers.make(vms.store, environment: ProcessInfo.processInfo.environment),
                                   onChange: { stats.sampleSoon() })
        watcher.start()
        let router = makeRouter(session: session, vms: vms, stats: stats)
        hold(router, until: watcher.firstLook)
        // The client is still loading its code as serve starts (vmtui spawns the helper first).
        let warm = Thread { vms.warmListMemo() }
        warm.name = "vmtui-list-warm"
        warm.start()
        connection.start(router: router) { reason in
            switch reason {
            case .endOfInput, .closedLocally:
                session.end(status: 0)
            case .framingError, .readFailed, .writeFailed:
                Log.error("the session ended because \(reason).")
                session.end(status: 1)
            }
        }
        return session.waitForEnd()
    }
}
