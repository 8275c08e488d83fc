import { startDashboard } from '../../dashboard/server.js';
import type { Command } from '../command.js';
import { integerFlag, noPositionals, stringFlag } from '../flags.js';

export const dashboardCommand: Command = {
  name: 'dashboard',
  summary: 'a local web page: projects, models, deployments, explanations, snapshots, runtime parity',
  help: `Usage: pgml dashboard [--port 8000] [--host 127.0.0.1] [--token T]

Serves a web app over the same database as the other commands (embedded PGlite, or --database-url): projects, each
project's models (metrics, hyperparameters, runtime, fit time, size, which is deployed) with a chart of the key
metric and the deployment timeline, each model's search results and explanation as charts (confusion matrix,
ROC / precision–recall curves, residuals, feature importances), snapshots with their column statistics, the
runtime parity report, and deploy actions (best_score, most_recent, rollback, a chosen model) behind a confirmation.
Runs until Ctrl-C.

Security: binds 127.0.0.1 by default. Deploying always needs the access token (and a CSRF token the pages carry);
beyond loopback (--host 0.0.0.0) every page needs it. The token is --token, else generated; open the printed URL
once, the server keeps the token in a cookie. The database URL appears on no page and in no log.

Options:
  --port N      port to listen on (default 8000; 0 picks a free one)
  --host H      address to bind (default 127.0.0.1)
  --token T     access token (at least 16 characters; default: a random one, printed)

With --json: prints {"url","loginUrl"} once listening.

Examples:
  pgml dashboard
  pgml dashboard --host 0.0.0.0 --port 8080 --token "$PGML_DASHBOARD_TOKEN"`,
  options: { port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' } },
  async run({ values, positionals, output, connect }) {
    noPositionals('dashboard', positionals);
    const port = integerFlag(values, 'port', 0) ?? 8000;
    const host = stringFlag(values, 'host');
    const token = stringFlag(values, 'token');
    const pgml = await connect();
    const dashboard = await startDashboard(pgml, { port, ...(host === undefined ? {} : { host }), ...(token === undefined ? {} : { token }) });
    output.result({ url: dashboard.url, loginUrl: dashboard.loginUrl }, `pgml dashboard: open ${dashboard.loginUrl}\n(Ctrl-C stops it)`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await dashboard.close();
    return 0;
  },
};
