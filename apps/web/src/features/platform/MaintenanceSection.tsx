import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client';
import { TextField } from '../../ui/TextField';
import { useToast } from '../../ui/Toaster';
import {
  useAddMaintenanceWindow,
  useMaintenanceStatus,
  useMaintenanceWindows,
  useRemoveMaintenanceWindow,
  useSetMaintenance,
} from '../maintenance/maintenance-api';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The console's maintenance switch (message, optional end) and weekly windows. */
export function MaintenanceSection() {
  const status = useMaintenanceStatus().data;
  const set = useSetMaintenance();
  const toast = useToast();
  const [message, setMessage] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const error = set.error instanceof ApiError ? set.error : null;
  const onStart = (event: FormEvent) => {
    event.preventDefault();
    set.mutate(
      { active: true, message: message.trim() || null, endsAt: endsAt ? new Date(endsAt).toISOString() : null },
      {
        onSuccess: () => toast.success('Maintenance started: everyone but operators sees the maintenance page'),
        onError: () => toast.failure('Maintenance did not start'),
      },
    );
  };
  return (
    <section aria-labelledby="maintenance-title">
      <h2 id="maintenance-title">Maintenance</h2>
      {status?.active ? (
        <div className="card">
          <p data-testid="maintenance-state">
            On ({status.source === 'window' ? 'scheduled window' : 'switched on'})
            {status.endsAt ? ` until ${new Date(status.endsAt).toLocaleString()}` : ''}
            {status.message ? `: ${status.message}` : ''}
          </p>
          {status.source === 'manual' && (
            <button
              type="button"
              className="button"
              onClick={() =>
                set.mutate(
                  { active: false },
                  {
                    onSuccess: () => toast.success('Maintenance ended'),
                    onError: (e) => toast.failure('Maintenance did not end', e),
                  },
                )
              }
              disabled={set.isPending}
            >
              End maintenance
            </button>
          )}
        </div>
      ) : (
        <form className="card" onSubmit={onStart} aria-label="Start maintenance">
          <p data-testid="maintenance-state">
            Off. While on, the API answers 503 to everyone but operators, and the app shows a maintenance page.
          </p>
          <TextField
            label="Message for users"
            value={message}
            onChange={setMessage}
            placeholder="Upgrading the database; back by 06:00 UTC."
            error={error?.fieldErrors.message}
          />
          <TextField
            label="Ends at (optional)"
            type="datetime-local"
            value={endsAt}
            onChange={setEndsAt}
            error={error?.fieldErrors.endsAt}
          />
          <button type="submit" className="button" disabled={set.isPending}>
            Start maintenance
          </button>
        </form>
      )}
      <MaintenanceWindows />
      {status && status.upcoming.length > 0 && (
        <p className="hint">
          Next window: {new Date(status.upcoming[0].startsAt).toLocaleString()} –{' '}
          {new Date(status.upcoming[0].endsAt).toLocaleString()}.
        </p>
      )}
    </section>
  );
}

function MaintenanceWindows() {
  const windows = useMaintenanceWindows();
  const add = useAddMaintenanceWindow();
  const remove = useRemoveMaintenanceWindow();
  const toast = useToast();
  const [day, setDay] = useState('0');
  const [startTime, setStartTime] = useState('02:00');
  const [hours, setHours] = useState('4');
  const [timeZone, setTimeZone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [message, setMessage] = useState('');
  const error = add.error instanceof ApiError ? add.error : null;
  const onAdd = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(
      {
        dayOfWeek: Number(day),
        startTime,
        durationMinutes: Math.round(Number(hours) * 60),
        timeZone,
        message: message.trim() || null,
      },
      {
        onSuccess: () => toast.success(`Maintenance every ${DAYS[Number(day)]} from ${startTime} is scheduled`),
        onError: () => toast.failure('The maintenance window was not added'),
      },
    );
  };
  return (
    <>
      <table className="table" aria-label="Maintenance windows">
        <thead>
          <tr>
            <th>Every</th>
            <th>From</th>
            <th>For</th>
            <th>Time zone</th>
            <th>Message</th>
            <th className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {windows.data?.map((w) => (
            <tr key={w.id}>
              <td>{DAYS[w.dayOfWeek]}</td>
              <td>{w.startTime}</td>
              <td>{w.durationMinutes / 60} h</td>
              <td>{w.timeZone}</td>
              <td>{w.message}</td>
              <td className="actions">
                <button
                  type="button"
                  className="button button-ghost"
                  onClick={() =>
                    remove.mutate(w.id, {
                      onSuccess: () => toast.success(`The ${DAYS[w.dayOfWeek]} ${w.startTime} window is removed`),
                      onError: (e) => toast.failure('The window was not removed', e),
                    })
                  }
                  aria-label={`Remove the ${DAYS[w.dayOfWeek]} ${w.startTime} window`}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
          {windows.data?.length === 0 && (
            <tr>
              <td colSpan={6} className="hint">
                No scheduled windows.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <form className="row" onSubmit={onAdd} aria-label="Add a maintenance window">
        <label className="field">
          Day
          <select value={day} onChange={(e) => setDay(e.target.value)}>
            {DAYS.map((d, i) => (
              <option key={d} value={i}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <TextField label="Starts" type="time" value={startTime} onChange={setStartTime} required />
        <TextField label="Hours" type="number" value={hours} onChange={setHours} required />
        <TextField
          label="Time zone"
          value={timeZone}
          onChange={setTimeZone}
          required
          error={error?.fieldErrors.timeZone}
        />
        <TextField label="Window message" value={message} onChange={setMessage} />
        <button type="submit" className="button" disabled={add.isPending}>
          Add window
        </button>
      </form>
      {error && !Object.keys(error.fieldErrors).length && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
      {error?.fieldErrors.durationMinutes && (
        <p role="alert" className="error">
          {error.fieldErrors.durationMinutes}
        </p>
      )}
    </>
  );
}
