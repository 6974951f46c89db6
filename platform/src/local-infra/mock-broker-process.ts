// Spawns and drives the native kafka-mock-broker (librdkafka's mock cluster) over its stdin/stdout line protocol.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export interface CommandResult {
  ok: boolean;
  /** Kafka protocol error code, or -1 when the failure has none (bad command, unsupported). */
  code: number;
  message: string;
}

export interface MockBrokerProcess {
  /** host:port of the single mock broker, on a random port chosen by librdkafka. */
  readonly bootstrap: string;
  readonly brokerCount: number;
  createTopic(name: string, partitions: number, replicationFactor: number): Promise<CommandResult>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;

export async function spawnMockBroker(binaryPath: string): Promise<MockBrokerProcess> {
  // stderr is inherited: the binary only writes real librdkafka errors there, and they explain failures.
  const child: ChildProcessByStdio<Writable, Readable, null> = spawn(binaryPath, [], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const waiting: Array<(line: string | Error) => void> = [];
  let exited: Error | null = null;

  lines.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
  });
  const onGone = (err: Error): void => {
    if (exited) return;
    exited = err;
    for (const next of waiting.splice(0)) next(err);
  };
  child.on('error', onGone);
  child.on('exit', (code, signal) =>
    onGone(new Error(`kafka-mock-broker exited (code ${code}, signal ${signal})`)),
  );
  // A write after the child died would otherwise surface as an unhandled EPIPE.
  child.stdin.on('error', () => undefined);

  const nextLine = (timeoutMs?: number): Promise<string> =>
    new Promise((resolve, reject) => {
      if (exited) return reject(exited);
      let timer: NodeJS.Timeout | undefined;
      const settle = (line: string | Error): void => {
        if (timer) clearTimeout(timer);
        if (line instanceof Error) reject(line);
        else resolve(line);
      };
      waiting.push(settle);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const i = waiting.indexOf(settle);
          if (i >= 0) waiting.splice(i, 1);
          reject(new Error(`kafka-mock-broker did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
      }
    });

  let bootstrap: string;
  try {
    bootstrap = (await nextLine(START_TIMEOUT_MS)).trim();
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  if (!/^[\w.-]+:\d+$/.test(bootstrap)) {
    child.kill('SIGKILL');
    throw new Error(`kafka-mock-broker printed an unexpected bootstrap line: ${bootstrap}`);
  }

  // The binary answers strictly in order, so a FIFO of waiters pairs each answer with its command.
  const command = async (line: string): Promise<CommandResult> => {
    const answer = nextLine();
    child.stdin.write(`${line}\n`);
    const text = await answer;
    if (text.startsWith('ok')) return { ok: true, code: 0, message: text.slice(2).trim() };
    const m = /^error (-?\d+) (.*)$/.exec(text);
    if (!m) return { ok: false, code: -1, message: text };
    return { ok: false, code: Number(m[1]), message: m[2] };
  };

  return {
    bootstrap,
    brokerCount: 1,
    createTopic: (name, partitions, replicationFactor) => {
      if (/\s/.test(name) || name === '') {
        return Promise.resolve({
          ok: false,
          code: 17,
          message: 'topic name must not be empty or contain whitespace',
        });
      }
      return command(`create topic ${name} ${partitions} ${replicationFactor}`);
    },
    stop: async () => {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // Closing stdin is the binary's shutdown signal; SIGKILL only if it hangs.
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(timer);
    },
  };
}
