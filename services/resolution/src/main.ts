// Process entry point: telemetry first (so http, express and mongodb are instrumented), then the service.
import { telemetry } from './telemetry-bootstrap';
import { ConfigError, handleShutdownSignals } from '@complaints/platform';
import { start } from './app';

start().then(
  (service) =>
    handleShutdownSignals(
      async () => {
        await service.stop();
        await telemetry?.shutdown();
      },
      service.runtime.logger,
      Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 15000),
    ),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`resolution: ${error.message}`);
    else console.error('resolution failed to start:', error);
    process.exit(1);
  },
);
