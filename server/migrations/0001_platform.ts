import { sql, type Kysely } from 'kysely'

// Platform tables: accounts, sessions, tokens, audit log, settings, jobs and the event outbox.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create extension if not exists unaccent;
    create extension if not exists pg_trgm;

    create table organizations (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      domains text[] not null default '{}',
      tier text not null default 'standard' check (tier in ('standard','vip')),
      shares_tickets boolean not null default false,
      notes text,
      created_at timestamptz not null default now()
    );
    create unique index organizations_name_key on organizations (lower(name));

    create table sites (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null references organizations(id) on delete cascade,
      code text not null,
      name text not null,
      address text
    );
    create unique index sites_org_code_key on sites (organization_id, lower(code));
    create index sites_code_idx on sites (lower(code));

    create table users (
      id uuid primary key default gen_random_uuid(),
      email text,
      name text not null,
      phone text,
      role text not null check (role in ('customer','agent','supervisor','admin')),
      password_hash text,
      locale text not null default 'es-MX',
      timezone text not null default 'America/Mexico_City',
      active boolean not null default true,
      organization_id uuid references organizations(id),
      org_manager boolean not null default false,
      ticket_scope text not null default 'all' check (ticket_scope in ('all','teams','assigned')),
      notification_prefs jsonb not null default '{}',
      email_failing boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      last_login_at timestamptz,
      password_changed_at timestamptz
    );
    create unique index users_email_key on users (lower(email)) where email is not null;
    create index users_phone_idx on users (phone) where phone is not null;
    create index users_org_idx on users (organization_id);
    create index users_name_trgm on users using gin (lower(name) gin_trgm_ops);

    create table teams (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      level int not null default 1 check (level >= 1),
      lead_user_id uuid references users(id),
      created_at timestamptz not null default now()
    );
    create unique index teams_name_key on teams (lower(name));

    create table team_members (
      team_id uuid not null references teams(id) on delete cascade,
      user_id uuid not null references users(id) on delete cascade,
      primary key (team_id, user_id)
    );
    create index team_members_user_idx on team_members (user_id);

    create table sessions (
      id text primary key,
      user_id uuid not null references users(id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null default now(),
      ip text,
      user_agent text
    );
    create index sessions_user_idx on sessions (user_id);

    create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      name text not null,
      token_hash text not null unique,
      prefix text not null,
      scopes text[] not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    create table user_tokens (
      token_hash text primary key,
      user_id uuid references users(id) on delete cascade,
      purpose text not null check (purpose in ('reset','invite','setup')),
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    );

    create table login_throttle (
      key text primary key,
      failures int not null,
      window_start timestamptz not null,
      locked_until timestamptz
    );

    create table audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      actor_id uuid,
      action text not null,
      target_type text,
      target_id text,
      ip text,
      details jsonb not null default '{}'
    );
    create index audit_log_at_idx on audit_log (at desc);
    create index audit_log_action_idx on audit_log (action, at desc);

    create table idempotency_keys (
      user_id uuid not null,
      key text not null,
      method text not null,
      path text not null,
      status_code int not null,
      response jsonb not null,
      created_at timestamptz not null default now(),
      primary key (user_id, key)
    );

    create table settings (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    );

    create table jobs (
      id bigserial primary key,
      name text not null,
      payload jsonb not null default '{}',
      run_at timestamptz not null default now(),
      status text not null default 'queued' check (status in ('queued','running','done','dead')),
      attempts int not null default 0,
      max_attempts int not null default 8,
      last_error text,
      locked_until timestamptz,
      locked_by text,
      unique_key text,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    );
    create index jobs_due_idx on jobs (run_at) where status = 'queued';
    create index jobs_running_idx on jobs (locked_until) where status = 'running';
    create index jobs_dead_idx on jobs (finished_at desc) where status = 'dead';
    create unique index jobs_unique_key on jobs (unique_key) where unique_key is not null and status in ('queued','running');

    create table job_schedules (
      name text primary key,
      job_name text not null,
      cron text not null,
      timezone text not null,
      payload jsonb not null default '{}',
      next_run_at timestamptz not null,
      enabled boolean not null default true
    );

    create table events (
      id bigserial primary key,
      type text not null,
      ticket_id uuid,
      actor_id uuid,
      payload jsonb not null default '{}',
      created_at timestamptz not null default now()
    );
    create index events_ticket_idx on events (ticket_id, id);

    -- The audit log is append-only: evidence for auditors (R34).
    create function forbid_change() returns trigger language plpgsql as $$
    begin
      raise exception 'append-only table %', TG_TABLE_NAME;
    end $$;
    create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function forbid_change();
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only')
}
