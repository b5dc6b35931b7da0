-- The console's overview shows the webhook backlog's oldest pending delivery every few seconds: pending deliveries
-- by creation time, so the oldest is the first entry (webhook_deliveries_due orders them by when they are due,
-- which after retries is not their age). Only pending rows are in it, so it stays as small as the backlog.
create index webhook_deliveries_pending_created on webhook_deliveries (created_at) where status = 'pending';
