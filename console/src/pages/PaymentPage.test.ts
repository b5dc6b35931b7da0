import { describe, expect, it } from 'vitest';
import { storySettled } from './PaymentPage';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const final = (at: string) => ({ type: 'payment_final', at, status: 'approved' });
const created = { type: 'payment_created', at: '2026-11-27T11:59:58Z' };

describe('the payment page polls its timeline until the story settles', () => {
  it('not final yet: keeps polling', () => {
    expect(storySettled([created], NOW)).toBe(false);
  });
  it('final, but its webhook not created yet: keeps polling for a minute', () => {
    expect(storySettled([created, final('2026-11-27T11:59:59Z')], NOW)).toBe(false);
    expect(storySettled([created, final('2026-11-27T11:58:00Z')], NOW)).toBe(true);
  });
  it('final, webhook pending: keeps polling; delivered or dead: stops', () => {
    const delivery = (status: string) => ({ type: 'webhook_delivery', at: '2026-11-27T11:59:59Z', status });
    expect(storySettled([created, final('2026-11-27T11:59:59Z'), delivery('pending')], NOW)).toBe(false);
    expect(storySettled([created, final('2026-11-27T11:59:59Z'), delivery('delivered')], NOW)).toBe(true);
    expect(storySettled([created, final('2026-11-27T11:59:59Z'), delivery('dead')], NOW)).toBe(true);
  });
});
