/**
 * What each role may do, as the server enforces it (issue 8, admin/AccessRules.java): admin everything; operator
 * payments, refunds, webhook resends and redeliveries, merchant suspend; viewer reads only. The console hides what the role may not do; the server
 * refuses it anyway.
 */
export const ROLES = ['admin', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export type Action =
  | 'refund'
  | 'resend-webhook'
  | 'create-merchant'
  | 'suspend-merchant'
  | 'redeliver-webhook'
  | 'edit-webhook-endpoints'
  | 'manage-api-keys'
  | 'edit-routing'
  | 'manage-accounts'
  | 'manage-acquirers';

const OPERATOR: ReadonlySet<Action> = new Set([
  'refund',
  'resend-webhook',
  'redeliver-webhook',
  'suspend-merchant',
]);

export function can(role: Role | undefined, action: Action): boolean {
  switch (role) {
    case 'admin':
      return true;
    case 'operator':
      return OPERATOR.has(action);
    default:
      return false;
  }
}
