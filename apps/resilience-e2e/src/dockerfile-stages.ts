import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import dockerignoreModule from '@balena/dockerignore';

// A CommonJS module whose types declare an ES default export: at run time the function is the module itself.
const dockerignore = dockerignoreModule as unknown as typeof dockerignoreModule.default;

/** One instruction of a Dockerfile, its continuation lines joined. */
export interface Instruction {
  op: string;
  args: string;
}

export interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

/** The stages of a Dockerfile, in order (comments dropped, `\` continuations joined). */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const line of lines.map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (!op) throw new Error(`Unreadable Dockerfile line: ${line}`);
    if (op.toUpperCase() === 'FROM') {
      const [base, , name] = args.split(/\s+/);
      stages.push({ name: name ?? String(stages.length), base, instructions: [] });
    } else {
      stages.at(-1)!.instructions.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

/** The build context of `root`: every file `docker build` would send, as paths relative to it (.dockerignore applied). */
export function buildContext(root: string): string[] {
  const ignorePath = join(root, '.dockerignore');
  const ignore = dockerignore().add(existsSync(ignorePath) ? readFileSync(ignorePath, 'utf8') : '');
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = relative ? posix.join(relative, entry.name) : entry.name;
      if (ignore.ignores(path)) continue;
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk('');
  return files;
}

/**
 * Builds a Dockerfile's stages without Docker: each stage is a directory
 * standing for its filesystem root, COPY copies what the build context (or an
 * earlier stage) holds, and RUN runs its command in the stage's WORKDIR on
 * this machine's Node and npm, with the stage's `node_modules/.bin` first on
 * the PATH. The last stage's RUN lines (users, volumes: paths outside the
 * app) are not run; what it needs at run time is the point of the check.
 */
export class DockerfileBuild {
  private readonly context: string[];

  constructor(
    private readonly root: string,
    private readonly scratch: string,
    readonly stages: Stage[],
  ) {
    this.context = buildContext(root);
  }

  /** The directory standing for `path` inside stage `stage`. */
  pathIn(stage: Stage, path: string): string {
    return join(this.scratch, stage.name, path);
  }

  build(log: (line: string) => void = () => undefined): void {
    for (const [index, stage] of this.stages.entries()) {
      const last = index === this.stages.length - 1;
      let workdir = '/';
      for (const { op, args } of stage.instructions) {
        if (op === 'WORKDIR') {
          workdir = posix.resolve(workdir, args);
          mkdirSync(this.pathIn(stage, workdir), { recursive: true });
        } else if (op === 'COPY') {
          this.copy(stage, workdir, args);
        } else if (op === 'RUN' && !last) {
          log(`[${stage.name}] RUN ${args}`);
          const cwd = this.pathIn(stage, workdir);
          const result = spawnSync('sh', ['-c', args], {
            cwd,
            stdio: 'inherit',
            env: { ...process.env, PATH: `${join(cwd, 'node_modules/.bin')}:${process.env.PATH}` },
          });
          if (result.status !== 0) throw new Error(`[${stage.name}] RUN ${args} failed with ${result.status}`);
        }
      }
    }
  }

  /** `COPY [--from=stage] src… dest`, relative sources from the context or the earlier stage's root. */
  private copy(stage: Stage, workdir: string, args: string): void {
    const words = args.split(/\s+/);
    const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
    const [dest, ...sources] = words.filter((w) => !w.startsWith('--')).reverse();
    const target = posix.resolve(workdir, dest);
    for (const source of sources.reverse()) {
      if (from !== undefined) {
        const origin = this.stages.find((s) => s.name === from);
        if (!origin) throw new Error(`COPY --from=${from}: no such stage`);
        const path = this.pathIn(origin, posix.resolve('/', source));
        if (!existsSync(path)) throw new Error(`COPY --from=${from} ${source}: not in that stage`);
        // A directory's contents go to dest; a file goes into dest/ or becomes dest.
        const to =
          statSync(path).isDirectory() || !dest.endsWith('/') ? target : posix.join(target, posix.basename(source));
        mkdirSync(dirname(this.pathIn(stage, to)), { recursive: true });
        cpSync(path, this.pathIn(stage, to), { recursive: true, verbatimSymlinks: true });
        continue;
      }
      const prefix = source === '.' ? '' : `${source.replace(/\/$/, '')}/`;
      const files = this.context.filter((file) => file === source || file.startsWith(prefix));
      if (files.length === 0) throw new Error(`COPY ${source}: not in the build context (see .dockerignore)`);
      for (const file of files) {
        const relative = file === source ? posix.basename(file) : file.slice(prefix.length);
        const to = file === source && !dest.endsWith('/') ? target : posix.join(target, relative);
        mkdirSync(dirname(this.pathIn(stage, to)), { recursive: true });
        cpSync(join(this.root, file), this.pathIn(stage, to));
      }
    }
  }
}
