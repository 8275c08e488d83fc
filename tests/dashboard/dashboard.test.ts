/**
 * `pgml dashboard` in a real browser (Chromium through playwright-core): every page renders its charts from the
 * stored data, the confusion matrix accounts for every test row, a deploy made through the UI (with its
 * confirmation) lands in pgml.deployments, and the access rules hold (token, CSRF, beyond-loopback reads).
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresML, startDashboard, type Dashboard } from '@pgml-ts/sdk';
import { launchChromium, trainedWorld, type TrainedWorld } from './fixture.js';

/** Set PGML_UPDATE_SCREENSHOTS=1 to refresh the README's screenshot (docs/images); otherwise it goes to a temp dir. */
const SCREENSHOT_DIR = process.env.PGML_UPDATE_SCREENSHOTS === '1' ? join(import.meta.dirname, '..', '..', 'docs', 'images') : join(tmpdir(), 'pgml-dashboard-screenshots');

let world: TrainedWorld;
let dashboard: Dashboard;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  const pgml = await PostgresML.connect({ dataDir: 'memory://' });
  [world, browser] = await Promise.all([trainedWorld(pgml), launchChromium()]);
  dashboard = await startDashboard(world.pgml, { port: 0 });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await world?.pgml.close();
});

let viewer: Page;
const pageErrors: string[] = [];

/**
 * Shows `path` in the one viewer tab (a tab per page costs seconds on a loaded machine) and waits for its charts;
 * fails on a chart error or a browser-side exception.
 */
async function open(path: string): Promise<Page> {
  if (!viewer) {
    viewer = await context.newPage();
    viewer.on('pageerror', (error) => pageErrors.push(error.message));
  }
  pageErrors.length = 0;
  const response = await viewer.goto(new URL(path, dashboard.url).toString());
  expect(response?.status(), path).toBe(200);
  const charts = await viewer.locator('[data-chart]').count();
  // A string: this project's types have no DOM (the function runs in the page).
  if (charts > 0) await viewer.waitForFunction("[...document.querySelectorAll('[data-chart]')].every((c) => c.dataset.rendered)");
  expect(await viewer.locator('[data-rendered="error"]').allTextContents(), path).toEqual([]);
  expect(await viewer.locator('[data-chart] svg').count(), `${path}: one svg per chart at least`).toBeGreaterThanOrEqual(charts);
  expect(pageErrors, path).toEqual([]);
  return viewer;
}

const numbers = async (page: Page, selector: string): Promise<number[]> => (await page.locator(selector).allTextContents()).map(Number);

describe('dashboard pages', () => {
  it('lists the projects and opens every project, model and snapshot page with its charts', async () => {
    const page = await open('/');
    expect(await page.locator('#projects tbody tr').count()).toBe(4);
    for (const project of await world.pgml.projects()) {
      const projectPage = await open(`/projects/${encodeURIComponent(project.name)}`);
      const models = await world.pgml.models({ project: project.name });
      expect(await projectPage.locator('#models tbody tr').count()).toBe(models.length);
      // One bar per model in the key metric chart, one dot per deployment on the timeline.
      expect(await projectPage.locator('#chart-key-metric g[aria-label="bar"] rect').count()).toBe(models.length);
      const deployments = await world.pgml.deployments({ project: project.name });
      expect(await projectPage.locator('#chart-deployments g[aria-label="dot"] circle').count()).toBe(deployments.length);
    }
    for (const id of Object.values(world.models)) await open(`/models/${id}`);
    const snapshots = new Set((await world.pgml.models()).map((m) => m.snapshotId));
    for (const id of snapshots) await open(`/snapshots/${id}`);
    await open('/parity');
  });

  it('draws the confusion matrix over every test row and one ROC curve per class', async () => {
    const explanation = (await world.pgml.explain(world.models.logistic)).explanation;
    const page = await open(`/models/${world.models.logistic}`);
    const cells = await numbers(page, '#chart-confusion g[aria-label="text"] text');
    expect(cells).toHaveLength(3 * 3);
    expect(cells.reduce((a, b) => a + b, 0)).toBe(explanation.testRows);
    const split = await world.pgml.db.query<{ test_rows: number }>(
      "SELECT (analysis->>'test_rows')::int AS test_rows FROM pgml.snapshots s JOIN pgml.models m ON m.snapshot_id = s.id WHERE m.id = $1",
      [world.models.logistic],
    );
    expect(explanation.testRows).toBe(split.rows[0]!.test_rows);
    expect(await page.locator('#chart-roc g[aria-label="line"] path').count()).toBe(3);
    expect(await page.locator('#chart-pr g[aria-label="line"] path').count()).toBe(3);
    // Coefficients: one heatmap cell per feature and class.
    expect(await page.locator('#chart-importances g[aria-label="cell"] rect').count()).toBe(4 * 3);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'dashboard-model.png'), fullPage: true });
  });

  it('shows permutation importances for the python SVM and residuals, the sample and the search for regression', async () => {
    const svm = await open(`/models/${world.models.svm}`);
    expect(await svm.locator('h2', { hasText: 'permutation importance' }).count()).toBe(1);
    expect(await svm.locator('#chart-importances g[aria-label="bar"] rect').count()).toBe(4);

    const { explanation } = await world.pgml.explain(world.models.ridge);
    const ridge = await open(`/models/${world.models.ridge}`);
    const sample = explanation.regression!.targets[0]!.sample.actual.length;
    expect(sample).toBe(Math.min(500, explanation.testRows));
    expect(await ridge.locator('#chart-scatter-0 g[aria-label="dot"] circle').count()).toBe(sample);
    const histogram = explanation.regression!.targets[0]!.residuals.histogram.counts;
    expect(await ridge.locator('#chart-residuals-0 g[aria-label="rect"] rect').count()).toBe(histogram.length);
    expect(histogram.reduce((a, b) => a + b, 0)).toBe(explanation.testRows);
    // The search over alpha: a table row and a chart point per candidate.
    expect(await ridge.locator('#search tbody tr').count()).toBe(4);
    expect(await ridge.locator('#chart-search g[aria-label="dot"] circle').count()).toBe(4);

    const xgboost = await open(`/models/${world.models.xgboost}`);
    expect(await xgboost.locator('h2', { hasText: 'split gain' }).count()).toBe(1);
  });

  it("shows a snapshot's columns with the statistics recorded when it was taken, and their histograms", async () => {
    const model = (await world.pgml.models()).find((m) => m.id === world.models.logistic)!;
    const found = await world.pgml.db.query<{ analysis: unknown }>('SELECT analysis FROM pgml.snapshots WHERE id = $1', [model.snapshotId]);
    const analysis = (typeof found.rows[0]!.analysis === 'string' ? JSON.parse(found.rows[0]!.analysis) : found.rows[0]!.analysis) as {
      rows: number;
      column_statistics: Record<string, { count: number; missing: number; histogram: { counts: number[] } }>;
    };
    const names = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'target'];
    expect(Object.keys(analysis.column_statistics).sort()).toEqual([...names].sort());
    for (const name of names) {
      const stats = analysis.column_statistics[name]!;
      expect(stats.count + stats.missing).toBe(analysis.rows);
      expect(stats.histogram.counts.reduce((a, b) => a + b, 0)).toBe(stats.count);
    }
    const page = await open(`/snapshots/${model.snapshotId}`);
    expect(await page.locator('#columns tbody tr').count()).toBe(5);
    // One histogram per column, in table order; a bar per bin, empty bins included (drawn with no height).
    for (const [i, name] of names.entries()) {
      expect(await page.locator(`#chart-histogram-${i}`).locator('xpath=..').locator('figcaption').textContent()).toBe(name);
      expect(await page.locator(`#chart-histogram-${i} g[aria-label="rect"] rect`).count()).toBe(analysis.column_statistics[name]!.histogram.counts.length);
    }
    // Class balance of the split, train and test.
    expect(await page.locator('#chart-class-counts g[aria-label="bar"] rect').count()).toBe(3 * 2);
  });
});

describe('deploying from the dashboard', () => {
  it('needs the token: without it the page offers no form and a POST is refused', async () => {
    const page = await open('/projects/Iris%20Flowers');
    expect(await page.locator('#deploy-form').count()).toBe(0);
    const refused = await fetch(new URL('/projects/Iris%20Flowers/deploy', dashboard.url), { method: 'POST', body: new URLSearchParams({ choice: 'most_recent' }) });
    expect(refused.status).toBe(401);
  });

  it('deploys a chosen model after confirmation, and nothing when cancelled', async () => {
    const project = 'Iris Flowers';
    const page = await context.newPage();
    await page.goto(dashboard.loginUrl); // trades the token for the cookie and redirects to /
    expect(new URL(page.url()).search).toBe('');
    await page.goto(new URL(`/projects/${encodeURIComponent(project)}`, dashboard.url).toString());
    const live = async () => (await world.pgml.deployments({ project })).find((d) => d.live)!;
    const before = await live();
    const other = before.modelId === world.models.logistic ? world.models.svm : world.models.logistic;

    await page.selectOption('#deploy-choice', `model:${other}`);
    await page.click('#deploy-form button[type="submit"]');
    await expect.poll(() => page.locator('#confirm-dialog').isVisible()).toBe(true);
    expect(await page.locator('#confirm-text').textContent()).toContain(`model ${other}`);
    await page.click('#confirm-dialog button[value="cancel"]');
    expect((await live()).id).toBe(before.id);

    await page.click('#deploy-form button[type="submit"]');
    // The POST answers 303 to the project page: its load is the new document.
    await Promise.all([page.waitForEvent('load'), page.click('#confirm-button')]);
    const after = await live();
    expect(after).toMatchObject({ modelId: other, strategy: 'specific' });
    expect(await page.locator('#models strong.live').count()).toBe(1);
    expect(await page.locator('#deployments tbody tr').count()).toBe((await world.pgml.deployments({ project })).length);
    await page.close();
  });

  it('refuses a POST with the token but without the CSRF token, or from another origin', async () => {
    const cookie = { authorization: `Bearer ${dashboard.token}` };
    const noCsrf = await fetch(new URL('/projects/Diabetes/deploy', dashboard.url), { method: 'POST', headers: cookie, body: new URLSearchParams({ choice: 'rollback' }) });
    expect(noCsrf.status).toBe(403);
    const page = await context.newPage();
    await page.goto(new URL('/projects/Diabetes', dashboard.url).toString());
    const csrf = await page.locator('#deploy-form input[name="csrf"]').getAttribute('value');
    await page.close();
    const before = await world.pgml.deployments({ project: 'Diabetes' });
    const crossOrigin = await fetch(new URL('/projects/Diabetes/deploy', dashboard.url), {
      method: 'POST',
      headers: { ...cookie, origin: 'http://evil.example' },
      body: new URLSearchParams({ choice: 'rollback', csrf: csrf! }),
    });
    expect(crossOrigin.status).toBe(403);
    expect(await world.pgml.deployments({ project: 'Diabetes' })).toEqual(before);
  });

  it('refuses a foreign Host header on loopback (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const url = new URL(dashboard.url);
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: url.hostname, port: url.port, path: '/', headers: { host: 'rebound.example:80' } }, (res) => resolve(res.statusCode!)).on('error', reject).end();
    });
    expect(status).toBe(400);
  });
});

describe('bound beyond loopback', () => {
  it('refuses every request without the token and serves the pages with it', async () => {
    const token = 'a-test-token-of-enough-length';
    const wide = await startDashboard(world.pgml, { host: '0.0.0.0', port: 0, token });
    try {
      const url = new URL(wide.url);
      const local = `http://127.0.0.1:${url.port}/`;
      expect((await fetch(local)).status).toBe(401);
      expect((await fetch(new URL('/models/1', local))).status).toBe(401);
      expect((await fetch(local, { headers: { authorization: 'Bearer wrong-token-of-enough-length' } })).status).toBe(401);
      expect((await fetch(local, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      const page = await context.newPage();
      await page.goto(`${local}?token=${token}`);
      expect(await page.locator('#projects tbody tr').count()).toBe(4);
      await page.close();
    } finally {
      await wide.close();
    }
  });

  it('generates a token when none is given', async () => {
    const wide = await startDashboard(world.pgml, { host: '0.0.0.0', port: 0 });
    try {
      expect(wide.token.length).toBeGreaterThanOrEqual(24);
      expect(wide.loginUrl).toContain(`token=${wide.token}`);
    } finally {
      await wide.close();
    }
  });
});
