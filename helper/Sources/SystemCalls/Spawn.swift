#if DARWIN_CHECK
// The Linux check's stand-in Darwin must not reach HelperCore, where Glibc is loaded too.
@_implementationOnly import Darwin
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// posix_spawn of a process in a new session (it outlives its parent's terminal), with stdin from
/// /dev/null, stdout on `stdoutFD`, stderr on `stderrFD`, SIGPIPE and SIGINT at their defaults and no signal
/// blocked. Returns the pid, or the error number of posix_spawn.
public enum SpawnCalls {
    public static func detached(_ exe: String, _ args: [String], stdoutFD: Int32, stderrFD: Int32) -> Result<Int32, SpawnFailure> {
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t?
        var attr: posix_spawnattr_t?
        let setsid = Int16(POSIX_SPAWN_SETSID)
        #else
        var actions = posix_spawn_file_actions_t()
        var attr = posix_spawnattr_t()
        let setsid = Int16(0x80)  // POSIX_SPAWN_SETSID (glibc 2.26+; not exported to Swift)
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attr)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attr)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutFD, 1)
        posix_spawn_file_actions_adddup2(&actions, stderrFD, 2)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGINT)  // serve ignores it; what it starts must not inherit that
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setsigmask(&attr, &emptyMask)
        posix_spawnattr_setflags(&attr, setsid | Int16(POSIX_SPAWN_SETSIGDEF) | Int16(POSIX_SPAWN_SETSIGMASK))
        let argv: [UnsafeMutablePointer<CChar>?] = ([exe] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        #if canImport(Darwin)
        let env = _NSGetEnviron().pointee  // Darwin's headers do not declare `environ`
        #else
        let env = environ
        #endif
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, exe, &actions, &attr, argv, env)
        return rc == 0 ? .success(pid) : .failure(SpawnFailure(errno: rc))
    }
}

public struct SpawnFailure: Error, Equatable, Sendable {
    public var errno: Int32
}
