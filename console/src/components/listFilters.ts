/** A list's filters: kept in the URL, and typed into its filter form. */
import { useEffect, useMemo, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';

/** How a list's filters live in the console's URL: read from its query string, written back, and changed. */
export interface UrlFilters<F> {
  fromSearch: (search: URLSearchParams) => F;
  toSearch: (filters: F) => URLSearchParams;
  /** the filters after a change (what else the change resets, e.g. the page) */
  change: (filters: F, change: Partial<F>) => F;
}

/**
 * A list's filters kept in the URL, so a reload or a shared link shows the same list: the current ones, `go` to
 * replace them all, `change` to change some.
 */
export function useUrlFilters<F>(url: UrlFilters<F>) {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => url.fromSearch(params), [url, params]);
  const go = (next: F) => setParams(url.toSearch(next));
  // A change builds on the address bar, not on this render's `filters`: the router updates the URL at once but
  // renders it a moment later (a transition), and a second change in between (state, then merchant, chosen quickly)
  // would otherwise drop the first.
  const change = (c: Partial<F>) => go(url.change(url.fromSearch(new URLSearchParams(window.location.search)), c));
  return { filters, go, change };
}

/** A list's filters in the URL (as {@link UrlFilters}) and the query of the API's list for them. */
export interface ListFiltersInUrl<F, Q> extends UrlFilters<F> {
  query: (filters: F) => Q;
}

/**
 * A list page's filters kept in the URL (as {@link useUrlFilters}) and the list read for them: `key` is the first
 * part of its query key (what a change to the list invalidates), `read` reads one page with the API's query, again
 * every `refetchInterval` milliseconds where given. While another page or filter is read, the previous rows stay.
 */
export function useUrlList<F, Q, T>(
  inUrl: ListFiltersInUrl<F, Q>,
  key: string,
  read: (query: Q) => Promise<T>,
  refetchInterval?: number,
) {
  const { filters, go, change } = useUrlFilters(inUrl);
  const query = inUrl.query(filters);
  const list = useQuery({
    queryKey: [key, query],
    queryFn: () => read(query),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
  return { filters, go, change, list };
}

/**
 * A filter form's typed fields, applied on Enter or "Apply" (not on every key stroke): what is typed, and an input's
 * `value` and `onChange` for each field. Whenever `source` changes (the list's filters after a change, "Clear", a
 * link), what is typed goes back to `fields(source)`.
 */
export function useTypedFields<S, K extends string>(source: S, fields: (source: S) => Record<K, string>) {
  const [text, setText] = useState(() => fields(source));
  useEffect(() => setText(fields(source)), [source, fields]);
  const input = (key: K) => ({
    value: text[key],
    onChange: (e: { target: { value: string } }) => setText({ ...text, [key]: e.target.value }),
  });
  return { text, input };
}
