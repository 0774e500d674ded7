import * as Toast from '@radix-ui/react-toast';
import { createContext, type ReactNode, useContext, useMemo, useRef, useState } from 'react';

interface Shown {
  id: number;
  tone: 'success' | 'failure';
  title: string;
  description?: string;
}

export interface Toasts {
  /** A save or action went through: announced politely, gone after a few seconds. */
  success(title: string, description?: string): void;
  /**
   * It did not: announced at once. Pass the error to show its message (an API
   * error's own words); leave it out where the form already shows the message inline.
   */
  failure(title: string, error?: unknown): void;
}

const ToastContext = createContext<Toasts | null>(null);

/** The outcome of a save or an action, as a toast: `const toast = useToast(); … onSuccess: () => toast.success('Contact saved')`. */
export function useToast(): Toasts {
  const toasts = useContext(ToastContext);
  if (!toasts) throw new Error('useToast needs a <Toaster> above it');
  return toasts;
}

/** Mounted once at the app's root: the toasts' corner of the screen (F8 moves focus there). */
export function Toaster({ children }: { children: ReactNode }) {
  const [shown, setShown] = useState<Shown[]>([]);
  const next = useRef(0);
  const toasts = useMemo<Toasts>(() => {
    const show = (toast: Omit<Shown, 'id'>) => setShown((list) => [...list, { ...toast, id: ++next.current }]);
    return {
      success: (title, description) => show({ tone: 'success', title, description }),
      failure: (title, error) =>
        show({ tone: 'failure', title, description: error instanceof Error ? error.message : undefined }),
    };
  }, []);
  const dismiss = (id: number) => setShown((list) => list.filter((t) => t.id !== id));
  return (
    <ToastContext.Provider value={toasts}>
      <Toast.Provider label="Notification">
        {children}
        {shown.map((t) => (
          <Toast.Root
            key={t.id}
            className={`toast toast-${t.tone}`}
            type={t.tone === 'failure' ? 'foreground' : 'background'}
            duration={t.tone === 'failure' ? 10_000 : 5_000}
            onOpenChange={(open) => !open && dismiss(t.id)}
          >
            <Toast.Title className="toast-title">{t.title}</Toast.Title>
            {t.description && <Toast.Description>{t.description}</Toast.Description>}
            <Toast.Close className="toast-close" aria-label="Dismiss">
              ×
            </Toast.Close>
          </Toast.Root>
        ))}
        <Toast.Viewport className="toast-viewport" />
      </Toast.Provider>
    </ToastContext.Provider>
  );
}
