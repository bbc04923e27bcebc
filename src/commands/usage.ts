import { DEFAULT_STOP_TIMEOUT_MS } from '../rpc/protocol.js';
import { VMTUI_VERSION } from '../version.js';
import { ExitCode } from './exitCodes.js';

export const usage = `vmtui ${VMTUI_VERSION} — install, boot, snapshot and monitor VMs from a terminal.

Usage:
  vmtui                         open the terminal UI
  vmtui list [--json]           list VMs with state, CPUs, memory, disk and SSH address
  vmtui get NAME [--json]       show one VM in detail
  vmtui create NAME (--image PATH|URL [--sha256 HEX] | --kernel PATH [--initrd PATH] [--cmdline STR]
               | --iso PATH | --ipsw PATH|URL|latest) [--cpus N] [--memory SIZE] [--disk SIZE] [--sparse]
               [--display WxH | --no-display] [--vnc socket|tcp]
               [--forward [ADDR:]HOSTPORT:GUESTPORT[/udp]]… [--share HOSTPATH[:TAG][:ro]]…
               [--rosetta] [--nested] [--keyboard mac|usb] [--json]
                                create a stopped VM; sizes as in 512M, 2G, 20GiB (powers of 1024);
                                --image makes the disk from a raw or qcow2 image (grown to --disk) and
                                boots it with UEFI; --ipsw (macOS) downloads, creates and installs
  vmtui install NAME [--json]   install macOS into a VM made from an IPSW (again, after a stop); Macs only
  vmtui start NAME [--wait running|ip|ssh] [--timeout SECONDS] [--json]
                                start a VM; it keeps running after vmtui exits. --wait ip: until an
                                address is known (QEMU: at once, the SSH port forward), not that
                                anything answers there; --wait ssh: until the guest's SSH server answers
  vmtui stop NAME [--force] [--timeout SECONDS] [--json]
                                power button, wait (default ${DEFAULT_STOP_TIMEOUT_MS / 1000} s), then quit; prints each step
  vmtui pause NAME [--json]     pause a running VM
  vmtui resume NAME [--json]    resume a paused VM
  vmtui console NAME            attach to the serial console; Ctrl-] detaches, the VM keeps running
  vmtui screenshot NAME [FILE.png]
                                save the guest's screen as PNG (to stdout when no FILE and not a terminal)
  vmtui vnc NAME [--json]       where the guest's screen is served over VNC, the ssh -L line for a laptop
  vmtui ip NAME [--wait] [--timeout SECONDS] [--json]
                                the guest's address, which source gave it and how old it is; how to SSH
  vmtui ssh NAME [--timeout SECONDS] [-- COMMAND…]
                                log in with the system ssh (the VM's port, user, key and known_hosts)
                                once its SSH answers; with COMMAND, run it and exit with its status
  vmtui ssh-config NAME [--json]
                                a Host block for ~/.ssh/config (the SSH port is kept for the VM's life)
  vmtui stats [--json] [--interval MS] [--count N]
                                live CPU, memory and disk of the running VMs and the host
                                (--json: one JSON line per sample); Ctrl-C ends it
  vmtui delete NAME [--yes]     delete a stopped VM and its disk (asks for the name unless --yes)
  vmtui rename NAME NEWNAME [--json]
  vmtui configure NAME [--cpus N] [--memory SIZE] [--disk SIZE] [--detach-iso] [--ssh-port N]
               [--forward [ADDR:]HOSTPORT:GUESTPORT[/udp]]… [--remove-forward HOSTPORT[/udp]]…
               [--kernel PATH] [--initrd PATH | --no-initrd] [--cmdline STR] [--display WxH | --no-display]
               [--vnc socket|tcp] [--share HOSTPATH[:TAG][:ro]]… [--unshare TAG]… [--[no-]rosetta] [--[no-]nested]
               [--keyboard mac|usb] [--json]
                                forwards change at once on a running VM too
  vmtui clone SOURCE TARGET [--json]
                                copy-on-write clone that can run beside its source
  vmtui snapshot create VM NAME [--note TEXT] [--json]
  vmtui snapshot list VM [--json]
  vmtui snapshot restore VM NAME [--json]
  vmtui snapshot delete VM NAME
                                snapshots by clone: a tree with notes and sizes; restore needs a stopped VM
  vmtui ipsw latest [--json]    the newest macOS restore image this Mac supports (Apple silicon)
  vmtui ipsw download URL [--sha256 HEX] [--json]
                                fetch a restore image into the cache; resumes, checks its SHA-256
  vmtui ipsw list [--json]
  vmtui ipsw delete NAME        cached images and partial downloads
  vmtui host [--json]           print this host's facts (--json: JSON for scripts)
  vmtui rosetta install [--json]
                                install Rosetta for Linux guests (Apple silicon Macs)
  vmtui COMMAND --help          more about one command
  vmtui --version               print the version
  vmtui --help                  print this help

Exit status:
  ${ExitCode.ok}  it worked
  ${ExitCode.failure}  it failed (the reason is on stderr)
  ${ExitCode.usage}  the command was asked wrongly (unknown option, bad size, missing --yes, bad name)
  ${ExitCode.noSuchVm}  there is no VM with that name
  ${ExitCode.wrongState}  the VM is in the wrong state for that (already running, stopped, …)
  ${ExitCode.helper}  the vmtui helper is missing, does not match, or died

Environment:
  VMTUI_HOME     where VMs, caches and logs live (default ~/.vmtui)
  VMTUI_HELPER   path of the vmtui-helper executable to use
  NO_COLOR       set to turn colors off
`;
