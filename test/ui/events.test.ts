// The events list behind the ticker and the detail screen, and how an event reads.
process.env.TZ = 'UTC';

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clockTime, eventText, tickerText } from '../../src/format/event.js';
import { EVENTS_KEPT, addEvent } from '../../src/ui/hooks/useEvents.js';

const at = (s: number) => `2026-11-26T16:00:${String(s).padStart(2, '0')}Z`;

test('newest first, capped, and a repeated report of the same change is dropped', () => {
  let events = addEvent([], { name: 'db', state: 'stopping', step: 'powerButton', time: at(1) });
  events = addEvent(events, { name: 'db', state: 'stopped', time: at(2) });
  events = addEvent(events, { name: 'db', state: 'stopped', time: at(2) });
  assert.deepStrictEqual(events.map((e) => e.state), ['stopped', 'stopping']);
  events = addEvent(events, { name: 'db', state: 'stopped', time: at(9) }); // a later stop is news
  assert.equal(events.length, 3);
  for (let i = 0; i < EVENTS_KEPT + 5; i++) events = addEvent(events, { name: `vm${i}`, state: 'running', time: at(i % 60) });
  assert.equal(events.length, EVENTS_KEPT);
  assert.equal(events[0]?.name, `vm${EVENTS_KEPT + 4}`);
});

test('an event reads as a clock time, the state symbol and word, and the stop step', () => {
  assert.equal(clockTime(at(7)), '16:00:07');
  assert.equal(clockTime('not a time'), 'not a time');
  assert.equal(eventText({ name: 'db', state: 'stopping', step: 'forceQuit', time: at(3) }), '16:00:03 ◌ stopping (forced off)');
  assert.equal(eventText({ name: 'db', state: 'error', step: 'someNewStep', time: at(3) }), '16:00:03 ✗ error (someNewStep)');
});

test('the ticker keeps whole events that fit the width', () => {
  const events = [
    { name: 'db', state: 'stopped' as const, time: at(5) },
    { name: 'web', state: 'paused' as const, time: at(4) },
  ];
  assert.equal(tickerText(events, 80), '16:00:05 db ○ stopped · 16:00:04 web ‖ paused');
  assert.equal(tickerText(events, 30), '16:00:05 db ○ stopped');
  assert.equal(tickerText([], 20), 'No state changes si…');
});
