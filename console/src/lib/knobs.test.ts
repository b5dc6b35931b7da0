import { describe, expect, it } from 'vitest';
import { formToKnobsBody, knobErrorMessage, knobsToForm, type Knobs } from './knobs';

const alpha: Knobs = {
  latency_mean_ms: 20,
  latency_spread_ms: 10,
  approval_rate: 0.85,
  error_rate: 0.07,
  timeout_rate: 0,
  late_answer_ms: 3000,
};

describe('simulator knobs ⇄ form', () => {
  it('shows rates as percentages without float noise', () => {
    const form = knobsToForm(alpha);
    expect(form.approval_rate).toBe('85');
    expect(form.error_rate).toBe('7');
    expect(form.latency_mean_ms).toBe('20');
  });
  it('an unchanged form sends nothing', () => {
    expect(formToKnobsBody(knobsToForm(alpha), alpha)).toEqual({ body: {}, errors: {} });
  });
  it('sends only what changed, percentages as shares', () => {
    const form = { ...knobsToForm(alpha), approval_rate: '50', latency_mean_ms: '200', error_rate: '12.5' };
    expect(formToKnobsBody(form, alpha)).toEqual({
      body: { approval_rate: 0.5, latency_mean_ms: 200, error_rate: 0.125 },
      errors: {},
    });
  });
  it('names fields that are not numbers; out of range goes to the server as typed', () => {
    const form = { ...knobsToForm(alpha), approval_rate: 'lots', latency_spread_ms: '', timeout_rate: '150' };
    const { body, errors } = formToKnobsBody(form, alpha);
    expect(Object.keys(errors).sort()).toEqual(['approval_rate', 'latency_spread_ms']);
    expect(body).toEqual({ timeout_rate: 1.5 });
  });
});

describe("the server's knob messages in the form's units", () => {
  it('rates read as percentages; milliseconds unchanged', () => {
    expect(knobErrorMessage('approval_rate', 'Must be a number from 0 to 1.')).toBe('Must be a number from 0 to 100 %.');
    expect(knobErrorMessage('error_rate', 'error_rate and timeout_rate together must not exceed 1.')).toBe(
      'error_rate and timeout_rate together must not exceed 100 %.',
    );
    expect(knobErrorMessage('latency_mean_ms', 'Must be a whole number from 0 to 60000.')).toBe(
      'Must be a whole number from 0 to 60000.',
    );
  });
});
