// Serves the ops console: its static page, Chart.js from node_modules, and where the other services are.
import { dirname, join, resolve } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';

export interface ConsoleRouteDeps {
  /** Base URLs of the other services as the browser reaches them. */
  services: { routing: string; resolution: string; feedback: string };
}

/** Same place from src/ (tsx) and dist/ (node): three levels below the package. */
export const CONSOLE_DIR = resolve(__dirname, '../../../console');
const CHART_JS = join(dirname(require.resolve('chart.js')), 'chart.umd.js');

/**
 * The page is public (it holds no data); every API call it makes carries the user's bearer token. The CSP lets
 * it talk only to this origin and the configured services.
 */
function consoleHeaders(connectSrc: string[]) {
  const policy = [
    "default-src 'self'",
    `connect-src 'self' ${connectSrc.join(' ')}`,
    "img-src 'self' data:",
    // Chart.js sizes its canvas through inline styles.
    "style-src 'self' 'unsafe-inline'",
    "script-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
  return (_req: Request, res: Response, next: NextFunction) => {
    res.set({
      'Content-Security-Policy': policy,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    });
    next();
  };
}

export function consoleRoutes(app: Express, deps: ConsoleRouteDeps): void {
  const { routing, resolution, feedback } = deps.services;
  app.use('/console', consoleHeaders([routing, resolution, feedback].map((u) => new URL(u).origin)));
  app.get('/console/config.json', (_req, res) => {
    // Intake is the page's own origin: an empty base URL.
    res.json({ services: { intake: '', routing, resolution, feedback } });
  });
  app.get('/console/vendor/chart.umd.js', (_req, res) => {
    res.type('text/javascript').sendFile(CHART_JS);
  });
  app.use('/console', express.static(CONSOLE_DIR, { index: 'index.html', fallthrough: true }));
}
