// Whether this host can run a kind of guest, with the sentence saying why not: the wizard and
// `vmtui install` both ask.
import type { HostInfo, InitializeResult } from '../rpc/protocol.js';

export interface Availability {
  available: boolean;
  /** Why not, as a sentence, when it is not available. */
  reason?: string;
}

/** macOS guests need the VZ backend on Apple silicon, which `initialize` reports. */
export function macosAvailability(init: InitializeResult, host?: HostInfo): Availability {
  if (!init.capabilities.macosGuests) {
    const where = init.platform === 'linux' ? 'this host runs Linux with QEMU' : `this ${init.arch} host cannot run them`;
    return { available: false, reason: `macOS guests need Virtualization.framework on an Apple silicon Mac; ${where}.` };
  }
  const slots = host?.macosSlots;
  if (slots && slots.used >= slots.max) {
    return {
      available: true,
      reason: `${slots.used} of ${slots.max} macOS VMs already run on this Mac (Apple's limit); stop one before installing.`,
    };
  }
  return { available: true };
}

export function linuxAvailability(init: InitializeResult): Availability {
  return init.capabilities.linuxGuests
    ? { available: true }
    : { available: false, reason: 'This helper cannot run Linux guests.' };
}
