// State changes as text: the dashboard's ticker and the detail view's recent events.
import type { StateChangedParams } from '../rpc/protocol.js';
import { joinToWidth, truncate } from './text.js';
import { stateSymbol } from './vm.js';

/** "12:03:04" in local time; the raw text if it is not a time. */
export function clockTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

const STEP_WORDS: Record<string, string> = { powerButton: 'power button', forceQuit: 'forced off' };

/** "12:03:04 ● running (power button)": one event without the VM's name. */
export function eventText(event: StateChangedParams): string {
  const step = event.step ? ` (${STEP_WORDS[event.step] ?? event.step})` : '';
  // An SSH readiness change repeats the state; the news is the SSH server.
  if (event.sshReady !== undefined) return `${clockTime(event.time)} ${event.sshReady ? 'ssh ready' : 'ssh gone'}`;
  return `${clockTime(event.time)} ${stateSymbol(event.state)} ${event.state}${step}`;
}

export function tickerText(events: readonly StateChangedParams[], width: number): string {
  if (events.length === 0) return truncate('No state changes since vmtui started.', width);
  const parts = events.map((e) => {
    const [time, ...rest] = eventText(e).split(' ');
    return [time, e.name, ...rest].join(' ');
  });
  return joinToWidth(parts, width);
}
