// Test infrastructure: real Kafka and MongoDB in containers when a Docker engine answers, the local stand-ins otherwise.
import { randomBytes } from 'node:crypto';

export type Backend = 'containers' | 'stand-ins';

export interface TestInfra {
  backend: Backend;
  kafkaBrokers: string;
  /** A fresh database per call, so test files never see each other's data. */
  mongoUri(database: string): string;
  /** Makes the broker unreachable for clients, keeping its data; `kafkaRestore` brings it back. */
  kafkaOutage(): Promise<void>;
  kafkaRestore(): Promise<void>;
  stop(): Promise<void>;
}

export function withDatabase(uri: string, database: string): string {
  const url = new URL(uri);
  url.pathname = `/${database}`;
  return url.toString();
}

export const uniqueName = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

async function dockerAvailable(): Promise<boolean> {
  if (process.env.TEST_BACKEND === 'stand-ins') return false;
  if (process.env.TEST_BACKEND === 'containers') return true;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function startContainers(): Promise<TestInfra> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const { getContainerRuntimeClient } = await import('testcontainers');
  const [kafka, mongo] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:7.7.1').withKraft().start(),
    new MongoDBContainer('mongo:7.0').start(),
  ]);
  const client = await getContainerRuntimeClient();
  const kafkaContainer = client.container.getById(kafka.getId());
  const mongoBase = `${mongo.getConnectionString()}/?directConnection=true`;
  return {
    backend: 'containers',
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    mongoUri: (database) => withDatabase(mongoBase, database),
    kafkaOutage: async () => {
      await kafkaContainer.pause();
    },
    kafkaRestore: async () => {
      await kafkaContainer.unpause();
    },
    stop: async () => {
      await Promise.all([kafka.stop(), mongo.stop()]);
    },
  };
}

async function startStandIns(): Promise<TestInfra> {
  const { startLocalKafka, startLocalMongo } = await import('../local-infra/index.js');
  const [kafka, mongo] = await Promise.all([startLocalKafka({ port: 0 }), startLocalMongo({ port: 0 })]);
  return {
    backend: 'stand-ins',
    kafkaBrokers: kafka.brokers,
    mongoUri: (database) => withDatabase(mongo.uri, database),
    kafkaOutage: () => kafka.outage(),
    kafkaRestore: () => kafka.restore(),
    stop: async () => {
      await Promise.all([kafka.stop(), mongo.stop()]);
    },
  };
}

/** Starts the backend for one test file and says which one it is, so the output shows what was tested. */
export async function startTestInfra(): Promise<TestInfra> {
  const infra = (await dockerAvailable()) ? await startContainers() : await startStandIns();
  const what =
    infra.backend === 'containers'
      ? 'real Apache Kafka and MongoDB in containers (testcontainers)'
      : 'local stand-ins (librdkafka mock broker, smartmongo wire server): no Docker engine here';
  console.log(`# integration backend: ${what}`);
  return infra;
}
