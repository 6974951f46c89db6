// Runs the MongoDB router (mongo-router.ts) on its own worker thread, beside the stand-in threads it routes to.
import { parentPort, workerData } from 'node:worker_threads';
import { MongoRouter } from './mongo-router';

interface Start {
  port: number;
  shardPorts: number[];
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('mongo-router-thread must run as a worker thread');
  try {
    const { port: listenOn, shardPorts } = workerData as Start;
    let reported = 0;
    const router = await MongoRouter.start({
      port: listenOn,
      shardPorts,
      // A client that sends a broken message loses its connection; say so, without the message's bytes.
      onProtocolError: (error) => {
        if (reported++ < 20)
          console.error(`local-infra: MongoDB router closed a connection: ${error.message}`);
      },
    });
    port.on('message', (message) => {
      if (message !== 'stop') return;
      void router.stop().then(
        () => port.close(),
        (error: unknown) => {
          port.postMessage({ stopError: String(error) });
          port.close();
        },
      );
    });
    port.postMessage({ port: router.port });
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? error.message : String(error) });
    port.close();
  }
}

void main();
