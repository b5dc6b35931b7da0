-- The operators' webhook lists at a million rows (bench/admin-lists.sh after bench/seed-million.sh).
-- Deliveries, dead first, then failing, then the rest, each newest first (WebhookHistory.deliveries): each rank is
-- read from an index in that order and no further than the page's end, instead of sorting every delivery on every
-- page. Failing ones come from webhook_deliveries_pending_created (V14); the rest from the first index here; dead
-- ones, few and written once, from the second.
create index webhook_deliveries_created on webhook_deliveries (created_at desc, delivery_id desc);
create index webhook_deliveries_dead on webhook_deliveries (created_at desc, delivery_id desc) where status = 'dead';
-- Events of every merchant, newest first, in keyset pages (WebhookHistory.events); one merchant's keep theirs.
create index webhook_events_created on webhook_events (created_at desc, event_id desc);
-- Filtered by type: newest first within the type, and the way into a rare type's deliveries (found through their
-- events, then sorted, rather than by reading every newer delivery to find them).
create index webhook_events_type_created on webhook_events (event_type, created_at desc, event_id desc);
