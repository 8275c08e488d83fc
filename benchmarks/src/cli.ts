#!/usr/bin/env node
// `pnpm bench [vector|all] [--rows N] [--out DIR] [--database-url URL] [--json]` — also reached as `pgml bench`.
import { runBenchCommand } from './index.js';

process.exitCode = await runBenchCommand(process.argv.slice(2));
