// Runs the whole suite: builds, picks the integration backend (real containers or local stand-ins) and runs node's test runner.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const roots = [
  'contracts',
  'platform',
  'services/intake',
  'services/routing',
  'services/resolution',
  'services/feedback',
  'e2e',
];

function findTests(dir) {
  let found = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return found;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(path).isDirectory()) found = found.concat(findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

function run(cmd, args, env = process.env) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env });
  return result.status ?? 1;
}

const filter = process.argv.slice(2);
let files = roots.flatMap((r) => findTests(join(root, r, 'test'))).sort();
if (filter.length) files = files.filter((f) => filter.some((part) => f.includes(part)));
if (!files.length) {
  console.error('no test files matched');
  process.exit(1);
}

if (run('npx', ['tsc', '-b']) !== 0) process.exit(1);
const status = run(process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=1',
  '--test-reporter=spec',
  ...files,
]);
process.exit(status);
