import { type FeatureMatrix, type FeatureSetting, FEATURE_CODES } from '@tenantry/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { api } from '../../api/client';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/Toaster';
import { useFeatureOverride } from './console-api';

const KEY = ['platform', 'features'] as const;

/** Feature flags in the console: kill switch and rollout per feature; features × tenants with overrides. Every change is audited. */
export function FeaturesSection() {
  const [q, setQ] = useState('');
  const search = useDeferredValue(q.trim());
  const client = useQueryClient();
  const matrix = useQuery({
    queryKey: [...KEY, search],
    queryFn: () => api<FeatureMatrix>(`/platform/features${search ? `?q=${encodeURIComponent(search)}` : ''}`),
  });
  const refresh = () => void client.invalidateQueries({ queryKey: KEY });
  const toast = useToast();
  const setting = useMutation({
    mutationFn: (s: Pick<FeatureSetting, 'code' | 'killed' | 'rolloutPercent'>) =>
      api<FeatureSetting>(`/platform/features/${s.code}`, {
        method: 'PUT',
        body: { killed: s.killed, rolloutPercent: s.rolloutPercent },
      }),
    onSuccess: (s) =>
      toast.success(
        s.killed
          ? `${s.code} is off everywhere`
          : `${s.code}: ${s.rolloutPercent === null ? 'no rollout' : `${s.rolloutPercent}% rollout`}`,
      ),
    onError: () => toast.failure('The feature setting was not changed'),
    onSettled: refresh,
  });
  const override = useFeatureOverride();
  const error = setting.error ?? override.error;
  return (
    <section aria-labelledby="features-title">
      <h2 id="features-title">Features</h2>
      <table className="table" aria-label="Feature settings">
        <thead>
          <tr>
            <th>Feature</th>
            <th>Default</th>
            <th>Kill switch</th>
            <th>Rollout</th>
          </tr>
        </thead>
        <tbody>
          {matrix.data?.features.map((f) => (
            <tr key={f.code}>
              <td>
                <code>{f.code}</code> <span className="hint">{f.description}</span>
              </td>
              <td>{f.default ? 'on' : 'off'}</td>
              <td>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={f.killed}
                    onChange={(e) =>
                      setting.mutate({ code: f.code, killed: e.target.checked, rolloutPercent: f.rolloutPercent })
                    }
                    aria-label={`Kill ${f.code}`}
                  />{' '}
                  off everywhere
                </label>
              </td>
              <td>
                <RolloutField
                  setting={f}
                  onSave={(rolloutPercent) => setting.mutate({ code: f.code, killed: f.killed, rolloutPercent })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <TextField label="Tenants" value={q} onChange={setQ} placeholder="Name or address" />
      <table className="table" aria-label="Features by tenant">
        <thead>
          <tr>
            <th>Tenant</th>
            {FEATURE_CODES.map((code) => (
              <th key={code}>
                <code>{code}</code>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.data?.tenants.map((row) => (
            <tr key={row.tenant.id} aria-label={`Features of ${row.tenant.name}`}>
              <td>
                {row.tenant.name} <span className="hint">({row.plan})</span>
              </td>
              {FEATURE_CODES.map((code) => {
                const state = row.features[code];
                const current = row.overrides[code] ? (row.overrides[code]!.enabled ? 'on' : 'off') : 'plan';
                return (
                  <td key={code} title={`${state.enabled ? 'on' : 'off'} (${state.source.replace('_', ' ')})`}>
                    <select
                      value={current}
                      aria-label={`${code} for ${row.tenant.name}`}
                      onChange={(e) =>
                        override.mutate({
                          tenantId: row.tenant.id,
                          code,
                          value: e.target.value as 'plan' | 'on' | 'off',
                        })
                      }
                    >
                      <option value="plan">
                        {current === 'plan'
                          ? `${state.enabled ? 'on' : 'off'} (${state.source.replace('_', ' ')})`
                          : 'as the plan says'}
                      </option>
                      <option value="on">on (override)</option>
                      <option value="off">off (override)</option>
                    </select>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
    </section>
  );
}

function RolloutField({ setting, onSave }: { setting: FeatureSetting; onSave: (percent: number | null) => void }) {
  const [value, setValue] = useState(setting.rolloutPercent === null ? '' : String(setting.rolloutPercent));
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(value.trim() === '' ? null : Number(value));
      }}
    >
      <input
        type="number"
        min={0}
        max={100}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        aria-label={`Rollout of ${setting.code} (%)`}
        placeholder="none"
      />
      <button type="submit" className="button button-ghost">
        Save
      </button>
    </form>
  );
}
