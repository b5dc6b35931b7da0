import { describe, expect, it } from 'vitest';
import { can } from './roles';

describe('what each role is offered', () => {
  it('admin: everything', () => {
    for (const a of [
      'refund',
      'resend-webhook',
      'redeliver-webhook',
      'create-merchant',
      'suspend-merchant',
      'edit-webhook-endpoints',
      'manage-api-keys',
      'edit-routing',
      'manage-accounts',
      'manage-acquirers',
    ] as const) {
      expect(can('admin', a)).toBe(true);
    }
  });
  it('operator: payments, refunds, redeliveries, merchant suspend', () => {
    expect(can('operator', 'refund')).toBe(true);
    expect(can('operator', 'resend-webhook')).toBe(true);
    expect(can('operator', 'suspend-merchant')).toBe(true);
    expect(can('operator', 'redeliver-webhook')).toBe(true);
    expect(can('operator', 'edit-webhook-endpoints')).toBe(false);
    expect(can('operator', 'manage-api-keys')).toBe(false);
    expect(can('operator', 'create-merchant')).toBe(false);
    expect(can('operator', 'edit-routing')).toBe(false);
    expect(can('operator', 'manage-accounts')).toBe(false);
    expect(can('operator', 'manage-acquirers')).toBe(false);
  });
  it('viewer and no session: nothing', () => {
    expect(can('viewer', 'refund')).toBe(false);
    expect(can('viewer', 'resend-webhook')).toBe(false);
    expect(can('viewer', 'redeliver-webhook')).toBe(false);
    expect(can('viewer', 'edit-webhook-endpoints')).toBe(false);
    expect(can(undefined, 'refund')).toBe(false);
  });
});
