import type { Contact } from '@tenantry/contracts';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/Toaster';
import { useSaveContact } from './contacts-api';

/** Creates a contact, or edits `contact` when given. */
export function ContactForm({ contact, onDone }: { contact?: Contact; onDone: () => void }) {
  const [name, setName] = useState(contact?.name ?? '');
  const [email, setEmail] = useState(contact?.email ?? '');
  const [company, setCompany] = useState(contact?.company ?? '');
  const [tags, setTags] = useState(contact?.tags.join(', ') ?? '');
  const [notes, setNotes] = useState(contact?.notes ?? '');
  const save = useSaveContact();
  const toast = useToast();
  const fieldErrors = save.error instanceof ApiError ? save.error.fieldErrors : {};

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const input = {
      name,
      email,
      company,
      notes,
      tags: tags
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    };
    save.mutate(
      { id: contact?.id, input },
      {
        onSuccess: (saved) => {
          toast.success(contact ? `${saved.name} saved` : `${saved.name} added`);
          onDone();
        },
        onError: () => toast.failure(contact ? 'The contact was not saved' : 'The contact was not added'),
      },
    );
  };

  return (
    <form className="card contact-form" onSubmit={onSubmit} aria-label={contact ? 'Edit contact' : 'New contact'}>
      <TextField label="Name" value={name} onChange={setName} required error={fieldErrors.name} />
      <TextField label="Email" type="email" value={email} onChange={setEmail} error={fieldErrors.email} />
      <TextField label="Company" value={company} onChange={setCompany} error={fieldErrors.company} />
      <TextField label="Tags (comma-separated)" value={tags} onChange={setTags} error={fieldErrors.tags} />
      <TextField label="Notes" value={notes} onChange={setNotes} error={fieldErrors.notes} />
      {save.error && Object.keys(fieldErrors).length === 0 && (
        <p role="alert" className="error">
          {save.error.message}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button" disabled={save.isPending}>
          {contact ? 'Save changes' : 'Add contact'}
        </button>
        <button type="button" className="button button-ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
