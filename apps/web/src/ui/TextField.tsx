import { useId } from 'react';

interface Props {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: string;
  error?: string;
  required?: boolean;
  placeholder?: string;
  autoComplete?: string;
  /** For a number: the steps it may take (`any` for decimals). */
  step?: string;
  /** Help shown under the input until there is an error. */
  hint?: string;
}

/** A labelled input with its error message tied to it for assistive technology. */
export function TextField({ label, value, onChange, type = 'text', error, hint, ...rest }: Props) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        {...rest}
      />
      {error && (
        <span id={`${id}-error`} className="error">
          {error}
        </span>
      )}
      {!error && hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
    </div>
  );
}
