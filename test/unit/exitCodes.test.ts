// Exit statuses are a promise to scripts (listed in `vmtui --help`): every one is checked here as
// the number a script sees, never through the ExitCode names the code itself uses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/format/usageError.js';
import { CommandError, ExitCode, exitCodeFor } from '../../src/commands/exitCodes.js';
import { HelperGoneError, HelperNotFoundError, HelperRequestError, ProtocolMismatchError } from '../../src/rpc/errors.js';
import type { ErrorData } from '../../src/rpc/protocol.js';

const request = (code: number, data: ErrorData | undefined) => new HelperRequestError('vm/x', code, 'A sentence.', data);

test('the statuses themselves', () => {
  assert.deepStrictEqual({ ...ExitCode }, { ok: 0, failure: 1, usage: 2, noSuchVm: 3, wrongState: 4, helper: 5 });
});

test('errors vmtui finds itself, and a helper that is missing, gone or of another protocol', () => {
  assert.equal(exitCodeFor(new UsageError('Bad option.')), 2);
  assert.equal(exitCodeFor(new CommandError('It failed.')), 1);
  assert.equal(exitCodeFor(new CommandError('Wrong state.', 4)), 4);
  assert.equal(exitCodeFor(new CommandError('No such VM.', 3)), 3);
  assert.equal(exitCodeFor(new HelperNotFoundError('No helper.')), 5);
  assert.equal(exitCodeFor(new HelperGoneError({ exitCode: 1, signal: undefined }, '/log')), 5);
  assert.equal(exitCodeFor(new HelperGoneError({ exitCode: undefined, signal: 'SIGKILL' }, '/log')), 5);
  assert.equal(exitCodeFor(new ProtocolMismatchError('9.0.0', 2, 1)), 5);
  assert.equal(exitCodeFor(new Error('Anything else.')), 1);
  assert.equal(exitCodeFor('not even an Error'), 1);
});

test('every helper error kind, by data.kind and by code alone', () => {
  // [code, kind, status]: the kind from error.data, else from the code.
  const table: Array<[number, ErrorData['kind'], number]> = [
    [1001, 'invalidName', 2],
    [1002, 'notFound', 3],
    [1003, 'alreadyExists', 1],
    [1004, 'alreadyRunning', 4],
    [1005, 'invalidState', 4],
    [1006, 'corruptConfig', 1],
    [1007, 'limitExceeded', 1],
    [1008, 'io', 1],
    [1009, 'diskFull', 1],
    [1010, 'unsupported', 1],
    [1011, 'backend', 1],
    [1012, 'cancelled', 1],
    [1013, 'hostUnreachable', 1],
    [-32602, 'invalidParams', 1],
  ];
  for (const [code, kind, status] of table) {
    assert.equal(exitCodeFor(request(code, { kind } as ErrorData)), status, `${code} with data.kind ${kind}`);
    assert.equal(exitCodeFor(request(code, undefined)), status, `${code} without data`);
  }
  // A missing file is notFound too, but it is not "no such VM": it carries the path.
  assert.equal(exitCodeFor(request(1002, { kind: 'notFound', path: '/k/vmlinuz' } as ErrorData)), 1);
  assert.equal(exitCodeFor(request(-32601, undefined)), 1);
});
