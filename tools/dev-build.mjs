// Writes the TypeScript "solution" that `npm run dev` builds and watches with one `tsc --build`:
// the API and every workspace library it depends on, each compiled by its own tsconfig (the one its
// Nx build target uses, so dist/ is the same as `nx run-many -t build`'s), with project references
// following the package.json dependencies, so a library is rebuilt before what uses it.
// Generated under tmp/dev/tsconfig/; prints the solution's path.
//   node tools/dev-build.mjs
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

const out = 'tmp/dev/tsconfig';
mkdirSync(out, { recursive: true });
const fromOut = (path) => relative(out, path);
/** Written only when changed: tsc takes a newer tsconfig for a reason to rebuild the project. */
const write = (file, json) => {
  const text = `${JSON.stringify(json, null, 2)}\n`;
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
};

/** Workspace name → its directory, from apps/api down its @tenantry/* dependencies. */
const projects = new Map();
const visit = (name, dir) => {
  if (projects.has(name)) return;
  const manifest = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
  const deps = Object.keys(manifest.dependencies ?? {}).filter((dep) => dep.startsWith('@tenantry/'));
  projects.set(name, { dir, deps });
  for (const dep of deps) visit(dep, relative('.', realpathSync(`node_modules/${dep}`)));
};
visit('@tenantry/api', 'apps/api');

const configName = (name) => `${name.replace('@tenantry/', '')}.json`;
for (const [name, { dir, deps }] of projects) {
  const tsconfig = ['tsconfig.lib.json', 'tsconfig.app.json'].map((file) => `${dir}/${file}`).find(existsSync);
  if (!tsconfig) throw new Error(`${dir}: no tsconfig.lib.json or tsconfig.app.json`);
  const config = {
    extends: fromOut(tsconfig),
    // tsc's incremental state goes into the project's dist/ (the build's output, as in nx.json): a dist/
    // deleted or replaced (by an Nx build restoring its cache, say) is built again.
    compilerOptions: { composite: true, tsBuildInfoFile: fromOut(`${dir}/dist/dev.tsbuildinfo`) },
    references: deps.map((dep) => ({ path: `./${configName(dep)}` })),
  };
  write(`${out}/${configName(name)}`, config);
}
write(`${out}/tsconfig.json`, { files: [], references: [{ path: './api.json' }] });
console.log(`${out}/tsconfig.json`);
