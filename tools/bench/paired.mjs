#!/usr/bin/env node
// Paired comparison: two API processes, A as configured and B with extra environment
// (a setting, or NODE_OPTIONS) or built from another checkout, loaded at the same time with B1's request for the same
// rounds, so both meet the same machine. On a shared 2-core machine the speed drifts by
// ±20 % between runs: one-after-the-other figures cannot show a 5 % change, this can
// (A against an identical B stays within about ±8 % a round).
//   npm run bench:paired -- [--rounds 4 --seconds 8 --connections 8] NAME=value [NAME=value ...]
//   npm run bench:paired -- --b-checkout ../other   (B: that checkout's built API, e.g. a change against main)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { apiEnv, startServer } from './support.mjs';
import { accessTokens, prepareDatabase } from './bench-data.mjs';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '8' },
    'b-checkout': { type: 'string' },
  },
});
const variant = Object.fromEntries(
  positionals.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);
if (Object.keys(variant).length === 0 && !opt['b-checkout']) {
  console.error('name at least one NAME=value that B runs with, or --b-checkout DIR');
  process.exit(2);
}
const DB = 'tenantry_bench';
const TICK = 100;
const cpuSeconds = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
};

const { tenants } = await prepareDatabase(DB, 1000, 1000);
const tokens = await accessTokens(DB, tenants);
const a = await startServer('A', ['apps/api/dist/main.js'], apiEnv(DB));
const b = await startServer('B', [join(opt['b-checkout'] ?? '.', 'apps/api/dist/main.js')], apiEnv(DB, variant));
const requests = tenants.map((t) => ({
  method: 'GET',
  path: '/api/contacts?limit=20',
  headers: { authorization: `Bearer ${tokens.get(t.id)}` },
}));
const load = (server, seconds) =>
  autocannon({
    url: `http://127.0.0.1:${server.port}`,
    connections: Number(opt.connections),
    duration: seconds,
    requests,
  });

await Promise.all([load(a, 2), load(b, 2)]);
const ratios = [];
console.log(
  `A: as configured; B: ${[opt['b-checkout'] && `built in ${opt['b-checkout']}`, ...positionals].filter(Boolean).join(' ')}`,
);
for (let round = 1; round <= Number(opt.rounds); round++) {
  const before = [cpuSeconds(a.pid), cpuSeconds(b.pid)];
  const [ra, rb] = await Promise.all([load(a, Number(opt.seconds)), load(b, Number(opt.seconds))]);
  const [ca, cb] = [
    ((cpuSeconds(a.pid) - before[0]) * 1000) / ra.requests.total,
    ((cpuSeconds(b.pid) - before[1]) * 1000) / rb.requests.total,
  ];
  if (ra.non2xx + rb.non2xx + ra.errors + rb.errors > 0)
    throw new Error('some requests failed: the comparison is not valid');
  ratios.push(cb / ca);
  console.log(
    `round ${round}: A ${ra.requests.average.toFixed(0)} req/s, ${ca.toFixed(3)} ms CPU/request | B ${rb.requests.average.toFixed(0)} req/s, ${cb.toFixed(3)} ms CPU/request | B/A ${(cb / ca).toFixed(3)}`,
  );
}
const sorted = [...ratios].sort((x, y) => x - y);
console.log(`median B/A CPU per request: ${sorted[Math.floor(sorted.length / 2)].toFixed(3)} (below 1: B is cheaper)`);
const peakRssMb = (pid) =>
  (Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024).toFixed(0);
console.log(`peak RSS: A ${peakRssMb(a.pid)} MB, B ${peakRssMb(b.pid)} MB`);
await a.stop();
await b.stop();
