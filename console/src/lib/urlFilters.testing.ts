/** Test support (not a test file itself): what every list's filters ⇄ URL keep to. */
import { expect, it } from 'vitest';
import type { UrlFilters } from '../components/listFilters';

/**
 * Tests that a list's filters and its URL stand for each other: an empty URL is the default list and the default
 * list an empty URL; a URL with every filter reads as `every.filters` and is written back to the same URL.
 */
export function itKeepsFiltersInUrl<F>(
  inUrl: Pick<UrlFilters<F>, 'fromSearch' | 'toSearch'>,
  defaults: NoInfer<F>,
  every: { url: string; filters: NoInfer<F> },
) {
  it('an empty URL is the default list, and the default list an empty URL', () => {
    expect(inUrl.fromSearch(new URLSearchParams(''))).toEqual(defaults);
    expect(inUrl.toSearch(defaults).toString()).toBe('');
  });

  it('reads every filter and writes it back the same', () => {
    const filters = inUrl.fromSearch(new URLSearchParams(every.url));
    expect(filters).toEqual(every.filters);
    expect(inUrl.toSearch(filters).toString()).toBe(every.url);
  });
}
