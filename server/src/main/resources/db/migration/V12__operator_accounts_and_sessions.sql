-- Operator accounts of the admin side: e-mail (unique, case-insensitive), Argon2id password hash, one role.
-- A disabled account cannot log in and its sessions stop working at their next request.
create table operator_accounts (
    account_id    uuid primary key,
    email         text        not null,
    password_hash text        not null,
    role          text        not null check (role in ('admin', 'operator', 'viewer')),
    disabled      boolean     not null default false,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    last_login_at timestamptz
);
create unique index operator_accounts_email on operator_accounts (lower(email));

-- Signed-in operators' sessions (Spring Session JDBC's own schema for PostgreSQL): any node serves a session and
-- a restart logs no one out. Expired sessions are deleted by Spring Session's clean-up job.
create table spring_session (
    primary_id            char(36)     not null,
    session_id            char(36)     not null,
    creation_time         bigint       not null,
    last_access_time      bigint       not null,
    max_inactive_interval int          not null,
    expiry_time           bigint       not null,
    principal_name        varchar(100),
    constraint spring_session_pk primary key (primary_id)
);
create unique index spring_session_ix1 on spring_session (session_id);
create index spring_session_ix2 on spring_session (expiry_time);
create index spring_session_ix3 on spring_session (principal_name);

create table spring_session_attributes (
    session_primary_id char(36)     not null,
    attribute_name     varchar(200) not null,
    attribute_bytes    bytea        not null,
    constraint spring_session_attributes_pk primary key (session_primary_id, attribute_name),
    constraint spring_session_attributes_fk foreign key (session_primary_id) references spring_session (primary_id) on delete cascade
);
