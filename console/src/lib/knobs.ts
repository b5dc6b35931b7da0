/**
 * A simulator's knobs (PUT /simulators/acquirers/{name}/knobs) as a form: latencies in milliseconds, rates as
 * percentages for people (the API takes shares, 0–1). Only the fields that changed are sent; the server checks
 * ranges and names every bad field.
 */

export interface Knobs {
  latency_mean_ms: number;
  latency_spread_ms: number;
  approval_rate: number;
  error_rate: number;
  timeout_rate: number;
  late_answer_ms: number;
}

export type KnobField = keyof Knobs;

export const KNOB_FIELDS: readonly { field: KnobField; label: string; unit: 'ms' | '%' }[] = [
  { field: 'latency_mean_ms', label: 'Latency mean', unit: 'ms' },
  { field: 'latency_spread_ms', label: 'Latency spread (±)', unit: 'ms' },
  { field: 'approval_rate', label: 'Approval rate', unit: '%' },
  { field: 'error_rate', label: 'Error rate (500)', unit: '%' },
  { field: 'timeout_rate', label: 'Time-out rate', unit: '%' },
  { field: 'late_answer_ms', label: 'Late answer after', unit: 'ms' },
];

export type KnobsForm = Record<KnobField, string>;

/** "85" for 0.85 (no float noise: 0.07 → "7"). */
function percent(share: number): string {
  return String(Math.round(share * 100_000) / 1000);
}

export function knobsToForm(k: Knobs): KnobsForm {
  const form = {} as KnobsForm;
  for (const { field, unit } of KNOB_FIELDS) {
    form[field] = unit === '%' ? percent(k[field]) : String(k[field]);
  }
  return form;
}

/**
 * The PUT body for what changed between `before` and the form, or the fields that are not numbers. Percentages
 * become shares (85 → 0.85). A value out of range is sent as typed: the server's answer names it.
 */
export function formToKnobsBody(
  form: KnobsForm,
  before: Knobs,
): { body: Partial<Knobs>; errors: Partial<Record<KnobField, string>> } {
  const body: Partial<Knobs> = {};
  const errors: Partial<Record<KnobField, string>> = {};
  for (const { field, unit } of KNOB_FIELDS) {
    const text = form[field].trim();
    if (!/^-?\d+(\.\d+)?$/.test(text)) {
      errors[field] = unit === '%' ? 'A number from 0 to 100.' : 'A whole number of milliseconds.';
      continue;
    }
    const value = unit === '%' ? Math.round(Number(text) * 1000) / 100_000 : Number(text);
    if (value !== before[field]) body[field] = value;
  }
  return { body, errors };
}

/**
 * The server's message for a knob, in the form's units: rates are typed as percentages, so "from 0 to 1" and
 * "exceed 1" (shares) read as "from 0 to 100 %" and "exceed 100 %".
 */
export function knobErrorMessage(field: KnobField, message: string): string {
  const unit = KNOB_FIELDS.find((k) => k.field === field)?.unit;
  if (unit !== '%') return message;
  return message.replace(/\bfrom 0 to 1\b/, 'from 0 to 100 %').replace(/\bexceed 1\b/, 'exceed 100 %');
}
