#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HelperCore

// Protect the transport: keep the real stdout for frames only, and point fd 1 at stderr so a stray
// print cannot corrupt the stream.
let transport = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)
if transport < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0 {
    Log.error("could not set up the output streams; run vmtui-helper with open stdout and stderr.")
    exit(1)
}

// Everything the helper and its hosts create is this user's alone (bundles 0700, files 0600),
// also when started with umask 000; explicit modes narrow it further where needed.
umask(0o077)

let usage = """
usage: vmtui-helper <command>

commands:
  serve       speak JSON-RPC (Content-Length framed) on stdin/stdout until end of input
  host DIR    run the VM in bundle DIR until it stops (started detached by 'serve');
              with --install, install macOS into it from its restore image instead
  --version   print the helper version
  help        show this text

"""

/// Writes to the real stdout (fd 1 now points at stderr); for the non-serve commands only.
func writeOut(_ text: String) {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { write(transport, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { exit(1) }
        offset += n
    }
}

func writeErr(_ text: String) {
    fputs(text, stderr)
}

/// `fuzz serve|host [--seed N] [--count N]`: prints one line of counts; status 1 on a hang or
/// memory that grew past 256 MiB (a crash ends the process, which the script reports).
func runFuzz(_ args: [String]) -> Int32 {
    guard let target = args.first.flatMap(FrameFuzzer.Target.init(rawValue:)) else {
        writeErr("vmtui-helper fuzz: give the target, 'serve' or 'host', then optionally --seed N --count N.\n")
        return 2
    }
    func option(_ name: String, _ fallback: UInt64) -> UInt64 {
        guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = UInt64(args[i + 1]) else { return fallback }
        return v
    }
    let seed = option("--seed", 1), count = Int(option("--count", 100_000))
    do {
        let c = try FrameFuzzer.run(target: target, seed: seed, count: count) { done in
            if done % 10_000 == 0 { writeErr("fuzz \(target.rawValue): \(done) frames\n") }
        }
        let growth = c.maxRSS > c.startRSS ? c.maxRSS - c.startRSS : 0
        let bounded = growth < 256 << 20
        writeOut("fuzz \(target.rawValue): seed \(seed), frames \(c.frames) (valid \(c.valid), mutated \(c.mutated), random \(c.random)), "
            + "answered \(c.answered), closed \(c.closedByPeer), crashes 0, hangs \(c.hangs)"
            + (c.firstHang.map { " (first at frame \($0))" } ?? "")
            + ", memory \(c.startRSS >> 20) MiB at start, \(c.maxRSS >> 20) MiB at most (\(bounded ? "bounded" : "grew past 256 MiB"))\n")
        return c.hangs == 0 && bounded ? 0 : 1
    } catch {
        writeErr("vmtui-helper fuzz: \((error as? HelperError)?.message ?? "\(error)")\n")
        return 1
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "serve":
    exit(Serve.run(input: STDIN_FILENO, output: transport))
case "host":
    let install = arguments.count == 3 && arguments[2] == "--install"
    guard arguments.count == 2 || install else {
        writeErr("vmtui-helper: 'host' takes the VM bundle folder, and optionally --install.\n\n" + usage)
        exit(2)
    }
    exit(VMHost.run(bundlePath: arguments[1], readyFD: transport, makeBackend: install ? BackendFactory.installer : BackendFactory.backend))
case "clone-file":  // hidden: scripts/bench/clone.sh
    let run = CloneFile.command(Array(arguments.dropFirst()))
    writeOut(run.output)
    writeErr(run.error)
    exit(run.status)
case "fuzz":  // hidden: scripts/fuzz.sh
    exit(runFuzz(Array(arguments.dropFirst())))
case "convert-image":  // hidden: scripts/bench/qcow2-convert.sh, tests
    let run = ConvertImageCommand.run(Array(arguments.dropFirst()))
    writeOut(run.output)
    writeErr(run.error)
    exit(run.status)
case "--version", "version":
    writeOut("\(HelperBuild.version)\n")
    exit(0)
case "help", "--help", "-h":
    writeErr(usage)
    exit(0)
case nil:
    writeErr(usage)
    exit(2)
case let command?:
    writeErr("vmtui-helper: '\(command)' is not a command; run 'vmtui-helper help' to see the commands.\n\n" + usage)
    exit(2)
}
