#!/usr/bin/env node
// Checks the documentation against the repository: README.md, CONTRIBUTING.md and docs/**/*.md.
//   node tools/docs-check/docs-check.mjs [root]
// Prints each problem as file:line and exits 1 when there is any:
// - a relative link to a file that does not exist, or to an #anchor no heading of the target makes;
// - `npm run <script>` (or `npm start`, `npm test`) naming a script the root package.json lacks;
// - an environment variable named in code style that apps/, libs/, tools/ and docker/ never read;
// - a path in code style under apps/, libs/, tools/, docker/ or docs/ that does not exist.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Variables that Node or the shell read, not our code: named in the docs, never in a config loader. */
const NOT_OURS = new Set([
  'NODE_OPTIONS', // Node's own flags (the paired benchmark passes them to one side)
  'PATH', // the shell's: where node_modules/.bin goes first
]);

const SOURCE_DIRS = ['apps', 'libs', 'tools', 'docker'];
const SOURCE_FILE = /\.(ts|tsx|mts|js|mjs|cjs|sh|ya?ml|sql|json)$|(^|\/)Dockerfile$/;
// docs-check: its own tests name variables on purpose, which must not vouch for the real documentation.
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.nx', 'coverage', 'tmp', 'docs-check']);
const CHECKED_PATH = /^(apps|libs|tools|docker|docs)\/[\w./-]*$/;
// Looks like an environment variable: upper case with at least one underscore (PORT and HOST are found by the table rule).
const ENV_LIKE = /^\$?\{?([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\}?(?=$|[=\s/:,.)])/;

function walk(dir, keep, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED_DIRS.has(entry.name) || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, keep, out);
    else if (keep(path)) out.push(path);
  }
  return out;
}

/** The Markdown files the check reads. */
export function documentationFiles(root) {
  const top = ['README.md', 'CONTRIBUTING.md'].map((f) => join(root, f)).filter((f) => existsSync(f));
  return [...top, ...walk(join(root, 'docs'), (f) => f.endsWith('.md')).sort()];
}

/** GitHub's anchor for a heading's text: lower case, punctuation dropped (but - and _), each space a dash. */
export function slugOf(heading) {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/`/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The file's text with fenced code blocks blanked (line breaks kept, so offsets still give line numbers). */
function withoutFences(text) {
  const lines = text.split('\n');
  let fence = null;
  return lines
    .map((line) => {
      const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (fence) {
        if (
          marker &&
          marker[1][0] === fence[0] &&
          marker[1].length >= fence.length &&
          !/\S/.test(line.slice(marker[0].length))
        )
          fence = null;
        return '';
      }
      if (marker) {
        fence = marker[1];
        return '';
      }
      return line;
    })
    .join('\n');
}

/** Anchors a Markdown file offers: its headings' slugs (repeats get -1, -2 …) and explicit HTML ids. */
export function anchorsOf(text) {
  const anchors = new Set();
  const seen = new Map();
  for (const line of withoutFences(text).split('\n')) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = slugOf(heading[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

const lineAt = (text, index) => text.slice(0, index).split('\n').length;

/** What the sources read from the environment, the error codes, and the upper-case names the code declares. */
export function sourceNames(root) {
  const env = new Set();
  const declared = new Set();
  for (const file of SOURCE_DIRS.flatMap((d) => walk(join(root, d), (f) => SOURCE_FILE.test(f)))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/process\.env(?:\.([A-Z_][A-Z0-9_]*)|\[\s*['"]([A-Z_][A-Z0-9_]*)['"]\s*\])/g))
      env.add(m[1] ?? m[2]);
    // Destructured: `const { NAME = '', OTHER } = process.env`.
    for (const m of text.matchAll(/\{([^{}]*)\}\s*=\s*process\.env\b/g))
      for (const name of m[1].matchAll(/\b([A-Z_][A-Z0-9_]*)\b/g)) env.add(name[1]);
    // The config loader reads every variable as `env.NAME` from its validated Environment.
    for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]*)\b/g)) env.add(m[1]);
    if (/\.(sh|ya?ml)$|Dockerfile$/.test(file)) {
      for (const m of text.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)) env.add(m[1]);
      for (const m of text.matchAll(/^\s*(?:ARG|ENV)\s+([A-Z_][A-Z0-9_]*)/gm)) env.add(m[1]);
    }
    for (const m of text.matchAll(/\b(?:const|let|var|enum|class|function|type|interface)\s+([A-Z][A-Z0-9_]*)\b/g))
      declared.add(m[1]);
  }
  const errors = join(root, 'libs/contracts/src/errors.ts');
  if (existsSync(errors)) {
    const codes = /export const ErrorCode = \{([\s\S]*?)\}/.exec(readFileSync(errors, 'utf8'))?.[1] ?? '';
    for (const m of codes.matchAll(/^\s*([A-Z][A-Z0-9_]*):/gm)) declared.add(m[1]);
  }
  return { env, declared };
}

/** Every problem of the documentation under `root`, as { file, line, message }. */
export function checkDocs(root) {
  root = resolve(root);
  const problems = [];
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const scripts = new Set(Object.keys(pkg.scripts ?? {}));
  const { env, declared } = sourceNames(root);
  const anchorCache = new Map();
  const anchorsIn = (file) => {
    if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(readFileSync(file, 'utf8')));
    return anchorCache.get(file);
  };

  for (const file of documentationFiles(root)) {
    const name = relative(root, file).split(sep).join('/');
    const report = (index, message, text) => problems.push({ file: name, line: lineAt(text, index), message });
    const raw = readFileSync(file, 'utf8');
    const prose = withoutFences(raw);
    // Inline code, blanked in a copy so that link syntax inside it is not read as a link.
    const spans = [...prose.matchAll(/(`+)([\s\S]*?[^`])\1(?!`)/g)].filter((m) => !m[2].includes('\n\n'));
    let linkText = prose;
    for (const m of spans)
      linkText = linkText.slice(0, m.index) + m[0].replace(/[^\n]/g, ' ') + linkText.slice(m.index + m[0].length);

    // Links: [text](target) and ![alt](target), and reference definitions [label]: target.
    const links = [
      ...[...linkText.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => [m.index, m[1]]),
      ...[...linkText.matchAll(/^ {0,3}\[[^\]]+\]:\s+<?(\S+?)>?(?:\s|$)/gm)].map((m) => [m.index, m[1]]),
    ];
    for (const [index, target] of links) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue; // another site, mailto:
      const [pathPart, anchor] = target.split('#', 2);
      const path = decodeURIComponent(pathPart);
      const targetFile = path === '' ? file : path.startsWith('/') ? join(root, path) : resolve(dirname(file), path);
      if (!existsSync(targetFile)) {
        report(index, `link to ${target}: ${relative(root, targetFile) || '.'} does not exist`, raw);
        continue;
      }
      if (anchor !== undefined && targetFile.endsWith('.md') && statSync(targetFile).isFile()) {
        if (!anchorsIn(targetFile).has(decodeURIComponent(anchor)))
          report(index, `link to ${target}: no heading in ${relative(root, targetFile)} makes #${anchor}`, raw);
      }
    }

    // npm scripts, in prose and code alike (an inline command may wrap onto the next line).
    for (const m of raw.matchAll(
      /\bnpm\s+(?:run(?:-script)?\s+(?:(?:-s|--silent)\s+)?([A-Za-z0-9][\w:.-]*)|(start|test)\b)/g,
    )) {
      const script = m[1] ?? m[2];
      if (!scripts.has(script)) report(m.index, `npm script "${script}" is not in package.json`, raw);
    }

    // Code spans: environment variables and repository paths.
    const known = (n) => env.has(n) || NOT_OURS.has(n);
    for (const m of spans) {
      const code = m[2].trim();
      const variable = ENV_LIKE.exec(code)?.[1];
      if (variable && !known(variable) && !declared.has(variable))
        report(
          m.index,
          `\`${variable}\` is not an environment variable read in ${SOURCE_DIRS.join('/, ')}/ (nor an error code or a name declared in the code)`,
          raw,
        );
      // Build output (…/dist/…) exists only after a build.
      if (CHECKED_PATH.test(code) && !/(^|\/)dist(\/|$)/.test(code) && !existsSync(join(root, code.replace(/\/$/, ''))))
        report(m.index, `${code} does not exist`, raw);
    }
    // Shell assignments in fenced code: NAME=value.
    const proseLines = prose.split('\n');
    const fenced = raw
      .split('\n')
      .map((line, i) => (proseLines[i] === line ? '' : line))
      .join('\n');
    for (const m of fenced.matchAll(/(?:^|[\s;(])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)=/gm)) {
      if (!known(m[1]))
        report(
          m.index + m[0].indexOf(m[1]),
          `\`${m[1]}\` is not an environment variable read in ${SOURCE_DIRS.join('/, ')}/`,
          fenced,
        );
    }
    // Configuration tables: every variable of a table headed "variable" must be read, underscore or not.
    const lines = proseLines;
    for (let i = 0; i < lines.length; i++) {
      if (!/^\|\s*variable\s*\|/i.test(lines[i])) continue;
      for (let j = i + 2; j < lines.length && lines[j].startsWith('|'); j++) {
        const first = lines[j].split('|')[1] ?? '';
        for (const v of first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) {
          if (!known(v[1]))
            problems.push({
              file: name,
              line: j + 1,
              message: `\`${v[1]}\` (configuration table) is not read by the code`,
            });
        }
      }
    }
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const problems = checkDocs(root);
  for (const p of problems) console.error(`${p.file}:${p.line}: ${p.message}`);
  const files = documentationFiles(resolve(root)).length;
  if (problems.length > 0) {
    console.error(`docs-check: ${problems.length} problem(s) in ${files} files`);
    process.exit(1);
  }
  console.log(`docs-check: ${files} files, links, npm scripts, environment variables and paths all check out`);
}
