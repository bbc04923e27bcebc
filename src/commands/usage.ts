import { VMTUI_VERSION } from '../version.js';

export const usage = `vmtui ${VMTUI_VERSION} — install, boot, snapshot and monitor VMs from a terminal.

Usage:
  vmtui                 open the terminal UI
  vmtui host [--json]   print this host's facts (--json: JSON for scripts)
  vmtui --version       print the version
  vmtui --help          print this help

Environment:
  VMTUI_HOME     where VMs, caches and logs live (default ~/.vmtui)
  VMTUI_HELPER   path of the vmtui-helper executable to use
  NO_COLOR       set to turn colors off
`;
