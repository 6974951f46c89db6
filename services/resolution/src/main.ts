// Process entry point: telemetry first (so http, express and mongodb are instrumented), then the service.
import { telemetry } from './telemetry-bootstrap';
import { runMain } from '@complaints/platform';
import { start } from './app';

runMain('resolution', start, telemetry);
