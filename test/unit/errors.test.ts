import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc/node';
import {
  HelperGoneError,
  ProtocolMismatchError,
  fromResponseError,
  kindForCode,
  sentenceForError,
} from '../../src/rpc/errors.js';

test('application codes map to kinds', () => {
  assert.equal(kindForCode(1001), 'invalidName');
  assert.equal(kindForCode(1004), 'alreadyRunning');
  assert.equal(kindForCode(1013), 'hostUnreachable');
  assert.equal(kindForCode(-32601), undefined);
  for (let code = 1001; code <= 1013; code++) assert.ok(kindForCode(code), `code ${code}`);
});

test("the helper's own sentence wins; ours fill in when it sends none", () => {
  assert.equal(sentenceForError(1002, 'No VM named x exists.'), 'No VM named x exists.');
  assert.match(sentenceForError(1009, ''), /disk is full/);
  assert.match(sentenceForError(-32601, ''), /does not know this request/);
  assert.match(sentenceForError(-32602, undefined), /rejected a request parameter/);
  assert.match(sentenceForError(4242, ''), /error 4242/);
});

test('a response error becomes a HelperRequestError with its kind and data', () => {
  const error = fromResponseError('vm/start', new ResponseError(1004, 'VM dev is already running.', { kind: 'alreadyRunning', pid: 7 }));
  assert.equal(error.code, 1004);
  assert.equal(error.kind, 'alreadyRunning');
  assert.deepStrictEqual(error.data, { kind: 'alreadyRunning', pid: 7 });
  assert.equal(error.message, 'VM dev is already running.');
  // Unknown data shapes keep the sentence and still give the kind from the code.
  const odd = fromResponseError('vm/start', new ResponseError(1004, 'Busy.', { kind: 'alreadyRunning' }));
  assert.equal(odd.data, undefined);
  assert.equal(odd.kind, 'alreadyRunning');
});

test('HelperGoneError names the signal or status and the log', () => {
  const killed = new HelperGoneError({ exitCode: undefined, signal: 'SIGKILL' }, '/x/helper.log', 'host/info');
  assert.match(killed.message, /was killed by SIGKILL while vmtui waited for 'host\/info'/);
  assert.match(killed.message, /\/x\/helper\.log/);
  const exited = new HelperGoneError({ exitCode: 3, signal: undefined }, '/x/helper.log');
  assert.match(exited.message, /exited with status 3\./);
});

test('a protocol mismatch says both versions', () => {
  assert.match(new ProtocolMismatchError('9.0.0', 2, 1).message, /speaks protocol 2, but this vmtui speaks protocol 1/);
});
