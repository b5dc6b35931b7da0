/**
 * The routing rule editor's form ⇄ the admin API's rule (POST and PUT /admin-api/routing-rules). Conditions left
 * blank are sent as null (no condition: matches anything). Numbers are sent as numbers when they look like one and
 * as typed otherwise, so the server's validation (one place for the rules) names the bad field.
 */

export interface Target {
  acquirer: string;
  weight?: number | null;
}

export interface Rule {
  rule_id?: string;
  name?: string | null;
  priority: number;
  enabled: boolean;
  merchant_id?: string | null;
  currency?: string | null;
  bin_from?: string | null;
  bin_to?: string | null;
  card_country?: string | null;
  targets: Target[];
}

export interface TargetForm {
  acquirer: string;
  weight: string;
}

export interface RuleForm {
  name: string;
  priority: string;
  enabled: boolean;
  merchant_id: string;
  currency: string;
  bin_from: string;
  bin_to: string;
  card_country: string;
  targets: TargetForm[];
}

export const CONDITIONS = ['merchant_id', 'currency', 'bin_from', 'bin_to', 'card_country'] as const;

export function emptyRuleForm(firstAcquirer = ''): RuleForm {
  return {
    name: '',
    priority: '100',
    enabled: true,
    merchant_id: '',
    currency: '',
    bin_from: '',
    bin_to: '',
    card_country: '',
    targets: [{ acquirer: firstAcquirer, weight: '' }],
  };
}

export function ruleToForm(rule: Rule): RuleForm {
  return {
    name: rule.name ?? '',
    priority: String(rule.priority),
    enabled: rule.enabled,
    merchant_id: rule.merchant_id ?? '',
    currency: rule.currency ?? '',
    bin_from: rule.bin_from ?? '',
    bin_to: rule.bin_to ?? '',
    card_country: rule.card_country ?? '',
    targets: rule.targets.map((t) => ({ acquirer: t.acquirer, weight: t.weight == null ? '' : String(t.weight) })),
  };
}

/** "12" → 12; "" → undefined; anything else as typed (the server refuses it, naming the field). */
function numberOrText(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

/** The JSON body the API takes. Typed loosely on purpose: a bad number goes to the server as the operator typed it. */
export function formToRuleBody(form: RuleForm): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: form.name.trim(),
    priority: numberOrText(form.priority) ?? null,
    enabled: form.enabled,
  };
  for (const c of CONDITIONS) {
    const v = form[c].trim();
    body[c] = v === '' ? null : v;
  }
  body.targets = form.targets
    .filter((t) => t.acquirer.trim() !== '' || t.weight.trim() !== '')
    .map((t) => {
      const weight = numberOrText(t.weight);
      return weight === undefined ? { acquirer: t.acquirer.trim() } : { acquirer: t.acquirer.trim(), weight };
    });
  return body;
}

/** What a rule matches, in words: "EUR, BIN 400000–499999" or "every payment". */
export function describeMatch(r: Pick<Rule, 'merchant_id' | 'currency' | 'bin_from' | 'bin_to' | 'card_country'>): string {
  const parts: string[] = [];
  if (r.merchant_id) parts.push(`merchant ${r.merchant_id.slice(0, 8)}…`);
  if (r.currency) parts.push(r.currency);
  if (r.bin_from || r.bin_to) parts.push(`BIN ${r.bin_from ?? '…'}–${r.bin_to ?? '…'}`);
  if (r.card_country) parts.push(`card country ${r.card_country}`);
  return parts.length === 0 ? 'every payment' : parts.join(', ');
}

/** "beta (3) → gamma (1) → alpha": the draw's weights, then the cascade order. */
export function describeTargets(targets: readonly Target[]): string {
  return targets.map((t) => (t.weight == null ? t.acquirer : `${t.acquirer} (${t.weight})`)).join(' → ');
}
