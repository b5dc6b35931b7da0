-- Merchant suspension and the API-key lifecycle: rotation with a grace period, revocation, last use.

-- Set while the merchant is suspended: its API keys are refused with 403 merchant_suspended (nothing else changes).
alter table merchants add column suspended_at timestamptz;

alter table api_keys
    -- set when the key is rotated: it keeps working until then (PAYRAIL_API_KEYS_ROTATION_GRACE after the rotation)
    add column expires_at   timestamptz,
    -- the key that replaced it at a rotation
    add column replaced_by  uuid references api_keys (api_key_id) on delete set null,
    -- when it last authenticated a request; written in batches, at most once a minute per key, so may lag a little
    add column last_used_at timestamptz;
