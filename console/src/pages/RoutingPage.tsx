import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api, unwrap, type RuleView } from '../api/client';
import { DataTable, type Column } from '../components/DataTable';
import { useCan } from '../components/session';
import { Empty, ErrorBox, Field, FormButtons, Loaded, PageTitle, Time } from '../components/ui';
import { fieldErrors, otherErrors } from '../lib/problems';
import {
  describeMatch,
  describeTargets,
  emptyRuleForm,
  formToRuleBody,
  ruleToForm,
  type RuleForm,
} from '../lib/routingRules';

/** A routing rule as a row: here, and on the acquirers page. */
export const RULE_COLUMNS: Column<RuleView>[] = [
  { header: 'Priority', className: 'right', cell: (r) => r.priority },
  { header: 'Name', cell: (r) => r.name },
  { header: 'Enabled', cell: (r) => (r.enabled ? 'yes' : 'no') },
  { header: 'Matches', cell: (r) => describeMatch(r) },
  { header: 'Targets', cell: (r) => describeTargets(r.targets ?? []) },
  { header: 'Updated', cell: (r) => <Time epoch={r.updated_at} /> },
];

/**
 * The routing rules: the list in the order they are tried, and (admins) create, edit, delete. The rule being edited
 * is in the URL (`?edit=<rule id>` or `?edit=new`), so a reload keeps the form open. The server validates; its
 * field errors (problem+json `errors`) show next to their inputs.
 */
export function RoutingPage() {
  const canEdit = useCan('edit-routing');
  const [params, setParams] = useSearchParams();
  const editing = params.get('edit');
  const queryClient = useQueryClient();
  const rules = useQuery({ queryKey: ['routing-rules'], queryFn: () => unwrap(api.GET('/admin-api/routing-rules')) });
  const [confirming, setConfirming] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/admin-api/routing-rules/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      setConfirming(null);
      return queryClient.invalidateQueries({ queryKey: ['routing-rules'] });
    },
  });
  const close = () => setParams({}, { replace: true });
  const items = rules.data?.items ?? [];
  const editedRule = editing && editing !== 'new' ? items.find((r) => r.rule_id === editing) : undefined;
  const actions: Column<RuleView> = {
    header: 'Actions',
    cell: (r) => (
      <div className="actions">
        <button
          type="button"
          className="secondary small"
          aria-label={`Edit rule ${r.name}`}
          onClick={() => setParams({ edit: r.rule_id })}
        >
          Edit
        </button>
        {confirming === r.rule_id ? (
          <button
            type="button"
            className="small"
            aria-label={`Confirm deleting rule ${r.name}`}
            disabled={remove.isPending}
            onClick={() => remove.mutate(r.rule_id)}
          >
            Confirm delete
          </button>
        ) : (
          <button
            type="button"
            className="secondary small"
            aria-label={`Delete rule ${r.name}`}
            onClick={() => setConfirming(r.rule_id)}
          >
            Delete
          </button>
        )}
      </div>
    ),
  };

  return (
    <div>
      <PageTitle
        actions={
          canEdit &&
          editing === null && (
            <button type="button" onClick={() => setParams({ edit: 'new' })}>
              New rule
            </button>
          )
        }
      >
        Routing rules
      </PageTitle>
      <p className="muted">
        The first enabled rule (lowest priority number; equal ones by age) whose conditions all hold decides which
        acquirers a payment is offered to. Blank conditions match anything; with no matching rule a payment takes the
        default route. The first target is drawn by weight among those with one; the others follow in order as the
        cascade.
      </p>
      {canEdit && editing !== null && rules.isSuccess && (
        editing === 'new' || editedRule ? (
          <RuleEditor key={editing} rule={editedRule} onDone={close} />
        ) : (
          <ErrorBox error={new Error('No routing rule has this id (deleted?).')} retry={close} />
        )
      )}
      {remove.isError && <ErrorBox error={remove.error} />}
      <section className="card" aria-labelledby="rules-list">
        <h2 id="rules-list">Rules, in the order they are tried</h2>
        <Loaded query={rules} what="Loading routing rules">
          {() =>
            items.length === 0 ? (
              <Empty>No routing rule: every payment takes the default route.</Empty>
            ) : (
              <DataTable
                rows={items}
                columns={canEdit ? [...RULE_COLUMNS, actions] : RULE_COLUMNS}
                rowKey={(r) => r.rule_id}
                rowAttributes={(r) => ({ 'data-rule': r.name })}
                testId="routing-rules"
              />
            )
          }
        </Loaded>
      </section>
    </div>
  );
}

/** The form for a new rule (no `rule`) or for replacing one (PUT: every field as the form has it). */
function RuleEditor({ rule, onDone }: { rule?: RuleView; onDone: () => void }) {
  const queryClient = useQueryClient();
  const acquirers = useQuery({ queryKey: ['acquirers'], queryFn: () => unwrap(api.GET('/admin-api/acquirers')) });
  const merchants = useQuery({ queryKey: ['merchants'], queryFn: () => unwrap(api.GET('/admin-api/merchants')) });
  const names = (acquirers.data?.items ?? []).map((a) => a.name);
  const [form, setForm] = useState<RuleForm>(() => (rule ? ruleToForm(rule) : emptyRuleForm('')));
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => {
      // The body is sent as the operator typed it (a bad number included): the server's validation names it.
      const typed = body as never;
      return rule
        ? unwrap(api.PUT('/admin-api/routing-rules/{id}', { params: { path: { id: rule.rule_id } }, body: typed }))
        : unwrap(api.POST('/admin-api/routing-rules', { body: typed }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['routing-rules'] });
      onDone();
    },
  });
  const errors = fieldErrors(save.error);
  const shownByInput = (f: string) =>
    ['name', 'priority', 'enabled', 'merchant_id', 'currency', 'bin_from', 'bin_to', 'card_country', 'targets'].includes(f) ||
    /^targets\[\d+\]\.(acquirer|weight)$/.test(f);
  const unshown = otherErrors(errors, shownByInput);
  const set = (patch: Partial<RuleForm>) => setForm((f) => ({ ...f, ...patch }));
  const setTarget = (i: number, patch: Partial<RuleForm['targets'][number]>) =>
    setForm((f) => ({ ...f, targets: f.targets.map((t, j) => (j === i ? { ...t, ...patch } : t)) }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(formToRuleBody(form));
  };

  /** One of the rule's text inputs, under its label and hint, with the server's error for it. */
  const textField = (
    field: 'name' | 'priority' | 'merchant_id' | 'currency' | 'bin_from' | 'bin_to' | 'card_country',
    label: string,
    { hint, ...input }: { hint?: string; inputMode?: 'numeric'; list?: string } = {},
  ) => (
    <Field label={label} hint={hint} error={errors[field]}>
      <input
        name={field}
        value={form[field]}
        aria-invalid={Boolean(errors[field])}
        onChange={(e) => set({ [field]: e.target.value })}
        {...input}
      />
    </Field>
  );

  return (
    <section className="card" aria-labelledby="rule-editor">
      <h2 id="rule-editor">{rule ? `Edit rule ${rule.name || rule.rule_id}` : 'New routing rule'}</h2>
      <form onSubmit={submit} noValidate data-testid="rule-form">
        <div className="grid-form">
          {textField('name', 'Name')}
          {textField('priority', 'Priority', { hint: '0–1,000,000; lower is tried first', inputMode: 'numeric' })}
          <Field label="Enabled" error={errors.enabled}>
            <input type="checkbox" name="enabled" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          </Field>
          {textField('merchant_id', 'Merchant id', { hint: 'blank: any merchant', list: 'rule-merchants' })}
          {textField('currency', 'Currency', { hint: 'ISO 4217, e.g. EUR; blank: any' })}
          {textField('bin_from', 'BIN from', { hint: 'first 6–8 card digits', inputMode: 'numeric' })}
          {textField('bin_to', 'BIN to', { inputMode: 'numeric' })}
          {textField('card_country', 'Customer country', { hint: 'ISO 3166-1 alpha-2; blank: any' })}
        </div>
        <datalist id="rule-merchants">
          {(merchants.data ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </datalist>
        <fieldset className="targets">
          <legend className="label">Targets (1–10): weight draws the first choice; the rest is the cascade order</legend>
          {errors.targets && <span className="field-error">{errors.targets}</span>}
          {form.targets.map((t, i) => (
            <div className="target-row" key={i}>
              <Field label={`Target ${i + 1} acquirer`} error={errors[`targets[${i}].acquirer`]}>
                <select
                  name={`targets[${i}].acquirer`}
                  value={t.acquirer}
                  aria-invalid={Boolean(errors[`targets[${i}].acquirer`])}
                  onChange={(e) => setTarget(i, { acquirer: e.target.value })}
                >
                  <option value="">— choose —</option>
                  {[...new Set([...names, ...(t.acquirer ? [t.acquirer] : [])])].map((n) => (
                    <option key={n}>{n}</option>
                  ))}
                </select>
              </Field>
              <Field label={`Target ${i + 1} weight`} hint="blank: fallback only" error={errors[`targets[${i}].weight`]}>
                <input
                  name={`targets[${i}].weight`}
                  inputMode="numeric"
                  value={t.weight}
                  aria-invalid={Boolean(errors[`targets[${i}].weight`])}
                  onChange={(e) => setTarget(i, { weight: e.target.value })}
                />
              </Field>
              <button
                type="button"
                className="secondary small"
                aria-label={`Remove target ${i + 1}`}
                disabled={form.targets.length === 1}
                onClick={() => setForm((f) => ({ ...f, targets: f.targets.filter((_, j) => j !== i) }))}
              >
                Remove
              </button>
            </div>
          ))}
          <button
            type="button"
            className="secondary small add-target"
            disabled={form.targets.length >= 10}
            onClick={() => setForm((f) => ({ ...f, targets: [...f.targets, { acquirer: '', weight: '' }] }))}
          >
            Add target
          </button>
        </fieldset>
        {unshown.length > 0 && (
          <ul className="field-error" data-testid="other-errors">
            {unshown.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
        {save.isError && Object.keys(errors).length === 0 && <ErrorBox error={save.error} />}
        <FormButtons
          className="actions form-actions"
          submit={rule ? 'Save rule' : 'Create rule'}
          disabled={save.isPending}
          onCancel={onDone}
        />
      </form>
    </section>
  );
}
