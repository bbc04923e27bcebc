// Every JSON-RPC code against the kind and fallback sentence PROTOCOL.md gives it, written out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindForCode, sentenceForError } from '../../src/rpc/errors.js';

test('every application code maps to its own kind (PROTOCOL.md)', () => {
  const table: Array<[number, string]> = [
    [1001, 'invalidName'],
    [1002, 'notFound'],
    [1003, 'alreadyExists'],
    [1004, 'alreadyRunning'],
    [1005, 'invalidState'],
    [1006, 'corruptConfig'],
    [1007, 'limitExceeded'],
    [1008, 'io'],
    [1009, 'diskFull'],
    [1010, 'unsupported'],
    [1011, 'backend'],
    [1012, 'cancelled'],
    [1013, 'hostUnreachable'],
  ];
  for (const [code, kind] of table) assert.equal(kindForCode(code), kind, String(code));
  for (const code of [1000, 1014, 0, -32601, -32602]) assert.equal(kindForCode(code), undefined, String(code));
});

test('with no sentence from the helper, each code gets the one for its kind', () => {
  const table: Array<[number, string]> = [
    [1001, "That name is not valid; use 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit."],
    [1002, 'No such VM, snapshot or file exists; check the name.'],
    [1003, 'That name is taken; pick another name or delete the old one first.'],
    [1004, 'The VM is already running; stop it first or attach to it.'],
    [1005, 'The operation does not fit the VM’s current state.'],
    [1006, 'A VM configuration file cannot be read; fix or restore it.'],
    [1007, 'A requested value is more than this host allows; choose a smaller value.'],
    [1008, 'A file operation failed.'],
    [1009, 'The disk is full; free some space and try again.'],
    [1010, 'This is not possible on this host.'],
    [1011, 'The hypervisor failed.'],
    [1012, 'The operation was cancelled.'],
    [1013, 'A VM’s host process does not answer; refresh the VM list.'],
    [-32700, 'The helper could not parse a message from vmtui; update vmtui and the helper together.'],
    [-32600, 'The helper received a malformed request; update vmtui and the helper together.'],
    [-32601, 'The helper does not know this request; update vmtui and the helper together.'],
    [-32602, 'The helper rejected a request parameter; update vmtui and the helper together.'],
    [-32603, 'The helper failed with an internal error; see its log for details.'],
  ];
  for (const [code, sentence] of table) assert.equal(sentenceForError(code, '   '), sentence, String(code));
  // The kind in error.data wins over the code.
  assert.equal(sentenceForError(1011, undefined, 'diskFull'), 'The disk is full; free some space and try again.');
});
