/**
 * A worker process of the multi-process phase: runs `serveTraffic` with the spec given as JSON on stdin and writes
 * a summary as one JSON line on stdout ("warm" first, once it is ready to be timed).
 */
import { summarize } from '../load/run.js';
import { serveTraffic, type TrafficSpec } from './traffic.js';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const raw = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<TrafficSpec, 'inputs'> & { inputs: number[][] };
const spec: TrafficSpec = { ...raw, inputs: raw.inputs.map((x) => Float64Array.from(x)) };
const result = await serveTraffic(spec, () => process.stdout.write('warm\n'));
process.stdout.write(
  `${JSON.stringify({
    calls: result.calls,
    errors: result.errors,
    errorSamples: result.errorSamples,
    wrongAnswers: result.wrongAnswers,
    latency: summarize(Array.from(result.latencies), 4),
    lookups: result.serving.lookups,
    hits: result.serving.hits,
    mode: result.serving.mode,
  })}\n`,
);
