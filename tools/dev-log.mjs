// The API's logs made for reading in `npm start` and `npm run dev`: its pino JSON lines on stdin, printed by pino-pretty
// with one line per request — time, method, URL, status, duration, tenant (`12:01:03 GET /api/contacts
// 200 8 ms acme`) — and Nest's start-up listing of modules and routes left out (it comes at every
// restart). Other lines (errors with their stack, anything not JSON) pass through. `npm start` and
// `npm run dev` run it: everywhere else the API's logs stay JSON lines.
//   node --watch apps/api/dist/main.js | node tools/dev-log.mjs
import { createInterface } from 'node:readline';
import pg from 'pg';
import pretty from 'pino-pretty';

// Ctrl-C reaches every process of the loop at once: this one ends with its input, after the API's last lines.
process.on('SIGINT', () => {});

/** Start-up lines printed at every restart: which modules loaded and which routes they map. */
const QUIET_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'WebSocketsController']);
/** What a request's line shows in its text; printed below it otherwise. */
const SHOWN = [
  'pid',
  'hostname',
  'context',
  'req',
  'res',
  'responseTime',
  'reqId',
  'route',
  'tenantId',
  'userId',
  'tenant',
];

const { configFromEnvironment } = await import(new URL('../apps/api/dist/environment.js', import.meta.url).href);
const platform = new pg.Pool({
  connectionString: configFromEnvironment().database.platformUrl,
  max: 1,
  idleTimeoutMillis: 1000,
  allowExitOnIdle: true,
});
platform.on('error', () => {});
/** Tenant id → its slug (looked up once), or the id's first characters when that fails. */
const slugs = new Map();
const slugOf = (id) => {
  if (!slugs.has(id))
    slugs.set(
      id,
      platform.query('select slug from tenants where id = $1', [id]).then(
        ({ rows }) => rows[0]?.slug ?? id.slice(0, 8),
        () => id.slice(0, 8),
      ),
    );
  return slugs.get(id);
};

const LABELS = { 10: 'TRACE', 20: 'DEBUG', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const output = pretty({
  ignore: SHOWN.join(','),
  // Everything is in the message: no "[time] INFO:" prefix.
  customPrettifiers: { time: () => '', level: () => '' },
  messageFormat: (log, messageKey, _label, { colors }) => {
    const time = new Date(log.time).toTimeString().slice(0, 8);
    if (log.req && log.res) {
      const status = log.res.statusCode;
      const color = status >= 500 ? colors.red : status >= 400 ? colors.yellow : colors.green;
      const tenant = log.tenant ? ` ${colors.cyan(log.tenant)}` : '';
      return `${colors.gray(time)} ${log.req.method} ${log.req.url} ${color(status)} ${log.responseTime} ms${tenant}`;
    }
    const label = LABELS[log.level];
    const level = label
      ? ` ${(log.level >= 50 ? colors.red : log.level >= 40 ? colors.yellow : colors.gray)(label)}`
      : '';
    const context = log.context ? ` ${colors.gray(`[${log.context}]`)}` : '';
    return `${colors.gray(time)}${level}${context} ${log[messageKey] ?? ''}`;
  },
});

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  let log = null;
  try {
    log = line.startsWith('{') ? JSON.parse(line) : null;
  } catch {
    // not a log line: printed as it is
  }
  if (log && QUIET_CONTEXTS.has(log.context) && log.level === 30) continue;
  if (log?.tenantId && log.req) {
    log.tenant = await slugOf(log.tenantId);
    output.write(`${JSON.stringify(log)}\n`);
  } else output.write(`${line}\n`);
}
output.end();
