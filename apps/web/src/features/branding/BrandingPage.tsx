import {
  type BrandingAsset,
  type BrandingSettings,
  contrastRatio,
  DEFAULT_PRIMARY_COLOR,
  DEFAULT_SECONDARY_COLOR,
  textColorOn,
} from '@tenantry/contracts';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { applyBranding } from '../../boot/branding';
import { useConfirm } from '../../ui/ConfirmDialog';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/Toaster';
import {
  type BrandingFields,
  useBranding,
  useBrandingSettings,
  useRemoveBrandingImage,
  useResetBranding,
  useSaveBranding,
  useUploadBrandingImage,
} from './branding-api';

const HEX = /^#(?:[0-9a-f]{3}){1,2}$/i;
const full = (hex: string) =>
  (hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex).toLowerCase();
const WHITE = '#ffffff';

const fieldsOf = (s: BrandingSettings): Record<keyof BrandingFields, string> => ({
  displayName: s.displayName ?? '',
  primaryColor: s.primaryColor ?? '',
  secondaryColor: s.secondaryColor ?? '',
  welcomeMessage: s.welcomeMessage ?? '',
  footerText: s.footerText ?? '',
  emailFromName: s.emailFromName ?? '',
  emailColor: s.emailColor ?? '',
});

/** Settings → Branding: names, colors (previewed live on the whole app), images, texts and email look; reset to default. */
export function BrandingPage() {
  const settings = useBrandingSettings();
  if (settings.isError)
    return (
      <p role="alert" className="error">
        {(settings.error as Error).message}
      </p>
    );
  if (!settings.data) return <p className="hint">Loading…</p>;
  return <BrandingEditor saved={settings.data} />;
}

function BrandingEditor({ saved }: { saved: BrandingSettings }) {
  const branding = useBranding();
  const save = useSaveBranding();
  const reset = useResetBranding();
  const confirm = useConfirm();
  const toast = useToast();
  const [form, setForm] = useState(() => fieldsOf(saved));
  const set = (field: keyof BrandingFields) => (value: string) => setForm((f) => ({ ...f, [field]: value }));
  useEffect(() => setForm(fieldsOf(saved)), [saved]);

  const primary = HEX.test(form.primaryColor) ? full(form.primaryColor) : DEFAULT_PRIMARY_COLOR;
  const secondary = HEX.test(form.secondaryColor) ? full(form.secondaryColor) : DEFAULT_SECONDARY_COLOR;
  const emailColor = HEX.test(form.emailColor) ? full(form.emailColor) : primary;
  // Live preview on the whole app; leaving the page without saving puts the saved branding back.
  useEffect(() => {
    const root = document.documentElement.style;
    root.setProperty('--brand-primary', primary);
    root.setProperty('--brand-on-primary', textColorOn(primary));
    root.setProperty('--brand-secondary', secondary);
    root.setProperty('--brand-on-secondary', textColorOn(secondary));
  }, [primary, secondary]);
  const latest = useRef(branding);
  latest.current = branding;
  useEffect(() => () => void (latest.current && applyBranding(latest.current)), []);

  const warnings = [
    contrastRatio(primary, WHITE) < 3 &&
      `The primary color has a contrast of ${contrastRatio(primary, WHITE).toFixed(1)}:1 with the white page: buttons, links and focus rings in it fail WCAG AA (3:1 for such elements).`,
    contrastRatio(primary, textColorOn(primary)) < 4.5 &&
      `Text on the primary color reaches only ${contrastRatio(primary, textColorOn(primary)).toFixed(1)}:1 (WCAG AA asks 4.5:1).`,
    contrastRatio(secondary, textColorOn(secondary)) < 4.5 &&
      `Text on the secondary color reaches only ${contrastRatio(secondary, textColorOn(secondary)).toFixed(1)}:1 (WCAG AA asks 4.5:1).`,
    contrastRatio(emailColor, textColorOn(emailColor)) < 4.5 &&
      `Email headers in this color reach only ${contrastRatio(emailColor, textColorOn(emailColor)).toFixed(1)}:1 (WCAG AA asks 4.5:1).`,
  ].filter((w): w is string => !!w);

  const error = save.error instanceof ApiError ? save.error : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.trim() || null])) as BrandingFields, {
      onSuccess: () => toast.success('The new branding is live', 'Everyone sees it from their next page.'),
      onError: () => toast.failure('The branding was not changed'),
    });
  };
  const onReset = async () => {
    const confirmed = await confirm({
      title: 'Reset the branding to the default look?',
      description:
        'The colors, names, texts, email look and every uploaded image (logo, favicon, sign-in background) are removed.',
      confirmLabel: 'Reset branding',
    });
    if (confirmed)
      reset.mutate(undefined, {
        onSuccess: () => toast.success('The default look is back'),
        onError: (error) => toast.failure('The branding was not reset', error),
      });
  };
  return (
    <section aria-labelledby="branding-title" className="branding-editor">
      <h1 id="branding-title">Branding</h1>
      <p className="hint">
        How this workspace looks to its people: on its addresses, the sign-in page and in emails. Empty fields use the
        default.
      </p>
      <div className="branding-columns">
        <form className="card" onSubmit={onSubmit} aria-label="Branding settings">
          <TextField
            label="Display name"
            value={form.displayName}
            onChange={set('displayName')}
            placeholder={branding?.tenant?.name}
            error={error?.fieldErrors.displayName}
          />
          <ColorField
            label="Primary color"
            value={form.primaryColor}
            onChange={set('primaryColor')}
            fallback={DEFAULT_PRIMARY_COLOR}
            error={error?.fieldErrors.primaryColor}
          />
          <ColorField
            label="Secondary color"
            value={form.secondaryColor}
            onChange={set('secondaryColor')}
            fallback={DEFAULT_SECONDARY_COLOR}
            error={error?.fieldErrors.secondaryColor}
          />
          <TextField
            label="Welcome message (sign-in page)"
            value={form.welcomeMessage}
            onChange={set('welcomeMessage')}
            error={error?.fieldErrors.welcomeMessage}
          />
          <TextField
            label="Footer text"
            value={form.footerText}
            onChange={set('footerText')}
            error={error?.fieldErrors.footerText}
          />
          <TextField
            label="Email sender name"
            value={form.emailFromName}
            onChange={set('emailFromName')}
            placeholder={`${form.displayName || branding?.tenant?.name || ''} via Tenantry`}
            error={error?.fieldErrors.emailFromName}
          />
          <ColorField
            label="Email color"
            value={form.emailColor}
            onChange={set('emailColor')}
            fallback={primary}
            error={error?.fieldErrors.emailColor}
          />
          {warnings.length > 0 && (
            <ul className="warning" role="status" aria-label="Contrast warnings">
              {warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
          {error && !Object.keys(error.fieldErrors).length && (
            <p role="alert" className="error">
              {error.message}
            </p>
          )}
          <div className="row">
            <button type="submit" className="button" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Save branding'}
            </button>
            <button
              type="button"
              className="button button-ghost"
              onClick={() => void onReset()}
              disabled={reset.isPending}
            >
              Reset to default
            </button>
            {save.isSuccess && !save.isPending && (
              <span className="hint" role="status">
                Saved.
              </span>
            )}
          </div>
        </form>
        <div className="branding-side">
          <Preview
            name={form.displayName || branding?.tenant?.name || ''}
            logoUrl={saved.logoUrl}
            welcome={form.welcomeMessage}
            footer={form.footerText}
          />
          <ImageField kind="logo" label="Logo" url={saved.logoUrl} />
          <ImageField kind="favicon" label="Favicon" url={saved.faviconUrl} />
          <ImageField kind="background" label="Sign-in background" url={saved.backgroundUrl} />
        </div>
      </div>
    </section>
  );
}

function ColorField({
  label,
  value,
  onChange,
  fallback,
  error,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  fallback: string;
  error?: string;
}) {
  const id = useId();
  const invalid = value !== '' && !HEX.test(value);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <span className="row color-row">
        <input
          type="color"
          aria-label={`${label} picker`}
          value={HEX.test(value) ? full(value) : fallback}
          onChange={(e) => onChange(e.target.value)}
        />
        <input
          id={id}
          value={value}
          placeholder={fallback}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={invalid || !!error || undefined}
        />
      </span>
      {(error ?? invalid) && <span className="error">{error ?? 'Use a hex color like #1d4ed8 or #17f.'}</span>}
    </div>
  );
}

function ImageField({ kind, label, url }: { kind: BrandingAsset; label: string; url: string | null }) {
  const upload = useUploadBrandingImage();
  const remove = useRemoveBrandingImage();
  const toast = useToast();
  const id = useId();
  const error = upload.error instanceof ApiError ? upload.error : null;
  return (
    <div className="card field" data-testid={`image-${kind}`}>
      <label htmlFor={id}>{label}</label>
      {url ? (
        <img src={url} alt={`${label} (current)`} className="brand-image" />
      ) : (
        <span className="hint">None: the default is used.</span>
      )}
      <input
        id={id}
        type="file"
        accept="image/png,image/jpeg,image/webp"
        disabled={upload.isPending}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file)
            upload.mutate(
              { kind, file },
              {
                onSuccess: () => toast.success(`${label} uploaded`),
                onError: () => toast.failure(`${label} not uploaded`),
              },
            );
          e.target.value = '';
        }}
      />
      <span className="hint">PNG, JPEG or WebP, up to 1 MB.</span>
      {error && (
        <span role="alert" className="error">
          {error.message}
        </span>
      )}
      {url && (
        <button
          type="button"
          className="button button-ghost"
          onClick={() =>
            remove.mutate(kind, {
              onSuccess: () => toast.success(`${label} removed`),
              onError: (error) => toast.failure(`${label} not removed`, error),
            })
          }
          disabled={remove.isPending}
        >
          Remove {label.toLowerCase()}
        </button>
      )}
    </div>
  );
}

/** The sign-in card as people will see it, with the colors being edited (they are on :root already). */
function Preview({
  name,
  logoUrl,
  welcome,
  footer,
}: {
  name: string;
  logoUrl: string | null;
  welcome: string;
  footer: string;
}) {
  return (
    <div className="card brand-preview" aria-label="Preview" data-testid="branding-preview">
      <div className="shell-header">
        <span>
          {logoUrl && <img src={logoUrl} alt="" className="brand-logo" />}
          <strong>{name}</strong>
        </span>
      </div>
      <p>{welcome || `Sign in to ${name}`}</p>
      <button type="button" className="button" tabIndex={-1}>
        Sign in
      </button>
      <span className="brand-secondary-sample">Secondary</span>
      {footer && <small className="hint">{footer}</small>}
    </div>
  );
}
