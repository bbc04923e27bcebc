import Foundation

/// `vmtui-helper serve`: JSON-RPC on a pair of descriptors until EOF or `exit`.
public enum Serve {
    /// The method table of a serve session. Features add their `register...Methods` call here.
    public static func makeRouter(session: ServeSession, vms: VMService? = nil,
                                  environment: [String: String] = ProcessInfo.processInfo.environment) -> Router {
        let router = Router()
        router.registerLifecycleMethods(session: session)
        if let vms { router.registerStatsMethods(StatsService(vms: vms)) }
        router.registerHostMethods(environment: environment)
        if let vms { router.registerVMMethods(vms) }
        router.registerIpswMethods(home: BundleStore.defaultHome(environment: environment), environment: environment)
        return router
    }

    /// Serves until the session ends and returns the exit status: the `exit` notification's
    /// (0 after `shutdown`, else 1), 0 on end of input, 1 when the stream broke.
    public static func run(input: Int32, output: Int32) -> Int32 {
        let session = ServeSession()
        let connection = Connection(input: input, output: output, name: "stdio")
        let vms = VMService(store: BundleStore(home: BundleStore.defaultHome()))
        SnapshotStore.cleanLeftovers(vms.store)
        vms.setNotifier { method, params in connection.notify(method, params) }
        // Reattach to hosts started by earlier sessions, off the path of `initialize`.
        Thread.detachNewThread { vms.reattach() }
        connection.start(router: makeRouter(session: session, vms: vms)) { reason in
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
