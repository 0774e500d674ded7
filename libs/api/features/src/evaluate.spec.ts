import { randomUUID } from 'node:crypto';
import { evaluateFeature, rolloutBucket } from './evaluate.js';

const tenantId = '7d4f2c1e-0000-4000-8000-000000000001';
const none = { tenantId, planFeatures: [] as string[], setting: undefined, override: undefined };

describe('evaluateFeature', () => {
  it('takes the kill switch over everything, then the override, the plan, the rollout and the default', () => {
    const all = {
      tenantId,
      planFeatures: ['sso'],
      setting: { killed: true, rolloutPercent: 100 },
      override: { enabled: true, config: { a: 1 } },
    };
    expect(evaluateFeature('sso', all)).toEqual({ enabled: false, source: 'kill_switch', config: null });
    expect(evaluateFeature('sso', { ...all, setting: { killed: false, rolloutPercent: 0 } })).toEqual({
      enabled: true,
      source: 'override',
      config: { a: 1 },
    });
    expect(
      evaluateFeature('sso', { ...all, setting: undefined, override: { enabled: false, config: null } }),
    ).toMatchObject({ enabled: false, source: 'override' });
    expect(
      evaluateFeature('sso', { ...none, planFeatures: ['sso'], setting: { killed: false, rolloutPercent: 0 } }),
    ).toMatchObject({ enabled: true, source: 'plan' });
    expect(evaluateFeature('sso', { ...none, setting: { killed: false, rolloutPercent: 100 } })).toMatchObject({
      enabled: true,
      source: 'rollout',
    });
    expect(evaluateFeature('sso', { ...none, setting: { killed: false, rolloutPercent: 0 } })).toMatchObject({
      enabled: false,
      source: 'rollout',
    });
    expect(evaluateFeature('sso', none)).toMatchObject({ enabled: false, source: 'default' });
    expect(evaluateFeature('api_access', none)).toMatchObject({ enabled: true, source: 'default' });
  });

  it('rolls out by a stable bucket: the same tenants stay in as the percentage grows, and about the share asked for', () => {
    const tenants = Array.from({ length: 2000 }, () => randomUUID());
    const on = (percent: number) =>
      new Set(
        tenants.filter(
          (id) =>
            evaluateFeature('contacts.import', {
              ...none,
              tenantId: id,
              setting: { killed: false, rolloutPercent: percent },
            }).enabled,
        ),
      );
    const at10 = on(10);
    const at50 = on(50);
    expect([...at10].every((id) => at50.has(id))).toBe(true);
    expect(at10.size / tenants.length).toBeGreaterThan(0.07);
    expect(at10.size / tenants.length).toBeLessThan(0.13);
    expect(at50.size / tenants.length).toBeGreaterThan(0.45);
    expect(at50.size / tenants.length).toBeLessThan(0.55);
    expect(rolloutBucket('contacts.import', tenants[0])).toBe(rolloutBucket('contacts.import', tenants[0]));
  });
});
