import * as AlertDialog from '@radix-ui/react-alert-dialog';
import { createContext, type ReactNode, useCallback, useContext, useId, useRef, useState } from 'react';

export interface ConfirmOptions {
  /** The question, naming the thing: "Delete Jane Doe?". */
  title: string;
  /** What will be lost, and whether it comes back. */
  description: ReactNode;
  /** The confirm button's label, a verb: "Delete contact". */
  confirmLabel: string;
  /** Styles the confirm button as destructive (the default); false for a change that loses nothing. */
  danger?: boolean;
  /** The exact text the person must type before the confirm button works (a workspace's slug). */
  typeToConfirm?: string;
}

type Ask = (options: ConfirmOptions) => Promise<boolean>;

const ConfirmContext = createContext<Ask | null>(null);

/**
 * Asks before an action that loses something, in an in-app alert dialog:
 * `if (await confirm({ title: 'Delete Jane?', description: '…', confirmLabel: 'Delete contact' })) remove.mutate(id)`.
 * Resolves true on the confirm button, false on Cancel or Escape.
 */
export function useConfirm(): Ask {
  const ask = useContext(ConfirmContext);
  if (!ask) throw new Error('useConfirm needs a <ConfirmProvider> above it');
  return ask;
}

/** Mounted once at the app's root: the one confirm dialog every page asks through. */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [asked, setAsked] = useState<ConfirmOptions | null>(null);
  const [typed, setTyped] = useState('');
  const answer = useRef<((confirmed: boolean) => void) | null>(null);
  const ask = useCallback<Ask>(
    (options) =>
      new Promise<boolean>((resolve) => {
        answer.current?.(false);
        answer.current = resolve;
        setTyped('');
        setAsked(options);
      }),
    [],
  );
  const close = (confirmed: boolean) => {
    answer.current?.(confirmed);
    answer.current = null;
    setAsked(null);
  };
  const inputId = useId();
  const ready = !asked?.typeToConfirm || typed.trim() === asked.typeToConfirm;
  return (
    <ConfirmContext.Provider value={ask}>
      {children}
      <AlertDialog.Root open={!!asked} onOpenChange={(open) => !open && close(false)}>
        <AlertDialog.Portal>
          <AlertDialog.Overlay className="dialog-overlay" />
          {asked && (
            <AlertDialog.Content className="card dialog">
              <AlertDialog.Title className="dialog-title">{asked.title}</AlertDialog.Title>
              <AlertDialog.Description asChild>
                <div className="dialog-description">{asked.description}</div>
              </AlertDialog.Description>
              <form
                className="dialog-form"
                onSubmit={(event) => {
                  event.preventDefault();
                  if (ready) close(true);
                }}
              >
                {asked.typeToConfirm && (
                  <div className="field">
                    <label htmlFor={inputId}>
                      Type <strong>{asked.typeToConfirm}</strong> to confirm
                    </label>
                    <input
                      id={inputId}
                      value={typed}
                      onChange={(e) => setTyped(e.target.value)}
                      autoComplete="off"
                      spellCheck={false}
                    />
                  </div>
                )}
                <div className="dialog-actions">
                  <AlertDialog.Cancel className="button button-ghost">Cancel</AlertDialog.Cancel>
                  <button
                    type="submit"
                    className={asked.danger === false ? 'button' : 'button button-danger'}
                    disabled={!ready}
                  >
                    {asked.confirmLabel}
                  </button>
                </div>
              </form>
            </AlertDialog.Content>
          )}
        </AlertDialog.Portal>
      </AlertDialog.Root>
    </ConfirmContext.Provider>
  );
}
