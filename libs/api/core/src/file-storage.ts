import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile, rename } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { dirname, resolve, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from './config.js';

/** `tenants/<id>/branding/<file>`: lower-case segments we make ourselves, never a user's file name. */
const KEY = /^[a-z0-9-]+(\/[a-z0-9][a-z0-9._-]*)*$/;

/**
 * Where uploaded files live. Keys are chosen by the code (tenant-scoped
 * paths, content hashes), never taken from a request. The local-disk adapter
 * is the default; an S3-compatible one can implement the same methods.
 */
export abstract class FileStorage {
  abstract put(key: string, body: Buffer): Promise<void>;
  /** The file, or null when there is none. */
  abstract get(key: string): Promise<Buffer | null>;
  /** Removes the file; nothing when it is already gone. */
  abstract delete(key: string): Promise<void>;
  /** Removes every file under `prefix` (a tenant's files when it is purged). */
  abstract deleteAll(prefix: string): Promise<void>;
  /** Writes a file from a stream (large files in constant memory); readers see it only once it is complete. Resolves with its size in bytes. */
  abstract putStream(key: string, body: Readable): Promise<number>;
  /** The file as a stream with its size, or null when there is none. */
  abstract getStream(key: string): Promise<{ stream: Readable; size: number } | null>;
  /** Keys of every file under `prefix`, sorted. */
  abstract list(prefix: string): Promise<string[]>;
}

/** Files under DATA_DIR, written atomically (temp file + rename), so a reader never sees half a file. */
@Injectable()
export class LocalDiskStorage extends FileStorage {
  private readonly root: string;

  constructor(@Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    super();
    this.root = resolve(config.get('storage', { infer: true }).dataDir);
  }

  async put(key: string, body: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomUUID()}.tmp`;
    await writeFile(temp, body);
    await rename(temp, path);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async deleteAll(prefix: string): Promise<void> {
    await rm(this.pathOf(prefix), { recursive: true, force: true });
  }

  async putStream(key: string, body: Readable): Promise<number> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomUUID()}.tmp`;
    try {
      const file = createWriteStream(temp);
      await pipeline(body, file);
      await rename(temp, path);
      return file.bytesWritten;
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async getStream(key: string): Promise<{ stream: Readable; size: number } | null> {
    const path = this.pathOf(key);
    try {
      return { size: (await stat(path)).size, stream: createReadStream(path) };
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return null;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const root = this.pathOf(prefix);
    try {
      const entries = await readdir(root, { recursive: true, withFileTypes: true });
      return entries
        .filter((e) => e.isFile() && !e.name.endsWith('.tmp'))
        .map(
          (e) =>
            `${prefix}/${resolve(e.parentPath, e.name)
              .slice(root.length + 1)
              .split(sep)
              .join('/')}`,
        )
        .sort();
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return [];
      throw error;
    }
  }

  /** A key is checked again here: whatever a caller passes, nothing outside the root is touched. */
  private pathOf(key: string): string {
    if (!KEY.test(key) || key.split('/').includes('..')) throw new Error(`invalid storage key: ${key}`);
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new Error(`invalid storage key: ${key}`);
    return path;
  }
}

@Global()
@Module({ providers: [{ provide: FileStorage, useClass: LocalDiskStorage }], exports: [FileStorage] })
export class FileStorageModule {}
