-- A delivery's event type, kept on the delivery: it is known when the delivery is written and never changes. The
-- deliveries list filtered by type then reads no event per row, and finds a type's deliveries newest first from
-- the index below, rare or common (before, a common type's page at offset 5,000 probed 5,025 events: 108 ms at
-- p99 at a million deliveries; docs/benchmarks.md).
alter table webhook_deliveries add column event_type text;
update webhook_deliveries d set event_type = ev.event_type from webhook_events ev where ev.event_id = d.event_id;
alter table webhook_deliveries alter column event_type set not null;
create index webhook_deliveries_type_created on webhook_deliveries (event_type, created_at desc, delivery_id desc);
