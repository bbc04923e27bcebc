#!/usr/bin/env bash
# End-to-end check of the Virtualization.framework path on an Apple silicon Mac: build and sign the
# helper, check the helper's entitlement, look up the latest restore image, create a Linux guest,
# start it, wait for it to run and to print on its console, clone it, stop it. Prints PASS / FAIL /
# SKIP per step and ends with a report to paste into an issue; exits with the number of failures.
#
#   bash scripts/mac-smoke-test.sh --iso ~/Downloads/alpine-virt-3.21.0-aarch64.iso
#   bash scripts/mac-smoke-test.sh --kernel vmlinuz --initrd initrd.gz [--cmdline "console=hvc0"]
#   add --image debian-13-genericcloud-arm64.qcow2 (a cloud image with cloud-init and sshd): a second
#   guest is made from it with a throwaway key and must answer `vmtui ssh NAME -- cat /etc/hostname`
#   with its own name.
#
# Options: --keep (leave the VMs and VMTUI_HOME behind), --skip-build (use the helper that is there,
# or $VMTUI_HELPER), --timeout SECONDS (each wait; default 120), --rpc (JSON-RPC only, no CLI).
# It works in a VMTUI_HOME of its own (a new temporary folder, or $VMTUI_SMOKE_HOME), so your VMs
# are never touched. It drives vmtui's CLI (node dist/src/cli.js) where that has the subcommand, and
# talks JSON-RPC to `vmtui-helper serve` otherwise.
# A kernel given with --kernel must have the virtio console (hvc0); an ISO's boot loader decides its
# own console, so "console output" can fail with an ISO whose kernel does not write to hvc0.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

iso="" kernel="" initrd="" image="" cmdline="console=hvc0" keep=0 skip_build=0 timeout=120 allow_linux=0 rpc_only=0
usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --iso) iso="${2:-}"; shift 2 ;;
    --kernel) kernel="${2:-}"; shift 2 ;;
    --initrd) initrd="${2:-}"; shift 2 ;;
    --image) image="${2:-}"; shift 2 ;;
    --cmdline) cmdline="${2:-}"; shift 2 ;;
    --keep) keep=1; shift ;;
    --rpc) rpc_only=1; shift ;;
    --skip-build) skip_build=1; shift ;;
    --timeout) timeout="${2:-}"; shift 2 ;;
    --allow-linux) allow_linux=1; shift ;;  # checks this script against the QEMU backend
    -h|--help) usage; exit 0 ;;
    *) echo "mac-smoke-test: '$1' is not an option; run with --help to see them." >&2; exit 2 ;;
  esac
done
if { [ -z "$iso" ] && [ -z "$kernel" ]; } || { [ -n "$iso" ] && [ -n "$kernel" ]; }; then
  echo "mac-smoke-test: give either --iso PATH or --kernel PATH [--initrd PATH]; run with --help for an example." >&2
  exit 2
fi
case "$timeout" in ''|*[!0-9]*) echo "mac-smoke-test: --timeout takes whole seconds, not '$timeout'." >&2; exit 2 ;; esac
for f in "$iso" "$kernel" "$initrd" "$image"; do
  if [ -n "$f" ] && [ ! -f "$f" ]; then echo "mac-smoke-test: $f does not exist; check the path." >&2; exit 2; fi
done
abs() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd -P)" "$(basename "$1")"); }
[ -n "$iso" ] && iso="$(abs "$iso")"
[ -n "$kernel" ] && kernel="$(abs "$kernel")"
[ -n "$initrd" ] && initrd="$(abs "$initrd")"
[ -n "$image" ] && image="$(abs "$image")"

if [ "$(uname -s)" != Darwin ] || [ "$(uname -m)" != arm64 ]; then
  if [ "$allow_linux" != 1 ]; then
    echo "mac-smoke-test: this checks Virtualization.framework, which needs an Apple silicon Mac; this is $(uname -sm)." >&2
    exit 2
  fi
fi

failures=0
step() {
  printf '%-5s %-16s %s\n' "$1" "$2" "${3:-}" | tee -a "$work/steps.log"
  [ "$1" = FAIL ] && failures=$((failures + 1))
  return 0
}

# Node runs the CLI and the small JSON-RPC client below.
. "$repo/scripts/toolchain/env.sh"
nodebin="$(bash "$repo/scripts/toolchain/setup-node.sh")" || { echo "mac-smoke-test: Node 22 or newer is needed; install it and run again." >&2; exit 2; }
[ -n "$nodebin" ] && export PATH="$nodebin:$PATH"

export VMTUI_HOME="${VMTUI_SMOKE_HOME:-$(mktemp -d "${TMPDIR:-/tmp}/vmtui-smoke.XXXXXX")}"
work="$(mktemp -d "${TMPDIR:-/tmp}/vmtui-smoke-work.XXXXXX")"
name="smoke-$$"
clone_name="$name-clone"
cloud_name="$name-cloud"
echo "VMTUI_HOME=$VMTUI_HOME  VM=$name"
created_home=0
case "$VMTUI_HOME" in "${TMPDIR:-/tmp}"/vmtui-smoke.*) created_home=1 ;; esac

# Stops and deletes what this run made (unless --keep); keeps the logs when something failed.
cleanup() {
  if [ "$keep" = 1 ]; then echo "kept: VMTUI_HOME=$VMTUI_HOME, logs in $work"; return; fi
  if [ -x "${VMTUI_HELPER:-}" ] && [ -f "$work/rpc.mjs" ]; then
    for vm in "$cloud_name" "$clone_name" "$name"; do
      [ -d "$VMTUI_HOME/vms/$vm" ] || continue
      rpc vm/stop "{\"name\":\"$vm\",\"force\":true}" >/dev/null 2>&1
      rpc vm/delete "{\"name\":\"$vm\"}" >/dev/null 2>&1
    done
  fi
  [ "$created_home" = 1 ] && rm -rf "$VMTUI_HOME"
  if [ "$failures" -eq 0 ]; then rm -rf "$work"; else echo "logs: $work"; fi
}
trap cleanup EXIT

# --- 1. build, 2. sign -----------------------------------------------------------------------
if [ "$skip_build" = 1 ]; then
  step SKIP build "--skip-build given"
elif bash scripts/build-helper.sh release >"$work/build.log" 2>&1; then
  step PASS build "helper/.build/release/vmtui-helper"
else
  step FAIL build "see $work/build.log (last lines below)"; tail -n 15 "$work/build.log"
  exit "$failures"
fi
export VMTUI_HELPER="${VMTUI_HELPER:-$repo/helper/.build/vmtui-helper}"
if [ ! -x "$VMTUI_HELPER" ]; then
  step FAIL helper "no helper at $VMTUI_HELPER; run without --skip-build"
  exit "$failures"
fi

if [ "$(uname -s)" != Darwin ]; then
  step SKIP sign "signing applies to macOS only"
else
  binary="$(readlink "$VMTUI_HELPER" 2>/dev/null || echo "$VMTUI_HELPER")"
  if bash scripts/sign-helper.sh "$binary" >"$work/sign.log" 2>&1 &&
     codesign -d --entitlements - "$binary" 2>/dev/null | grep -q com.apple.security.virtualization; then
    step PASS sign "ad hoc, with com.apple.security.virtualization"
  else
    step FAIL sign "see $work/sign.log"
    exit "$failures"
  fi
fi

# --- the two ways to talk to vmtui -----------------------------------------------------------
cat >"$work/rpc.mjs" <<'JS'
// node rpc.mjs METHOD [JSON params]: one request through `vmtui-helper serve`; prints the result as
// JSON, or "kind: message" on stderr with exit status 1.
import { spawn } from 'node:child_process';
const [method, paramsText] = process.argv.slice(2);
const child = spawn(process.env.VMTUI_HELPER, ['serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
const timer = setTimeout(() => { console.error('timeout: the helper did not answer within 300 s'); child.kill(); process.exit(1); }, 300_000);
let buffer = Buffer.alloc(0);
let nextId = 1;
const pending = new Map();
child.stdout.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const length = Number(/content-length:\s*(\d+)/i.exec(buffer.subarray(0, end).toString())?.[1] ?? NaN);
    if (Number.isNaN(length)) { console.error('protocol: a frame without Content-Length'); process.exit(1); }
    if (buffer.length < end + 4 + length) return;
    const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString());
    buffer = buffer.subarray(end + 4 + length);
    if (message.id != null && pending.has(message.id)) { pending.get(message.id)(message); pending.delete(message.id); }
  }
});
const call = (m, params) => new Promise((resolve) => {
  const id = nextId++;
  const body = JSON.stringify({ jsonrpc: '2.0', id, method: m, params });
  pending.set(id, resolve);
  child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
});
let status = 0;
const init = await call('initialize', { clientName: 'mac-smoke-test', clientVersion: '0', protocolVersion: 1 });
let reply = init;
if (!init.error && method !== 'initialize') reply = await call(method, paramsText ? JSON.parse(paramsText) : undefined);
if (reply.error) {
  console.error(`${reply.error.data?.kind ?? reply.error.code}: ${reply.error.message}`);
  status = 1;
} else {
  process.stdout.write(JSON.stringify(reply.result) + '\n');
}
await call('shutdown');
child.stdin.end();
clearTimeout(timer);
process.exit(status);
JS
rpc() { node "$work/rpc.mjs" "$@"; }
# field KEY[.KEY…] < JSON: one value (objects as JSON); empty when absent or not JSON.
field() { node -e 'let d="";process.stdin.on("data",c=>d+=c).on("end",()=>{let v;try{v=JSON.parse(d)}catch{};for(const k of process.argv[1].split("."))v=v==null?undefined:v[k];process.stdout.write(v==null?"":typeof v==="object"?JSON.stringify(v):String(v))})' "$1"; }
# A shell string as a JSON string (paths may hold quotes or backslashes).
js() { node -e 'process.stdout.write(JSON.stringify(process.argv[1]))' "$1"; }

cli=()
if [ "$rpc_only" = 0 ] && [ -f "$repo/dist/src/cli.js" ]; then cli=(node "$repo/dist/src/cli.js"); fi
# Whether `vmtui <command>` exists and its --help lists every option given.
cli_has() {
  [ ${#cli[@]} -gt 0 ] || return 1
  local help
  help="$("${cli[@]}" "$1" --help 2>/dev/null)" || return 1
  shift
  for option in "$@"; do grep -q -- "$option" <<<"$help" || return 1; done
}
if ! init_result="$(rpc initialize 2>"$work/init.err")"; then
  step FAIL helper "$VMTUI_HELPER does not answer initialize: $(tail -n 3 "$work/init.err")"
  exit "$failures"
fi
methods="$(field capabilities.methods <<<"$init_result")"
backend="$(field backend <<<"$init_result")"
if [ "$(uname -s)" = Darwin ] && [ "$backend" != vz ]; then
  step FAIL helper "the helper's backend is '$backend'; on a Mac it must be 'vz'"
  exit "$failures"
fi
step PASS helper "version $(field helperVersion <<<"$init_result"), backend $backend"
has_method() { grep -q "\"$1\"" <<<"$methods"; }

# --- entitlement, restore-image lookup ----------------------------------------------------------
host_info="$(rpc host/info 2>"$work/host.err")"
note="$(field virtualization.note <<<"$host_info")"
if [ "$(uname -s)" != Darwin ]; then
  step SKIP entitled "the entitlement exists on macOS only"
elif grep -q "com.apple.security.virtualization" <<<"$note"; then
  step FAIL entitled "$note"
  exit "$failures"
else
  step PASS entitled "$note"
fi
if [ "$(uname -s)" != Darwin ]; then
  step SKIP ipsw-latest "restore images exist for Apple silicon Macs only"
elif latest="$(rpc ipsw/latest 2>"$work/ipsw.err")"; then
  step PASS ipsw-latest "macOS $(field version <<<"$latest") ($(field build <<<"$latest")), $(field sizeBytes <<<"$latest") bytes"
else
  step FAIL ipsw-latest "$(tail -n 2 "$work/ipsw.err")"
fi

get_vm() {  # prints VMInfo JSON of $1
  if cli_has get --json; then "${cli[@]}" get "$1" --json; else rpc vm/get "{\"name\":\"$1\"}"; fi
}

# --- 3. create -------------------------------------------------------------------------------
if [ -n "$iso" ]; then
  boot="{\"kind\":\"efi\",\"iso\":$(js "$iso")}"
  cli_create=(create "$name" --iso "$iso")
  cli_needs=(--iso)
else
  boot="{\"kind\":\"kernel\",\"kernel\":$(js "$kernel"),\"cmdline\":$(js "$cmdline")"
  cli_create=(create "$name" --kernel "$kernel" --cmdline "$cmdline")
  cli_needs=(--kernel --cmdline)
  if [ -n "$initrd" ]; then
    boot="$boot,\"initrd\":$(js "$initrd")"
    cli_create+=(--initrd "$initrd")
    cli_needs+=(--initrd)
  fi
  boot="$boot}"
fi
if cli_has create "${cli_needs[@]}"; then
  how="vmtui create"
  "${cli[@]}" "${cli_create[@]}" >"$work/create.out" 2>"$work/create.err"
else
  how="vm/create"
  rpc vm/create "{\"name\":\"$name\",\"os\":\"linux\",\"cpuCount\":2,\"memoryBytes\":2147483648,\"diskBytes\":8589934592,\"sparseOvercommit\":true,\"boot\":$boot}" \
    >"$work/create.out" 2>"$work/create.err"
fi
if [ $? -eq 0 ]; then step PASS create "$how"; else step FAIL create "$how: $(tail -n 3 "$work/create.err")"; exit "$failures"; fi

# --- 4. start, 5. running, 6. console --------------------------------------------------------
if cli_has start; then how="vmtui start"; "${cli[@]}" start "$name" >"$work/start.out" 2>"$work/start.err"
else how="vm/start"; rpc vm/start "{\"name\":\"$name\"}" >"$work/start.out" 2>"$work/start.err"; fi
if [ $? -eq 0 ]; then step PASS start "$how"; else step FAIL start "$how: $(tail -n 3 "$work/start.err")"; exit "$failures"; fi

state="" deadline=$((SECONDS + timeout))
while [ $SECONDS -lt $deadline ]; do
  info="$(get_vm "$name" 2>"$work/get.err")"
  state="$(field state <<<"$info" 2>/dev/null)"
  case "$state" in running|error|stopped) break ;; esac
  sleep 1
done
if [ "$state" = running ]; then
  step PASS running "pid $(field hostPid <<<"$info"), guest process $(field vmPid <<<"$info" || true), accelerator $(field accelerator <<<"$info")"
else
  step FAIL running "state '$state' after ${timeout}s: $(field stateReason <<<"$info" 2>/dev/null)"
fi

console_log="$VMTUI_HOME/vms/$name/console.log"
deadline=$((SECONDS + timeout))
while [ $SECONDS -lt $deadline ] && [ ! -s "$console_log" ]; do sleep 1; done
if [ -s "$console_log" ]; then
  step PASS console "$(wc -c <"$console_log" | tr -d ' ') bytes; last: $(tr -d '\r' <"$console_log" | grep -v '^[[:space:]]*$' | tail -n 1 | cut -c1-60)"
else
  step FAIL console "nothing on the virtio console (hvc0) in ${timeout}s; with an ISO its kernel may not use hvc0; try --kernel/--initrd"
fi

# --- 7. clone (while running, or after the stop when vmtui wants it stopped) -----------------
clone_after_stop=0
clone() {
  if cli_has clone; then "${cli[@]}" clone "$name" "$clone_name" >"$work/clone.out" 2>"$work/clone.err"
  else rpc vm/clone "{\"source\":\"$name\",\"target\":\"$clone_name\"}" >"$work/clone.out" 2>"$work/clone.err"; fi
}
check_clone() {
  local original copy
  original="$(get_vm "$name")" copy="$(get_vm "$clone_name" 2>/dev/null)"
  if [ -z "$copy" ]; then step FAIL clone "the clone '$clone_name' is not listed"
  elif [ "$(field macAddress <<<"$copy")" = "$(field macAddress <<<"$original")" ]; then step FAIL clone "the clone kept the MAC address"
  else
    local how
    how="$(field strategy <"$work/clone.out")"
    [ "$(field pausedForClone <"$work/clone.out")" = true ] && how="$how, source paused for it"
    step PASS clone "$clone_name, MAC $(field macAddress <<<"$copy")${how:+ ($how)}"
  fi
}
if ! cli_has clone && ! has_method vm/clone; then
  step SKIP clone "neither 'vmtui clone' nor the helper's vm/clone exists yet"
elif clone; then
  check_clone
elif grep -q '^invalidState' "$work/clone.err"; then
  clone_after_stop=1
else
  step FAIL clone "$(tail -n 3 "$work/clone.err")"
fi

# --- 8. stop ---------------------------------------------------------------------------------
if cli_has stop; then how="vmtui stop"; "${cli[@]}" stop "$name" >"$work/stop.out" 2>"$work/stop.err"
else how="vm/stop"; rpc vm/stop "{\"name\":\"$name\",\"timeoutMs\":30000}" >"$work/stop.out" 2>"$work/stop.err"; fi
stop_status=$?
state="$(get_vm "$name" 2>/dev/null | field state)"
if [ $stop_status -eq 0 ] && [ "$state" = stopped ]; then
  step PASS stop "$how; $(tail -n 1 "$VMTUI_HOME/vms/$name/events.jsonl" 2>/dev/null | cut -c1-80)"
else
  step FAIL stop "$how: state '$state'. $(tail -n 3 "$work/stop.err")"
fi

if [ "$clone_after_stop" = 1 ]; then
  if clone; then check_clone; else step FAIL clone "$(tail -n 3 "$work/clone.err")"; fi
fi

# --- 9. a cloud image, provisioned, reached over SSH ------------------------------------------
if [ -z "$image" ]; then
  step SKIP cloud-image "no --image given"
elif ! cli_has create --image; then
  step SKIP cloud-image "this vmtui has no 'create --image'"
elif ! ssh-keygen -q -t ed25519 -N '' -C vmtui-smoke -f "$work/smoke-key" </dev/null >/dev/null 2>&1; then
  step FAIL cloud-image "ssh-keygen could not make a throwaway key in $work"
elif ! "${cli[@]}" create "$cloud_name" --image "$image" --disk 8G --memory 2G --ssh-key "$work/smoke-key.pub" \
    >"$work/cloud-create.out" 2>"$work/cloud-create.err"; then
  step FAIL cloud-image "create --image: $(tail -n 3 "$work/cloud-create.err")"
elif ! "${cli[@]}" start "$cloud_name" --wait ssh --timeout "$((timeout * 3))" >"$work/cloud-start.out" 2>"$work/cloud-start.err"; then
  step FAIL cloud-image "start --wait ssh: $(tail -n 3 "$work/cloud-start.err")"
else
  hostname_seen="$("${cli[@]}" ssh "$cloud_name" -- cat /etc/hostname 2>"$work/cloud-ssh.err" | tr -d '\r\n')"
  if [ "$hostname_seen" = "$cloud_name" ]; then
    step PASS cloud-image "created from $(basename "$image"), SSH answered as '$hostname_seen'"
  else
    step FAIL cloud-image "vmtui ssh printed '$hostname_seen', not '$cloud_name': $(tail -n 3 "$work/cloud-ssh.err")"
  fi
  "${cli[@]}" stop "$cloud_name" >/dev/null 2>&1
fi

for missing in "screenshot (the Virtualization.framework screen is the private _VZVNCServer, experimental and off by default: try it by hand with 'vmtui configure NAME --display 1280x800 --vnc tcp', start, 'vmtui screenshot NAME shot.png' and 'vmtui vnc NAME')" "suspend/resume (not in vmtui yet)"; do
  step SKIP "${missing%% *}" "${missing#* }"
done

# A report to paste into an issue: the machine, the tools, and every step above.
echo
echo "---- vmtui mac-smoke-test report ----"
if [ "$(uname -s)" = Darwin ]; then
  echo "macOS $(sw_vers -productVersion 2>/dev/null) ($(sw_vers -buildVersion 2>/dev/null)), $(sysctl -n machdep.cpu.brand_string 2>/dev/null)"
  echo "Xcode: $(xcodebuild -version 2>/dev/null | head -n 1 || echo "none (Command Line Tools only?)")"
else
  echo "$(uname -sr) $(uname -m)"
fi
echo "swift: $(swift --version 2>/dev/null | head -n 1)"
echo "node: $(node --version)  vmtui: $(git -C "$repo" describe --always --dirty 2>/dev/null)"
echo "helper: $(field helperVersion <<<"$init_result"), backend ${backend:-unknown}"
cat "$work/steps.log"
if [ "$failures" -eq 0 ]; then echo "PASS: every step passed (backend ${backend:-unknown})."; else echo "FAIL: $failures step(s) failed (backend ${backend:-unknown})."; fi
echo "-------------------------------------"
exit "$failures"
