import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Overview } from '../api/client';

/** How often the live views (overview, a merchant's activity) ask again; not while the tab is hidden. */
export const POLL_MS = 5_000;

/** `GET /admin-api/stats/overview` for the last `minutes` (one merchant's, when given), polled every POLL_MS. */
export function useOverview(minutes: number, merchantId?: string) {
  return useQuery({
    queryKey: ['stats', 'overview', minutes, ...(merchantId ? [merchantId] : [])],
    queryFn: () =>
      unwrap<Overview>(
        api.GET('/admin-api/stats/overview', {
          params: { query: merchantId ? { minutes, merchant_id: merchantId } : { minutes } },
        }),
      ),
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });
}
