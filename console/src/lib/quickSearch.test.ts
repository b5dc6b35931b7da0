import { describe, expect, it } from 'vitest';
import { quickSearchTarget } from './quickSearch';

const ID = '01a21c9e-3ebe-7bfc-8dc1-bb0038039c75';

describe('quick search', () => {
  it('one match opens the payment', () => {
    expect(quickSearchTarget(' order-1001 ', { total: 1, items: [{ payment_id: ID }] })).toBe(`/payments/${ID}`);
  });
  it('several matches open the list filtered by what was typed', () => {
    const found = { total: 7, items: [{ payment_id: ID }, { payment_id: 'other' }] };
    expect(quickSearchTarget('order-10', found)).toBe('/payments?q=order-10');
  });
  it('no match opens the filtered list too (it says nothing matches)', () => {
    expect(quickSearchTarget('nothing', { total: 0, items: [] })).toBe('/payments?q=nothing');
  });
  it('a failed lookup falls back to the list, which shows the error', () => {
    expect(quickSearchTarget('order 1/2 & co')).toBe('/payments?q=order+1%2F2+%26+co');
  });
  it('nothing typed: the whole list', () => {
    expect(quickSearchTarget('   ', { total: 1, items: [{ payment_id: ID }] })).toBe('/payments');
  });
});
