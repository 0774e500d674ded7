import type { ReactNode } from 'react';

export function Notice({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="centered">
      <section className="card" role="status">
        <h1>{title}</h1>
        <p>{children}</p>
      </section>
    </div>
  );
}
