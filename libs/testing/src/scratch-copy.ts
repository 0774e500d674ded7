import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A copy of the repository to change without touching the work tree: for tests of tools that edit it.

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The repository's files as they are in the work tree (tracked, and new ones not ignored), copied to `to`. */
export function copyRepository(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  });
  for (const file of new Set(files.split('\0').filter(Boolean))) {
    if (!existsSync(join(root, file))) continue; // deleted in the work tree
    mkdirSync(dirname(join(to, file)), { recursive: true });
    // Times kept: a package-lock.json newer than node_modules makes tools/ensure-deps.sh install.
    cpSync(join(root, file), join(to, file), { preserveTimestamps: true });
  }
}

/**
 * The copy's node_modules without an install: a link to each installed package, except the
 * workspaces' own (node_modules/@tenantry/*, relative links), made again so they lead to the copy's
 * apps and libraries. Vite's caches are left for the copy's dev server to make.
 */
export function linkDependencies(to: string): void {
  const from = join(root, 'node_modules');
  mkdirSync(join(to, 'node_modules/@tenantry'), { recursive: true });
  for (const entry of readdirSync(from)) {
    if (entry === '@tenantry' || entry.startsWith('.vite')) continue;
    symlinkSync(join(from, entry), join(to, 'node_modules', entry));
  }
  for (const entry of readdirSync(join(from, '@tenantry')))
    symlinkSync(readlinkSync(join(from, '@tenantry', entry)), join(to, 'node_modules/@tenantry', entry));
}
