// A lower CPU priority reaches every thread of the process, not only the one that asked (Linux's nice is per thread).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { lowerCpuPriority } from '../src/process-priority';

test('every thread of the process gets the nice value, and threads started later inherit it', () => {
  // In a child process: the test runner itself keeps its priority.
  const script = `
    const { readdirSync } = require('node:fs');
    const { getPriority } = require('node:os');
    const { Worker } = require('node:worker_threads');
    const { lowerCpuPriority } = require(${JSON.stringify(join(__dirname, '..', 'dist', 'process-priority.js'))});
    const niceOf = () => readdirSync('/proc/self/task').map((tid) => getPriority(Number(tid)));
    const before = niceOf();
    const changed = lowerCpuPriority(7);
    const worker = new Worker('setTimeout(() => {}, 200)', { eval: true });
    worker.on('online', () => {
      console.log(JSON.stringify({ before, changed, after: niceOf() }));
      void worker.terminate();
    });`;
  const result = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as {
    before: number[];
    changed: number;
    after: number[];
  };
  assert.ok(result.before.length > 1, 'node runs several threads');
  assert.ok(result.before.every((nice) => nice === 0));
  assert.equal(result.changed, result.before.length);
  // The worker's threads came after the call, and are niced too.
  assert.ok(result.after.length > result.before.length, 'the worker added threads');
  assert.deepEqual(new Set(result.after), new Set([7]));
});

test('a nice value outside 0–19 is refused before anything changes', () => {
  assert.throws(() => lowerCpuPriority(-1), RangeError);
  assert.throws(() => lowerCpuPriority(20), RangeError);
  assert.throws(() => lowerCpuPriority(1.5), RangeError);
});
