// Runs the platform as production does: the stand-ins and each service in its own process, with kill and restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { mongoServerUriVariable } from '@complaints/platform/local-infra';
import {
  makeTestCredentials,
  readLines,
  withDatabase,
  type TestCredentials,
} from '@complaints/platform/testing';

export const ROOT = join(__dirname, '..', '..');
export const SERVICE_NAMES = ['intake', 'routing', 'resolution', 'feedback'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
/** A service process; `intake-projector` is intake's consumers in a process of their own (dispatch-first). */
export type ProcessName = ServiceName | 'intake-projector';

/**
 * How the services are laid out in processes.
 * - `single`: each service one process, everything at normal priority.
 * - `dispatch-first`: what a storm peak needs. The path from a partner's POST to the work order (intake's API,
 *   routing, resolution) keeps the CPU; the projections that may lag behind it run as processes of lower priority:
 *   intake's lifecycle consumer (complaint status and timeline) split off as `intake-projector`, and feedback
 *   (KPIs, callbacks, which start hours after a resolution anyway).
 */
export type Deployment = 'single' | 'dispatch-first';

/** The nice value of the processes that may lag in a peak (see `Deployment`). */
export const PROJECTION_NICE = 10;

function layout(deployment: Deployment): Partial<Record<ProcessName, Record<string, string>>> {
  if (deployment === 'single') return { intake: {}, routing: {}, resolution: {}, feedback: {} };
  const lower = { CPU_NICE: String(PROJECTION_NICE) };
  return {
    intake: { SERVICE_ROLE: 'api' },
    'intake-projector': { SERVICE_ROLE: 'consumers', ...lower },
    routing: {},
    resolution: {},
    feedback: lower,
  };
}

const serviceOf = (name: ProcessName): ServiceName => (name === 'intake-projector' ? 'intake' : name);

export interface ProcessOptions {
  basePort: number;
  env?: Record<string, string>;
  /** Keep each service's log lines here (tests print them on failure). */
  logs?: Map<string, string[]>;
  /** Write a V8 CPU profile of every process (stand-ins included) into this folder when it exits. */
  cpuProfileDir?: string;
  /** Default `single`. */
  deployment?: Deployment;
  /**
   * Every service's database on the one shared MongoDB server. By default each service has a server of its own,
   * as in production, where no service reads another's database.
   */
  sharedMongo?: boolean;
}

function collect(child: ChildProcess, name: string, logs?: Map<string, string[]>): void {
  const lines = logs?.get(name) ?? [];
  logs?.set(name, lines);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(line);
      if (lines.length > 2000) lines.splice(0, lines.length - 2000);
    });
  }
}

export class PlatformProcesses {
  /** Every service process's base URL (`intake-projector` too in the dispatch-first deployment). */
  readonly urls = {} as Record<ServiceName, string> & Partial<Record<ProcessName, string>>;
  readonly pids = {} as Record<ServiceName | 'infra', number> & Partial<Record<ProcessName, number>>;
  creds!: TestCredentials;
  private infra?: ChildProcess;
  private readonly services = new Map<ProcessName, ChildProcess>();
  private readonly layout: Partial<Record<ProcessName, Record<string, string>>>;
  /** The environment every service gets (broker and database addresses included). */
  env: Record<string, string> = {};
  /** Each service's MongoDB server, without a database name (all the same one with `sharedMongo`). */
  readonly mongoUris = {} as Record<ServiceName, string>;

  constructor(private readonly options: ProcessOptions) {
    this.layout = layout(options.deployment ?? 'single');
  }

  /** The service processes of this deployment. */
  get processNames(): ProcessName[] {
    return Object.keys(this.layout) as ProcessName[];
  }

  private get nodeArgs(): string[] {
    const dir = this.options.cpuProfileDir;
    return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
  }

  /** Starts the stand-ins and the service processes (all of them unless a subset is named). */
  async start(only: readonly ProcessName[] = this.processNames): Promise<void> {
    this.creds = await makeTestCredentials();
    this.pids.infra = 0;
    const servers = this.options.sharedMongo ? [] : SERVICE_NAMES;
    this.infra = spawn(process.execPath, [...this.nodeArgs, join(ROOT, 'platform/dist/local-infra/cli.js')], {
      env: {
        ...process.env,
        LOCAL_KAFKA_PORT: '0',
        LOCAL_MONGO_PORT: '0',
        LOCAL_MONGO_SERVERS: servers.join(','),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    collect(this.infra, 'infra', this.options.logs);
    this.pids.infra = this.infra.pid!;
    const [brokers, mongo, ...own] = await readLines(this.infra, [
      /KAFKA_BROKERS=(\S+)/,
      /MONGODB_URI=(\S+)/,
      ...servers.map((server) => new RegExp(`${mongoServerUriVariable(server)}=(\\S+)`)),
    ]);
    for (const service of SERVICE_NAMES) this.mongoUris[service] = mongo;
    servers.forEach((server, i) => (this.mongoUris[server] = own[i]));
    this.env = {
      KAFKA_BROKERS: brokers,
      MONGODB_URI: mongo,
      API_KEYS_FILE: this.creds.apiKeysFile,
      STAFF_TOKEN_SECRET: this.creds.secret,
      SURVEY_LINK_SECRET: 'e2e-survey-secret-0123456789abcdef0123',
      KAFKA_TOPIC_PARTITIONS: '3',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      OUTBOX_SWEEP_MS: '500',
      LOG_LEVEL: 'warn',
      OTEL_ENABLED: 'false',
      RATE_LIMIT_PER_SECOND: '100000',
      ...this.options.env,
    };
    for (const [i, name] of [...SERVICE_NAMES, 'intake-projector' as const].entries())
      if (name in this.layout) this.urls[name] = `http://127.0.0.1:${this.options.basePort + i}`;
    await Promise.all(only.map((name) => this.startService(name)));
  }

  async startService(name: ProcessName): Promise<void> {
    const url = this.urls[name];
    const settings = this.layout[name];
    if (!url || !settings) throw new Error(`${name} is not a process of this deployment`);
    const port = Number(new URL(url).port);
    const service = serviceOf(name);
    const child = spawn(
      process.execPath,
      [...this.nodeArgs, join(ROOT, 'services', service, 'dist', 'main.js')],
      {
        env: {
          ...process.env,
          ...this.env,
          ...settings,
          PORT: String(port),
          MONGODB_URI: withDatabase(this.mongoUris[service], `e2e-${service}`),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    collect(child, name, this.options.logs);
    this.services.set(name, child);
    this.pids[name] = child.pid!;
    try {
      await waitReady(url, child, name);
    } catch (error) {
      const tail = (this.options.logs?.get(name) ?? []).slice(-15).join('\n');
      throw new Error(`${(error as Error).message}\n--- last lines of ${name} ---\n${tail}`);
    }
  }

  /** SIGKILL: no graceful shutdown, as when a machine dies. */
  async kill(name: ProcessName): Promise<void> {
    const child = this.services.get(name);
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.services.values()].map(async (child) => {
        if (child.exitCode !== null || child.signalCode) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }),
    );
    if (this.infra && this.infra.exitCode === null) {
      const exited = once(this.infra, 'exit');
      this.infra.kill('SIGTERM');
      await exited;
    }
  }
}

async function waitReady(url: string, child: ChildProcess, name: string, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} while starting`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} was not ready within ${timeoutMs} ms`);
}
