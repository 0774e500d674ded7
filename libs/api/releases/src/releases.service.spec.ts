import { ReleasesRepository } from './releases.repository.js';
import { ReleasesService } from './releases.service.js';

describe('ReleasesService', () => {
  it('records a stop even when it cannot reach the database (a failing shutdown must not hang or throw)', async () => {
    const db = { globalTransaction: () => Promise.reject(new Error('connection refused')) };
    const config = { get: () => ({ version: 'v9' }) };
    const service = new ReleasesService(new ReleasesRepository(db as never), config as never);
    await expect(service.onApplicationShutdown()).resolves.toBeUndefined();
  });
});
