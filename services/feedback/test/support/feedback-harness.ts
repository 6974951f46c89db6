// Boots a real feedback service on port 0 against the test backend, with throw-away credentials and a movable clock.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import request from 'supertest';
import {
  makeTestCredentials,
  uniqueName,
  type TestCredentials,
  type TestInfra,
} from '@complaints/platform/testing';
import { start, type FeedbackService } from '../../src';

export interface Harness {
  service: FeedbackService;
  creds: TestCredentials;
  baseUrl: string;
  logs: string[];
  /** Moves the service's clock forward (survey expiry, overdue callbacks). */
  advance(ms: number): void;
  /** A staff bearer token ("Bearer …") for the given role and id. */
  bearer(
    role: 'field_staff' | 'manager' | 'supervisor' | 'ops',
    staffId?: string,
    team?: string,
  ): Promise<string>;
  /** Polls GET /v1/callbacks/:id until the task exists. */
  waitForTask(id: string, timeoutMs?: number): Promise<Record<string, any>>;
}

export async function startFeedback(
  infra: TestInfra,
  extraEnv: Record<string, string> = {},
): Promise<Harness> {
  const creds = await makeTestCredentials();
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  let offsetMs = 0;
  const service = await start({
    env: {
      KAFKA_BROKERS: infra.kafkaBrokers,
      MONGODB_URI: infra.mongoUri(uniqueName('feedback')),
      STAFF_TOKEN_SECRET: creds.secret,
      SURVEY_LINK_SECRET: randomBytes(32).toString('base64url'),
      PORT: '0',
      LOG_LEVEL: 'info',
      KAFKA_TOPIC_PARTITIONS: '3',
      OUTBOX_SWEEP_MS: '200',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      ...extraEnv,
    },
    clock: () => new Date(Date.now() + offsetMs),
    logDestination,
    onFatal: (error) => {
      throw error;
    },
  });
  const baseUrl = `http://127.0.0.1:${service.port}`;
  const opsToken = `Bearer ${creds.tokens.ops}`;
  return {
    service,
    creds,
    baseUrl,
    logs,
    advance: (ms) => {
      offsetMs += ms;
    },
    bearer: async (role, staffId = `test-${role}`, team) =>
      `Bearer ${await creds.token({ staffId, role, ...(team ? { team } : {}) })}`,
    waitForTask: async (id, timeoutMs = 20000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const res = await request(baseUrl).get(`/v1/callbacks/${id}`).set('Authorization', opsToken);
        if (res.status === 200) return res.body as Record<string, any>;
        if (res.status !== 404) throw new Error(`GET ${id}: ${res.status} ${JSON.stringify(res.body)}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for callback task ${id}`);
        await sleep(100);
      }
    },
  };
}
