import { useToast } from '../../ui/Toaster';
import { useDecideImpersonation, useEndSupportSession, useImpersonationRequests } from './platform-api';

/** On the Members page for owners: support access requests to approve, and recent sessions (a running one can be ended). */
export function SupportAccessSection() {
  const list = useImpersonationRequests();
  const decide = useDecideImpersonation();
  const end = useEndSupportSession();
  const toast = useToast();
  const failed = (error: Error) => toast.failure('Support access was not changed', error);
  if (!list.data || list.data.length === 0) return null;
  return (
    <section aria-labelledby="support-access-title">
      <h2 id="support-access-title">Support access</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Operator</th>
            <th>Acting as</th>
            <th>Reason</th>
            <th>Status</th>
            <th className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data.map((i) => (
            <tr key={i.id}>
              <td>{i.actor.email}</td>
              <td>{i.user.email}</td>
              <td>{i.reason}</td>
              <td>
                {i.status}
                {i.startedAt && ` (${new Date(i.startedAt).toLocaleString()})`}
              </td>
              <td className="actions">
                {i.status === 'requested' && (
                  <>
                    <button
                      type="button"
                      className="button"
                      onClick={() =>
                        decide.mutate(
                          { id: i.id, approve: true },
                          {
                            onSuccess: () => toast.success(`${i.actor.email} may act as ${i.user.email}`),
                            onError: failed,
                          },
                        )
                      }
                      disabled={decide.isPending}
                    >
                      Approve
                    </button>
                    <button
                      type="button"
                      className="button button-ghost"
                      onClick={() =>
                        decide.mutate(
                          { id: i.id, approve: false },
                          { onSuccess: () => toast.success('Support access denied'), onError: failed },
                        )
                      }
                      disabled={decide.isPending}
                    >
                      Deny
                    </button>
                  </>
                )}
                {i.status === 'active' && (
                  <button
                    type="button"
                    className="button button-ghost"
                    onClick={() =>
                      end.mutate(i.id, {
                        onSuccess: () => toast.success('The support session is ended'),
                        onError: failed,
                      })
                    }
                    disabled={end.isPending}
                  >
                    End now
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
