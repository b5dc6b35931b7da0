import { describe, expect, it } from 'vitest';
import { describeMatch, describeTargets, emptyRuleForm, formToRuleBody, ruleToForm, type Rule } from './routingRules';
import { fieldErrors, otherErrors } from './problems';
import { ApiError } from '../api/client';

const rule: Rule = {
  rule_id: 'r1',
  name: 'EUR mostly to beta',
  priority: 10,
  enabled: true,
  merchant_id: null,
  currency: 'EUR',
  bin_from: '400000',
  bin_to: '499999',
  card_country: null,
  targets: [
    { acquirer: 'beta', weight: 3 },
    { acquirer: 'gamma', weight: 1 },
    { acquirer: 'alpha', weight: null },
  ],
};

describe('routing rule form ⇄ API body', () => {
  it('round-trips a rule but for its id: blank conditions stay null, targets without weight have none', () => {
    const { rule_id: _id, ...body } = rule;
    expect(formToRuleBody(ruleToForm(rule))).toEqual({
      ...body,
      targets: [{ acquirer: 'beta', weight: 3 }, { acquirer: 'gamma', weight: 1 }, { acquirer: 'alpha' }],
    });
  });
  it('a new rule starts as a catch-all to the first acquirer', () => {
    const body = formToRuleBody(emptyRuleForm('alpha'));
    expect(body.targets).toEqual([{ acquirer: 'alpha' }]);
    expect(body.currency).toBeNull();
    expect(body.priority).toBe(100);
  });
  it('sends a bad number as typed, so the server names the field; drops empty target rows', () => {
    const form = { ...emptyRuleForm('alpha'), priority: 'first', currency: ' eur ' };
    form.targets = [{ acquirer: 'alpha', weight: 'x' }, { acquirer: '', weight: '' }];
    const body = formToRuleBody(form);
    expect(body.priority).toBe('first');
    expect(body.currency).toBe('eur');
    expect(body.targets).toEqual([{ acquirer: 'alpha', weight: 'x' }]);
  });
  it('describes matches and targets', () => {
    expect(describeMatch(rule)).toBe('EUR, BIN 400000–499999');
    expect(describeMatch({})).toBe('every payment');
    expect(describeTargets(rule.targets)).toBe('beta (3) → gamma (1) → alpha');
  });
});

describe('problem+json field errors', () => {
  const error = new ApiError(422, {
    code: 'validation_failed',
    errors: [
      { field: 'priority', code: 'out_of_range', message: 'Must be from 0 to 1000000.' },
      { field: 'targets[1].acquirer', code: 'unknown_acquirer', message: 'No acquirer has this name.' },
      { field: 'targets[1].acquirer', code: 'duplicate_acquirer', message: 'Listed twice.' },
      { field: 'colour', code: 'unknown_field', message: 'Not a field.' },
    ],
  });
  it('by field, several joined', () => {
    expect(fieldErrors(error)).toEqual({
      priority: 'Must be from 0 to 1000000.',
      'targets[1].acquirer': 'No acquirer has this name. Listed twice.',
      colour: 'Not a field.',
    });
  });
  it('none for other errors', () => {
    expect(fieldErrors(new Error('network'))).toEqual({});
    expect(fieldErrors(new ApiError(409, { code: 'routing_rules_limit' }))).toEqual({});
  });
  it('the ones no input shows are listed', () => {
    expect(otherErrors(fieldErrors(error), (f) => f === 'priority' || f.startsWith('targets'))).toEqual(['colour: Not a field.']);
  });
});
