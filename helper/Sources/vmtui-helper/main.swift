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
