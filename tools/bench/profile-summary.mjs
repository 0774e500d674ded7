#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): self time by package and by function.
//   node tools/bench/profile-summary.mjs tmp/profiles/<file>.cpuprofile
import { readFileSync } from 'node:fs';

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const self = new Map(profile.nodes.map((n) => [n.id, 0]));
const dt = profile.timeDeltas;
profile.samples.forEach((id, i) => self.set(id, self.get(id) + (dt[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const byPackage = new Map();
const byFunction = new Map();
for (const n of profile.nodes) {
  const t = self.get(n.id);
  const url = n.callFrame.url || `(${n.callFrame.functionName || 'native'})`;
  const pkg =
    url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ??
    (url.includes('/work/') ? url.replace(/.*\/(apps|libs)\//, '$1/') : url.startsWith('node:') ? url : url);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + t);
  const fn = `${n.callFrame.functionName || '(anonymous)'} ${pkg}:${n.callFrame.lineNumber}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + t);
}
// Inclusive time by package: a sample counts once for every package on its stack.
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const nodeById = new Map(profile.nodes.map((n) => [n.id, n]));
const packageOf = (n) => {
  const url = n.callFrame.url;
  return (
    url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ??
    (url.includes('/work/') ? url.replace(/.*\/((apps|libs)\/[^/]+(\/[^/]+)?).*/, '$1') : null)
  );
};
const inclusive = new Map();
profile.samples.forEach((id, i) => {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const pkg = packageOf(nodeById.get(cur));
    if (pkg) seen.add(pkg);
  }
  for (const pkg of seen) inclusive.set(pkg, (inclusive.get(pkg) ?? 0) + (dt[i] ?? 0));
});
const busy = total - (byPackage.get('((idle))') ?? 0);
const top = (m, k) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([name, t]) => `${((100 * t) / total).toFixed(1).padStart(5)}%  ${name}`)
    .join('\n');
console.log(
  `inclusive by package (% of busy time):\n${[...inclusive]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([n, t]) => `${((100 * t) / busy).toFixed(1).padStart(5)}%  ${n}`)
    .join('\n')}\n\nby package:\n${top(byPackage, 25)}\n\nby function:\n${top(byFunction, 30)}`,
);
