// The stand-ins' command: the addresses it prints, a MongoDB server of its own for each name in
// LOCAL_MONGO_SERVERS, clear refusals of bad settings, and a clean stop on SIGTERM.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { readLines } from '../src/testing/processes';
import { mongoServerUriVariable } from '../src/local-infra/index';

const CLI = join(__dirname, '..', 'dist', 'local-infra', 'cli.js');

function startCli(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [CLI], {
    env: { ...process.env, LOCAL_KAFKA_PORT: '0', LOCAL_MONGO_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('the stand-ins command with a server per name', () => {
  let cli: ReturnType<typeof startCli>;
  let shared: string;
  let alpha: string;
  let betaGamma: string;

  before(async () => {
    cli = startCli({ LOCAL_MONGO_SERVERS: 'alpha, beta-gamma' });
    [, shared, alpha, betaGamma] = await readLines(
      cli.child,
      [
        /KAFKA_BROKERS=(\S+)/,
        /MONGODB_URI=(\S+)/,
        new RegExp(`${mongoServerUriVariable('alpha')}=(\\S+)`),
        new RegExp(`${mongoServerUriVariable('beta-gamma')}=(\\S+)`),
      ],
      60000,
    );
  });

  after(async () => {
    if (cli.child.exitCode === null) {
      cli.child.kill('SIGKILL');
      await exitOf(cli.child);
    }
  });

  test('prints one address per named server, dashes turned into underscores', () => {
    assert.match(cli.output(), /^MONGODB_URI_ALPHA=mongodb:\/\/127\.0\.0\.1:\d+\//m);
    assert.match(cli.output(), /^MONGODB_URI_BETA_GAMMA=mongodb:\/\/127\.0\.0\.1:\d+\//m);
    const ports = [shared, alpha, betaGamma].map((uri) => new URL(uri).port);
    assert.equal(new Set(ports).size, 3, `three servers on three ports, got ${ports.join(', ')}`);
  });

  test('each server holds only what was written to it', async () => {
    const clients = await Promise.all([shared, alpha, betaGamma].map((uri) => MongoClient.connect(uri)));
    try {
      const [toShared, toAlpha, toBeta] = clients;
      await toAlpha
        .db('complaints-alpha')
        .collection('things')
        .insertOne({ _id: 'a1' as never, on: 'alpha' });
      await toBeta
        .db('complaints-alpha')
        .collection('things')
        .insertOne({ _id: 'b1' as never, on: 'beta' });
      assert.deepEqual(await toAlpha.db('complaints-alpha').collection('things').find().toArray(), [
        { _id: 'a1', on: 'alpha' },
      ]);
      assert.deepEqual(await toBeta.db('complaints-alpha').collection('things').find().toArray(), [
        { _id: 'b1', on: 'beta' },
      ]);
      assert.equal(await toShared.db('complaints-alpha').collection('things').countDocuments(), 0);
      // Each is a whole server: it answers for its own thread's heap.
      for (const client of clients) {
        const status = (await client.db('admin').admin().serverStatus()) as { heap?: { usedMiB: number } };
        assert.ok((status.heap?.usedMiB ?? 0) > 0);
      }
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });

  test('stops every server on SIGTERM and exits 0', async () => {
    cli.child.kill('SIGTERM');
    assert.equal(await exitOf(cli.child), 0);
    await assert.rejects(MongoClient.connect(alpha, { serverSelectionTimeoutMS: 500 }));
  });
});

describe('the stand-ins command refuses bad server names', () => {
  for (const [value, message] of [
    ['Intake', /LOCAL_MONGO_SERVERS must list names made of a-z, 0-9 and -.*"Intake" is not one/],
    ['intake,,routing', /"" is not one/],
    ['intake,intake', /LOCAL_MONGO_SERVERS names a server twice/],
  ] as const) {
    test(`LOCAL_MONGO_SERVERS=${value}`, async () => {
      const cli = startCli({ LOCAL_MONGO_SERVERS: value });
      assert.equal(await exitOf(cli.child), 1);
      assert.match(cli.output(), message);
      assert.doesNotMatch(cli.output(), /MONGODB_URI=/);
    });
  }
});
