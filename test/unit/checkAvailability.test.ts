// The availability check that guards the VZ backend on Linux (scripts/check-availability.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeLines, newerAPIs, unguardedUses } from '../../scripts/check-availability.js';

const shim = `
@available(macOS 11.0, *)
open class VZVirtualMachine {
    @available(macOS 14.0, *)
    open func saveMachineStateTo(url: URL) { unavailable() }
    open func start() { unavailable() }
}
@available(macOS 15.0, *)
open class VZNewDevice {}
@available(macOS 12.0, *)
open class VZOldDevice {}
`;

const apis = newerAPIs([shim], 13);
const uses = (swift: string) => unguardedUses(codeLines(swift), apis).map((p) => `${p.line}:${p.name}:${p.needed}`);

test('only declarations newer than the deployment target are listed, with their versions', () => {
  assert.deepEqual([...apis].sort(), [['VZNewDevice', 15], ['saveMachineStateTo', 14]]);
});

test('an unguarded use is reported with its line and the version it needs', () => {
  assert.deepEqual(uses('func f(vm: VZVirtualMachine) {\n    vm.saveMachineStateTo(url: u)\n}'), ['2:saveMachineStateTo:14']);
});

test('if #available, guard #available and @available cover a use; a lower version does not', () => {
  assert.deepEqual(uses('if #available(macOS 14, *) {\n    vm.saveMachineStateTo(url: u)\n}'), []);
  assert.deepEqual(uses('func f() {\n    guard #available(macOS 14, *) else {\n        vm.saveMachineStateTo(url: u)\n        return\n    }\n    vm.saveMachineStateTo(url: u)\n}'),
    ['3:saveMachineStateTo:14']);
  assert.deepEqual(uses('@available(macOS 14, *)\nfunc f() {\n    vm.saveMachineStateTo(url: u)\n}'), []);
  assert.deepEqual(uses('if #available(macOS 14, *) {\n    _ = VZNewDevice()\n}'), ['2:VZNewDevice:15']);
  assert.deepEqual(uses('if x, #available(macOS 15, *) { return VZNewDevice() }'), []);
});

test('the cover ends with its block', () => {
  assert.deepEqual(uses('if #available(macOS 14, *) {\n    a()\n}\nvm.saveMachineStateTo(url: u)'), ['4:saveMachineStateTo:14']);
});

test('comments and strings are not uses', () => {
  assert.deepEqual(uses('// vm.saveMachineStateTo(url: u)\nlet s = "saveMachineStateTo"\n/* VZNewDevice */'), []);
});
