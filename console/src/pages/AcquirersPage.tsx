import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, ApiError, unwrap, type AcquirerView, type KnobsView, type Overview } from '../api/client';
import { DataTable, type Column } from '../components/DataTable';
import { useCan } from '../components/session';
import { Empty, EnabledBadge, ErrorBox, Field, Loaded, Loading, PageTitle, Time } from '../components/ui';
import { formToKnobsBody, KNOB_FIELDS, knobErrorMessage, knobsToForm, type KnobField, type KnobsForm } from '../lib/knobs';
import { formatMs, formatRate } from '../lib/overview';
import { fieldErrors } from '../lib/problems';
import { RULE_COLUMNS } from './RoutingPage';

const WINDOW_MINUTES = 60;

/**
 * The acquirers: each one's switch (takes new payments or not), circuit state and route, approval rate and latency
 * over the last hour, and — when the simulators run on this node — their knobs. Admins change switches and knobs;
 * the others see the same figures without the controls.
 */
export function AcquirersPage() {
  const canManage = useCan('manage-acquirers');
  const canEditRouting = useCan('edit-routing');
  const queryClient = useQueryClient();
  const acquirers = useQuery({
    queryKey: ['acquirers'],
    queryFn: () => unwrap(api.GET('/admin-api/acquirers')),
    refetchInterval: 10_000,
  });
  const stats = useQuery({
    queryKey: ['stats', 'overview', WINDOW_MINUTES],
    queryFn: () =>
      unwrap<Overview>(api.GET('/admin-api/stats/overview', { params: { query: { minutes: WINDOW_MINUTES } } })),
    refetchInterval: 10_000,
  });
  const rules = useQuery({ queryKey: ['routing-rules'], queryFn: () => unwrap(api.GET('/admin-api/routing-rules')) });
  const toggle = useMutation({
    mutationFn: (v: { name: string; enabled: boolean }) =>
      unwrap(api.PATCH('/admin-api/acquirers/{name}', { params: { path: { name: v.name } }, body: { enabled: v.enabled } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['acquirers'] }),
  });

  const statsOf = (name: string) => stats.data?.acquirers.find((x) => x.acquirer === name);
  const acquirerColumns: Column<AcquirerView>[] = [
    { header: 'Name', cell: (a) => a.name },
    {
      header: 'Takes new payments',
      cell: (a) => {
        const badge = <EnabledBadge enabled={a.enabled} />;
        return canManage ? (
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              aria-label={`${a.name} takes new payments`}
              checked={a.enabled}
              disabled={toggle.isPending}
              onChange={(e) => toggle.mutate({ name: a.name, enabled: e.target.checked })}
            />
            {badge}
          </label>
        ) : (
          badge
        );
      },
    },
    { header: 'Circuit (this node)', cell: (a) => <span className={`badge circuit-${a.circuit_state}`}>{a.circuit_state}</span> },
    { header: 'Attempts', className: 'right num', cell: (a) => statsOf(a.name)?.attempts.toLocaleString() ?? '0' },
    {
      header: 'Approval rate',
      className: 'right num',
      cell: (a) => <span data-testid={`approval-${a.name}`}>{formatRate(statsOf(a.name)?.approval_rate)}</span>,
    },
    {
      header: 'Latency p50 / p99',
      className: 'right num',
      cell: (a) => `${formatMs(statsOf(a.name)?.latency_p50_ms)} / ${formatMs(statsOf(a.name)?.latency_p99_ms)}`,
    },
    { header: 'In default route', cell: (a) => (a.in_default_route ? 'yes' : 'no') },
    { header: 'Address', className: 'mono ellipsis', cell: (a) => a.base_url ?? '—' },
  ];

  return (
    <div>
      <PageTitle>Acquirers</PageTitle>
      <section className="card" aria-labelledby="acq-title">
        <h2 id="acq-title">Acquirers</h2>
        <p className="muted">
          Approval rate and latency: authorization attempts of payments created in the last {WINDOW_MINUTES} minutes.
          The circuit is this node's own breaker.
        </p>
        {toggle.isError && <ErrorBox error={toggle.error} />}
        <Loaded query={acquirers} what="Loading acquirers">
          {(data) =>
            (data.items ?? []).length === 0 ? (
              <Empty>No acquirer configured.</Empty>
            ) : (
              <DataTable rows={data.items ?? []} columns={acquirerColumns} rowKey={(a) => a.name} label="Acquirers" testId="acquirers" />
            )
          }
        </Loaded>
      </section>
      <Simulators canManage={canManage} />
      <section className="card" aria-labelledby="rules-title">
        <h2 id="rules-title">Routing rules</h2>
        <p className="muted">
          The first enabled rule (lowest priority number) that matches a payment decides where it goes.{' '}
          <Link to="/routing">{canEditRouting ? 'Edit the routing rules' : 'All routing rules'}</Link>
        </p>
        <Loaded query={rules} what="Loading routing rules">
          {(data) =>
            (data.items ?? []).length === 0 ? (
              <Empty>No routing rule: every payment takes the default route.</Empty>
            ) : (
              <DataTable rows={data.items ?? []} columns={RULE_COLUMNS} rowKey={(r) => r.rule_id} label="Routing rules" />
            )
          }
        </Loaded>
      </section>
    </div>
  );
}

/**
 * The built-in simulators' knobs, when they run on this node (GET /simulators/acquirers answers; on a node without
 * the simulators role it is 404 and the section says so). They are outside stand-ins for real acquirers: their
 * routes take no credentials and are not part of the admin API, so a change there is not in the audit log.
 */
function Simulators({ canManage }: { canManage: boolean }) {
  const simulators = useQuery({
    queryKey: ['simulators'],
    queryFn: () => unwrap<KnobsView[]>(api.GET('/simulators/acquirers')),
    retry: false,
    refetchInterval: 10_000,
  });
  return (
    <section className="card" aria-labelledby="sim-title" data-testid="simulators">
      <h2 id="sim-title">Simulator knobs</h2>
      {simulators.isPending ? (
        <Loading what="Looking for simulators" />
      ) : simulators.isError ? (
        simulators.error instanceof ApiError && simulators.error.status === 404 ? (
          <Empty>The acquirer simulators do not run on this node.</Empty>
        ) : (
          <ErrorBox error={simulators.error} retry={() => simulators.refetch()} />
        )
      ) : (
        <>
          <p className="muted">
            The built-in simulated acquirers of this node (in memory: a restart resets them). They stand in for outside
            acquirers, take no credentials, and their changes are not in the audit log.
            {!canManage && ' Only an admin changes them here.'}
          </p>
          {simulators.data.map((k) => (
            <SimulatorKnobs key={k.acquirer} knobs={k} canManage={canManage} />
          ))}
        </>
      )}
    </section>
  );
}

function SimulatorKnobs({ knobs, canManage }: { knobs: KnobsView; canManage: boolean }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<KnobsForm | null>(null);
  const [localErrors, setLocalErrors] = useState<Partial<Record<KnobField, string>>>({});
  const shown = form ?? knobsToForm(knobs);
  const path = { params: { path: { name: knobs.acquirer } } };
  const done = () => {
    setForm(null);
    setLocalErrors({});
    return queryClient.invalidateQueries({ queryKey: ['simulators'] });
  };
  const save = useMutation({
    mutationFn: (body: Record<string, number>) => unwrap(api.PUT('/simulators/acquirers/{name}/knobs', { ...path, body })),
    onSuccess: done,
  });
  const down = useMutation({
    mutationFn: (seconds: number) =>
      unwrap(api.POST('/simulators/acquirers/{name}/knobs/down', { ...path, body: { seconds } })),
    onSuccess: done,
  });
  const reset = useMutation({
    mutationFn: () => unwrap(api.POST('/simulators/acquirers/{name}/knobs/reset', path)),
    onSuccess: done,
  });
  const serverErrors = fieldErrors(save.error);
  const isDown = knobs.down_until != null && Date.parse(knobs.down_until) > Date.now();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { body, errors } = formToKnobsBody(shown, knobs);
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0 || Object.keys(body).length === 0) return;
    save.mutate(body as Record<string, number>);
  };

  return (
    <form className="knob-card" onSubmit={submit} aria-label={`Knobs of ${knobs.acquirer}`} data-testid={`knobs-${knobs.acquirer}`}>
      <h3>
        {knobs.acquirer}{' '}
        {isDown ? (
          <span className="badge badge-failed">down until <Time epoch={Math.floor(Date.parse(knobs.down_until ?? '') / 1000)} /></span>
        ) : (
          <span className="badge badge-approved">up</span>
        )}{' '}
        <span className="muted">{knobs.requests_received.toLocaleString()} requests received</span>
      </h3>
      <div className="knobs">
        {KNOB_FIELDS.map(({ field, label, unit }) => {
          const error = localErrors[field] ?? (serverErrors[field] && knobErrorMessage(field, serverErrors[field]));
          return (
            <Field key={field} label={`${label} (${unit})`} error={error}>
              <input
                name={field}
                inputMode="decimal"
                value={shown[field]}
                readOnly={!canManage}
                aria-invalid={Boolean(error)}
                onChange={(e) => setForm({ ...shown, [field]: e.target.value })}
              />
            </Field>
          );
        })}
      </div>
      {save.isError && Object.keys(serverErrors).length === 0 && <ErrorBox error={save.error} />}
      {(down.isError || reset.isError) && <ErrorBox error={down.error ?? reset.error} />}
      {canManage && (
        <div className="actions form-actions">
          <button type="submit" disabled={save.isPending || form === null}>
            Save knobs
          </button>
          {isDown ? (
            <button type="button" className="secondary" onClick={() => down.mutate(0)} disabled={down.isPending}>
              Bring up
            </button>
          ) : (
            <button type="button" className="secondary" onClick={() => down.mutate(30)} disabled={down.isPending}>
              Down for 30 s
            </button>
          )}
          <button type="button" className="secondary" onClick={() => reset.mutate()} disabled={reset.isPending}>
            Reset to defaults
          </button>
          {form !== null && (
            <button type="button" className="link" onClick={() => { setForm(null); setLocalErrors({}); save.reset(); }}>
              Undo changes
            </button>
          )}
        </div>
      )}
    </form>
  );
}
