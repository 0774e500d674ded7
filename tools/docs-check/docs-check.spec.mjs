import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { anchorsOf, checkDocs, slugOf } from './docs-check.mjs';

/** A small repository: sources that read two variables, an error code, and documentation with one problem of each kind. */
function fixture(files) {
  const root = mkdtempSync(join(tmpdir(), 'docs-check-'));
  const all = {
    'package.json': JSON.stringify({ scripts: { start: 'x', test: 'x', build: 'x', 'bench:saml': 'x' } }),
    'libs/api/core/src/config.ts': 'export const load = (env) => ({ port: env.PORT, url: env.DATABASE_URL });',
    'tools/run.mjs':
      "const level = process.env.LOG_LEVEL;\nconst { WEB_PORT = '' } = process.env;\nexport const RESERVED_SLUGS = [];",
    'libs/contracts/src/errors.ts':
      "export const ErrorCode = {\n  SEAT_LIMIT_REACHED: 'SEAT_LIMIT_REACHED',\n} as const;",
    'docs/guide.md': '# Guide\n\n## Set-up, step by step!\n\n## Set-up, step by step!\n\n## `TenantDb` and you\n',
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const messages = (root) => checkDocs(root).map((p) => `${p.file}:${p.line}: ${p.message}`);

describe('docs check', () => {
  let root;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes documentation whose links, anchors, scripts, variables and paths all exist', () => {
    root = fixture({
      'README.md': [
        '[guide](docs/guide.md), [step](docs/guide.md#set-up-step-by-step), [again](docs/guide.md#set-up-step-by-step-1)',
        '[db](docs/guide.md#tenantdb-and-you), [top](#readme), [site](https://example.com/x.md), <a id="readme"></a>',
        '`npm start`, `npm test`, `npm run build`, `npm run -s bench:saml`, `DATABASE_URL`, `LOG_LEVEL=debug`,',
        '`SEAT_LIMIT_REACHED`, `RESERVED_SLUGS`, `NODE_OPTIONS`, `WEB_PORT`, `libs/api/core/src/config.ts`, `apps/api/dist/main.js`.',
        '',
        '| variable | default |',
        '| --- | --- |',
        '| `PORT` | `3000` |',
        '',
        '```md',
        '[not a link](docs/missing.md) `UNKNOWN_IN_A_FENCE`',
        '```',
        'Inline code is no link: `[x](docs/missing.md)`.',
      ].join('\n'),
    });
    expect(messages(root)).toEqual([]);
  });

  it('reports a relative link to a missing file, with its file and line', () => {
    root = fixture({ 'README.md': 'Intro.\n\nSee [the guide](docs/gide.md).\n' });
    expect(messages(root)).toEqual(['README.md:3: link to docs/gide.md: docs/gide.md does not exist']);
  });

  it('reports an anchor that no heading of the target makes', () => {
    root = fixture({ 'docs/other.md': '# Other\n\n[x](guide.md#set-up)\n[y](guide.md#set-up-step-by-step-2)\n' });
    expect(messages(root)).toEqual([
      'docs/other.md:3: link to guide.md#set-up: no heading in docs/guide.md makes #set-up',
      'docs/other.md:4: link to guide.md#set-up-step-by-step-2: no heading in docs/guide.md makes #set-up-step-by-step-2',
    ]);
  });

  it('reports an npm script that package.json lacks, also when the command wraps', () => {
    root = fixture({ 'CONTRIBUTING.md': 'Run `npm run lint`, then `npm run\nbench:sso`.\n' });
    expect(messages(root)).toEqual([
      'CONTRIBUTING.md:1: npm script "lint" is not in package.json',
      'CONTRIBUTING.md:1: npm script "bench:sso" is not in package.json',
    ]);
  });

  it('reports an environment variable that no source reads, in prose, shell blocks and the configuration table', () => {
    root = fixture({
      'docs/config.md': [
        'Set `SMTP_URLS` to your server.',
        '',
        '```bash',
        'JWT_SECRETS=abc npm start',
        '```',
        '',
        '| variable | default |',
        '| --- | --- |',
        '| `HOSTNAME` | `x` |',
      ].join('\n'),
    });
    expect(messages(root)).toEqual([
      'docs/config.md:1: `SMTP_URLS` is not an environment variable read in apps/, libs/, tools/, docker/ (nor an error code or a name declared in the code)',
      'docs/config.md:4: `JWT_SECRETS` is not an environment variable read in apps/, libs/, tools/, docker/',
      'docs/config.md:9: `HOSTNAME` (configuration table) is not read by the code',
    ]);
  });

  it('reports a repository path in code style that does not exist', () => {
    root = fixture({ 'docs/paths.md': 'The loader is `libs/api/core/src/confg.ts`.\n' });
    expect(messages(root)).toEqual(['docs/paths.md:1: libs/api/core/src/confg.ts does not exist']);
  });
});

describe('GitHub anchors', () => {
  it('lower-cases, drops punctuation but - and _, and turns each space into a dash', () => {
    expect(slugOf('Custom domains behind an edge (on-demand TLS)')).toBe('custom-domains-behind-an-edge-on-demand-tls');
    expect(slugOf('`TenantDb` and snake_case')).toBe('tenantdb-and-snake_case');
    expect(slugOf("A request's way through the API")).toBe('a-requests-way-through-the-api');
    expect(slugOf('Plans & features')).toBe('plans--features');
  });

  it('numbers repeated headings and ignores headings in code blocks', () => {
    expect([...anchorsOf('## Setup\n## Setup\n```\n## Setup\n```\n## Setup\n')]).toEqual([
      'setup',
      'setup-1',
      'setup-2',
    ]);
  });
});
