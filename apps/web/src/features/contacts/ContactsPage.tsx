import { can, type Contact, type ContactSort, type TenantRole } from '@tenantry/contracts';
import { useDeferredValue, useState } from 'react';
import { useConfirm } from '../../ui/ConfirmDialog';
import { useToast } from '../../ui/Toaster';
import { useFeature } from '../flags/features-api';
import { ContactForm } from './ContactForm';
import { ImportContacts } from './ImportContacts';
import { useContacts, useDeleteContact } from './contacts-api';

export function ContactsPage({ role }: { role: TenantRole | null }) {
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<ContactSort>('created');
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  const canImport = useFeature('contacts.import');
  const q = useDeferredValue(search.trim());
  const contacts = useContacts(q, sort);
  const remove = useDeleteContact();
  const confirm = useConfirm();
  const toast = useToast();
  const onDelete = async (contact: Contact) => {
    const confirmed = await confirm({
      title: `Delete ${contact.name}?`,
      description: 'The contact, with its notes and tags, is removed for everyone in this workspace.',
      confirmLabel: 'Delete contact',
    });
    if (confirmed)
      remove.mutate(contact.id, {
        onSuccess: () => toast.success(`${contact.name} deleted`),
        onError: () => toast.failure(`${contact.name} was not deleted`),
      });
  };
  const items = contacts.data?.pages.flatMap((p) => p.items) ?? [];
  const canWrite = can(role ?? undefined, 'contacts.write');
  const canDelete = can(role ?? undefined, 'contacts.delete');

  return (
    <section aria-labelledby="contacts-title">
      <div className="row spread">
        <h1 id="contacts-title">Contacts</h1>
        {canWrite && editing === null && !importing && (
          <span className="row">
            <button type="button" className="button" onClick={() => setEditing('new')}>
              New contact
            </button>
            {canImport && (
              <button type="button" className="button button-ghost" onClick={() => setImporting(true)}>
                Import CSV
              </button>
            )}
          </span>
        )}
      </div>
      {importing && <ImportContacts onClose={() => setImporting(false)} />}
      {editing !== null && (
        <ContactForm contact={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} />
      )}
      <div className="row">
        <label className="field grow">
          <span>Search</span>
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Name, email or company"
          />
        </label>
        <label className="field">
          <span>Sort by</span>
          <select value={sort} onChange={(e) => setSort(e.target.value as ContactSort)}>
            <option value="created">Newest first</option>
            <option value="name">Name</option>
          </select>
        </label>
      </div>
      {contacts.isPending && <p role="status">Loading contacts…</p>}
      {contacts.error && (
        <p role="alert" className="error">
          {contacts.error.message}
        </p>
      )}
      {remove.error && (
        <p role="alert" className="error">
          {remove.error.message}
        </p>
      )}
      {!contacts.isPending && items.length === 0 && <p>{q ? 'No contact matches your search.' : 'No contacts yet.'}</p>}
      {items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Company</th>
              <th>Tags</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{c.email}</td>
                <td>{c.company}</td>
                <td>
                  {c.tags.map((t) => (
                    <span key={t} className="badge">
                      {t}
                    </span>
                  ))}
                </td>
                <td className="actions">
                  {canWrite && (
                    <button type="button" className="button button-ghost" onClick={() => setEditing(c)}>
                      Edit
                    </button>
                  )}
                  {canDelete && (
                    <button type="button" className="button button-ghost" onClick={() => void onDelete(c)}>
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {contacts.hasNextPage && (
        <button
          type="button"
          className="button button-ghost"
          disabled={contacts.isFetchingNextPage}
          onClick={() => contacts.fetchNextPage()}
        >
          {contacts.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
