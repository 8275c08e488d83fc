/**
 * `pgml dashboard`: a local web app over the client's database. Hono routes server-rendered pages (pages.ts), the
 * charts are drawn in the browser by Observable Plot (assets/dashboard.js), and one POST route deploys. Access rules
 * are security.ts's; errors render as a page without internals (and never a database URL: the client holds it and no
 * page or log line shows it).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { InvalidArgument, maskSecrets, PgmlError } from '@pgml-ts/core';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { PostgresML } from '../client.js';
import { modelPage, parityPage, projectPage, snapshotPage } from './data.js';
import { html, layout } from './html.js';
import { modelPageHtml, parityPageHtml, projectPageHtml, projectsPage, snapshotPageHtml } from './pages.js';
import { accessControl, csrfToken, generateToken, isLoopback, type DashboardEnv } from './security.js';

export interface DashboardOptions {
  /** Default 127.0.0.1. Anything beyond loopback requires a token (given, or generated and returned). */
  host?: string;
  /** Default 8000; 0 picks a free port. */
  port?: number;
  /** The access token; generated when absent. */
  token?: string;
}

export interface Dashboard {
  /** The address to open, with the token (`?token=…`), which the server trades for a cookie. */
  loginUrl: string;
  url: string;
  token: string;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
const ASSETS_DIR = fileURLToPath(new URL('../../assets/', import.meta.url));
/** Browser bundles of the charting library, from the installed packages (no CDN: the dashboard works offline). */
const ASSETS: Record<string, { file: () => string; type: string }> = {
  'dashboard.js': { file: () => join(ASSETS_DIR, 'dashboard.js'), type: 'text/javascript' },
  'dashboard.css': { file: () => join(ASSETS_DIR, 'dashboard.css'), type: 'text/css' },
  'd3.min.js': { file: () => join(dirname(require.resolve('d3')), 'd3.min.js'), type: 'text/javascript' },
  'plot.min.js': { file: () => join(dirname(require.resolve('@observablehq/plot')), '..', 'dist', 'plot.umd.min.js'), type: 'text/javascript' },
};

function positiveId(text: string): number | undefined {
  return /^[1-9][0-9]{0,15}$/.test(text) ? Number(text) : undefined;
}

export function dashboardApp(pgml: PostgresML, rules: Parameters<typeof accessControl>[0]): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>();
  app.use(
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], frameAncestors: ["'none'"], formAction: ["'self'"] },
      // same-origin, not no-referrer: under no-referrer browsers send `Origin: null` on form posts, which the CSRF check refuses.
      referrerPolicy: 'same-origin',
    }),
  );
  app.use(accessControl(rules));
  const notFound = (what: string) => layout('Not found', html`<p>${what} does not exist. <a href="/">All projects</a></p>`);
  const csrfFor = (authorised: boolean) => (authorised ? csrfToken(rules.token) : undefined);

  app.get('/assets/:name', async (c) => {
    const asset = ASSETS[c.req.param('name')];
    if (!asset) return c.text('not found', 404);
    return c.body(await readFile(asset.file()), 200, { 'content-type': `${asset.type}; charset=utf-8`, 'cache-control': 'max-age=3600' });
  });
  app.get('/', async (c) => c.html(projectsPage(await pgml.projects())));
  app.get('/projects/:name', async (c) => {
    const page = await projectPage(pgml, c.req.param('name'));
    return page ? c.html(projectPageHtml(page, csrfFor(c.get('authorised')))) : c.html(notFound(`Project ${c.req.param('name')}`), 404);
  });
  app.post('/projects/:name/deploy', async (c) => {
    const name = c.req.param('name');
    const choice = (await c.req.parseBody()).choice;
    const project = (await pgml.projects()).find((p) => p.name === name);
    if (!project) return c.html(notFound(`Project ${name}`), 404);
    if (typeof choice !== 'string') throw new InvalidArgument('choose a strategy or a model to deploy');
    const modelId = choice.startsWith('model:') ? positiveId(choice.slice('model:'.length)) : undefined;
    if (modelId !== undefined) {
      const model = (await pgml.models({ project: name })).find((m) => m.id === modelId);
      if (!model) throw new InvalidArgument(`model ${modelId} is not a model of ${name}`);
      await pgml.deploy(modelId);
    } else if (choice === 'best_score' || choice === 'most_recent' || choice === 'rollback') {
      await pgml.deploy(name, { strategy: choice });
    } else {
      throw new InvalidArgument(`unknown deploy choice ${JSON.stringify(choice)}`);
    }
    return c.redirect(`/projects/${encodeURIComponent(name)}`, 303);
  });
  app.get('/models/:id', async (c) => {
    const id = positiveId(c.req.param('id'));
    const page = id === undefined ? undefined : await modelPage(pgml, id);
    return page ? c.html(modelPageHtml(page)) : c.html(notFound(`Model ${c.req.param('id')}`), 404);
  });
  app.get('/snapshots/:id', async (c) => {
    const id = positiveId(c.req.param('id'));
    const page = id === undefined ? undefined : await snapshotPage(pgml, id);
    return page ? c.html(snapshotPageHtml(page)) : c.html(notFound(`Snapshot ${c.req.param('id')}`), 404);
  });
  app.get('/parity', async (c) => c.html(parityPageHtml(await parityPage())));
  app.onError((error, c) => {
    // A user's mistake (a bad choice, NO_DEPLOYED_MODEL for rollback) is shown; anything else only by its code.
    const known = error instanceof PgmlError;
    const message = known ? `${error.code}: ${maskSecrets(error.message)}` : 'internal error (see the terminal running pgml dashboard)';
    if (!known) process.stderr.write(`pgml dashboard: ${maskSecrets(String(error instanceof Error ? error.stack ?? error.message : error))}\n`);
    return c.html(layout('Error', html`<p class="error">${message}</p><p><a href="/">All projects</a></p>`), known ? 400 : 500);
  });
  return app;
}

/** Starts the dashboard; resolves once it listens. */
export async function startDashboard(pgml: PostgresML, options: DashboardOptions = {}): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgument((w) => `${w.option('port')} must be an integer 0–65535, got ${port}`);
  if (options.token !== undefined && options.token.length < 16) throw new InvalidArgument((w) => `${w.option('token')} must be at least 16 characters`);
  const token = options.token ?? generateToken();
  const loopback = isLoopback(host);
  let allowedHosts: Set<string> | undefined;
  const app = dashboardApp(pgml, {
    token,
    readsNeedToken: !loopback,
    get allowedHosts() {
      return allowedHosts;
    },
  });
  const { server, actualPort } = await new Promise<{ server: ReturnType<typeof serve>; actualPort: number }>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info) => resolve({ server, actualPort: info.port }));
    server.once('error', reject);
  });
  if (loopback) allowedHosts = new Set([`${host}:${actualPort}`, `localhost:${actualPort}`, `127.0.0.1:${actualPort}`, `[::1]:${actualPort}`].map((h) => h.toLowerCase()));
  const shown = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shown}:${actualPort}/`;
  return {
    url,
    loginUrl: `${url}?token=${encodeURIComponent(token)}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
