#!/usr/bin/env python3
"""Drives the vmtui tiny test guest under QEMU and checks what the end-to-end tests rely on.

Called by boot-check.sh:
  boot_check.py --kernel K --initrd I --disk D --workdir W [--accel tcg] -- LAUNCHER...
LAUNCHER is what runs qemu-system-x86_64 (e.g. `bash scripts/toolchain/in-root.sh`, or nothing).

The serial port is a unix socket chardev (server=on,wait=off) with a logfile; QMP is a second unix
socket. Both are plain stream sockets any host process can drive.
"""
import argparse
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

results = []
WORKDIR = []


def step(name, ok, detail=""):
    results.append(ok)
    print(f"{'PASS' if ok else 'FAIL'}: {name}{(' - ' + detail) if detail else ''}", flush=True)
    return ok


def connect_unix(path, timeout):
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class Guest:
    def __init__(self, args, name):
        self.args = args
        self.name = name
        w = args.workdir
        self.serial_path = os.path.join(w, f"{name}.serial.sock")
        self.qmp_path = os.path.join(w, f"{name}.qmp.sock")
        self.serial_log = os.path.join(w, f"{name}.serial.log")
        self.stderr_path = os.path.join(w, f"{name}.qemu.stderr")
        for p in (self.serial_path, self.qmp_path):
            if os.path.exists(p):
                os.unlink(p)
        self.buf = b""
        self.lock = threading.Condition()
        self.closed = False

    def cmdline(self):
        a = self.args
        return [
            "qemu-system-x86_64",
            "-machine", "q35", "-accel", a.accel, "-m", "256", "-smp", "1",
            "-nodefaults", "-nographic", "-no-reboot",
            "-kernel", a.kernel, "-initrd", a.initrd,
            "-append", "console=ttyS0 panic=-1",
            "-drive", f"file={a.disk},format=raw,if=virtio",
            "-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0,romfile=",
            "-chardev", f"socket,id=s0,path={self.serial_path},server=on,wait=off,logfile={self.serial_log}",
            "-serial", "chardev:s0",
            "-qmp", f"unix:{self.qmp_path},server=on,wait=off",
        ]

    def start(self):
        argv = self.args.launcher + self.cmdline()
        if self.name == "boot1":
            print("qemu command: " + " ".join(self.cmdline()), flush=True)
        self.t0 = time.monotonic()
        self.stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.stderr,
                                     stderr=subprocess.STDOUT)
        self.serial = connect_unix(self.serial_path, 30)
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        while True:
            try:
                data = self.serial.recv(4096)
            except OSError:
                data = b""
            with self.lock:
                if not data:
                    self.closed = True
                    self.lock.notify_all()
                    return
                self.buf += data
                self.lock.notify_all()

    def text(self):
        with self.lock:
            return self.buf.decode("utf-8", "replace")

    def mark(self):
        with self.lock:
            return len(self.buf)

    def wait_for(self, pattern, timeout, start=0):
        """Waits for a regex (multiline) in the serial output after byte `start`."""
        rx = re.compile(pattern.encode(), re.M)
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                m = rx.search(self.buf, start)
                if m:
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    return None
                self.lock.wait(min(left, 0.5))

    def type_line(self, line):
        # A terminal sends CR; the guest tty maps it to NL.
        self.serial.sendall(line.encode() + b"\r")

    def qmp(self, *commands):
        s = connect_unix(self.qmp_path, 10)
        f = s.makefile("rwb")
        greeting = json.loads(f.readline())
        assert "QMP" in greeting, greeting
        replies = []
        for cmd in ("qmp_capabilities",) + commands:
            f.write(json.dumps({"execute": cmd}).encode() + b"\r\n")
            f.flush()
            while True:  # skip asynchronous events
                msg = json.loads(f.readline())
                if "return" in msg or "error" in msg:
                    replies.append(msg)
                    break
        s.close()
        return replies

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--disk", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--boot-timeout", type=float, default=90)
    ap.add_argument("launcher", nargs="*")
    args = ap.parse_args()
    WORKDIR.append(args.workdir)

    # --- Boot 1: boot, echo, setmarker, ACPI power button. ---
    g = Guest(args, "boot1")
    try:
        g.start()
        m = g.wait_for(r"^VMTUI-GUEST-BOOTED\r?\n", args.boot_timeout)
        boot1 = time.monotonic() - g.t0
        if not step("boot 1 reaches VMTUI-GUEST-BOOTED", m is not None, f"{boot1:.1f} s"):
            return finish(g)
        m = g.wait_for(r"^VMTUI-DISK-MARKER: (.*?)\r?\n", 10)
        step("blank disk gives an empty marker", m is not None and m.group(1) == b"",
             repr(m.group(1)) if m else "no marker line")
        m = g.wait_for(r"^VMTUI-GUEST-IP: (\S+)\r?\n", 30)
        step("network: DHCP address", m is not None and m.group(1) == b"10.0.2.15",
             m.group(1).decode() if m else "no IP line")

        pos = g.mark()
        g.type_line("hello vmtui 123")
        m = g.wait_for(r"^ECHO: hello vmtui 123\r?\n", 15, pos)
        step("console echo", m is not None)

        pos = g.mark()
        g.type_line("setmarker abc")
        m = g.wait_for(r"^VMTUI-MARKER-WRITTEN: abc\r?\n", 15, pos)
        step("setmarker abc", m is not None)

        pos = g.mark()
        t = time.monotonic()
        replies = g.qmp("system_powerdown")
        step("QMP system_powerdown accepted", all("return" in r for r in replies), json.dumps(replies))
        m = g.wait_for(r"^VMTUI-GUEST-POWEROFF\r?\n", 20, pos)
        step("guest prints VMTUI-GUEST-POWEROFF on the power button", m is not None)
        rc = g.wait_exit(max(1, 20 - (time.monotonic() - t)))
        step("qemu exits by itself after the power button", rc is not None,
             f"rc={rc} after {time.monotonic() - t:.1f} s")
    finally:
        g.kill()

    # --- Boot 2: the marker survived; the console `poweroff` command. ---
    g = Guest(args, "boot2")
    try:
        g.start()
        m = g.wait_for(r"^VMTUI-GUEST-BOOTED\r?\n", args.boot_timeout)
        boot2 = time.monotonic() - g.t0
        if not step("boot 2 reaches VMTUI-GUEST-BOOTED", m is not None, f"{boot2:.1f} s"):
            return finish(g)
        m = g.wait_for(r"^VMTUI-DISK-MARKER: (.*?)\r?\n", 10)
        step("marker survives the reboot", m is not None and m.group(1) == b"abc",
             repr(m.group(1)) if m else "no marker line")
        pos = g.mark()
        t = time.monotonic()
        g.type_line("poweroff")
        m = g.wait_for(r"^VMTUI-GUEST-POWEROFF\r?\n", 20, pos)
        rc = g.wait_exit(20)
        step("console poweroff command", m is not None and rc is not None,
             f"rc={rc} after {time.monotonic() - t:.1f} s")
    finally:
        g.kill()
    print(f"boot time (qemu start to VMTUI-GUEST-BOOTED): {boot1:.1f} s, {boot2:.1f} s", flush=True)
    return finish(None)


def finish(g):
    if g is not None:
        g.kill()
    ok = bool(results) and all(results) and g is None
    if not ok:
        w = g.args.workdir if g is not None else WORKDIR[0]
        for name in sorted(os.listdir(w)):
            if name.endswith((".serial.log", ".qemu.stderr")):
                with open(os.path.join(w, name), errors="replace") as f:
                    tail = "\n".join(f.read().splitlines()[-60:])
                print(f"---- {name} (last 60 lines) ----\n{tail}\n----", flush=True)
    print("boot-check: " + ("PASS" if ok else "FAIL"), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
