// Boots a real intake service on port 0 against the test backend, with throw-away credentials.
import { Writable } from 'node:stream';
import {
  makeTestCredentials,
  uniqueName,
  type TestCredentials,
  type TestInfra,
} from '@complaints/platform/testing';
import { start, type IntakeService } from '../../src';

export interface Harness {
  service: IntakeService;
  creds: TestCredentials;
  baseUrl: string;
  logs: string[];
}

export async function startIntake(infra: TestInfra, extraEnv: Record<string, string> = {}): Promise<Harness> {
  const creds = await makeTestCredentials();
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const service = await start({
    env: {
      KAFKA_BROKERS: infra.kafkaBrokers,
      MONGODB_URI: infra.mongoUri(uniqueName('intake')),
      API_KEYS_FILE: creds.apiKeysFile,
      STAFF_TOKEN_SECRET: creds.secret,
      PORT: '0',
      LOG_LEVEL: 'info',
      KAFKA_TOPIC_PARTITIONS: '3',
      OUTBOX_SWEEP_MS: '200',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      ...extraEnv,
    },
    logDestination,
    onFatal: (error) => {
      throw error;
    },
  });
  return { service, creds, baseUrl: `http://127.0.0.1:${service.port}`, logs };
}
