import { sql, type Kysely } from 'kysely'

// SLA engine, storage: business calendars (the default Mon–Fri 09:00–17:00 Mexico City calendar
// with Mexico's statutory rest days, and a 24×7 one), ordered policies with their escalations,
// each ticket's targets as last computed (ticket_sla) plus a one-row summary per ticket with its
// next due time (lists filter and sort on it), the escalations that fired (exactly once per
// ticket, target, cycle and kind), breaches for reports, and scheduled cut-offs (cortes).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sla_calendars (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 120),
      -- 'default' and '24x7' are seeded and cannot be deleted.
      builtin text unique check (builtin in ('default','24x7')),
      -- The calendar of policies that name none ("horario de atención" by default).
      is_default boolean not null default false,
      timezone text not null,
      -- {"mon": [["09:00","17:00"]], …}; validated by the application (validateCalendar).
      hours jsonb not null,
      -- Extra closed dates: [{"date": "2026-12-24", "name": "Nochebuena"}].
      holidays jsonb not null default '[]',
      -- Generate a country's statutory rest days for every year ('MX': Ley Federal del Trabajo art. 74).
      statutory text check (statutory in ('MX')),
      -- Generated dates the admin removed ("this year we work on 16 September").
      removed_holidays text[] not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index sla_calendars_name_key on sla_calendars (lower(name));
    create unique index sla_calendars_one_default on sla_calendars (is_default) where is_default;

    insert into sla_calendars (name, builtin, is_default, timezone, hours, statutory) values
      ('Horario de atención (lunes a viernes 9:00–17:00)', 'default', true, 'America/Mexico_City',
       '{"mon":[["09:00","17:00"]],"tue":[["09:00","17:00"]],"wed":[["09:00","17:00"]],"thu":[["09:00","17:00"]],"fri":[["09:00","17:00"]]}', 'MX'),
      ('24×7', '24x7', false, 'America/Mexico_City',
       '{"mon":[["00:00","24:00"]],"tue":[["00:00","24:00"]],"wed":[["00:00","24:00"]],"thu":[["00:00","24:00"]],"fri":[["00:00","24:00"]],"sat":[["00:00","24:00"]],"sun":[["00:00","24:00"]]}', null);

    create table sla_policies (
      id uuid primary key default gen_random_uuid(),
      position int not null default 0,
      name text not null check (length(name) between 1 and 200),
      description text,
      active boolean not null default true,
      -- SlaPolicyConditions: types, categoryIds, priorities, organizationIds, tiers, channels.
      conditions jsonb not null default '{}',
      -- Targets per priority: {"high": {"firstResponseMinutes": 60, "resolutionMinutes": 240}, …}.
      targets jsonb not null,
      calendar_mode text not null default 'business' check (calendar_mode in ('business','24x7')),
      calendar_id uuid references sla_calendars(id),
      pause_on_hold boolean not null default false,
      resolution_start text not null default 'created' check (resolution_start in ('created','info_complete')),
      warning_percent int not null default 75 check (warning_percent between 1 and 100),
      -- [{"on": "warning"|"breach", "targets": [...], "actions": [...]}]
      escalations jsonb not null default '[]',
      -- Policies loaded from an example set keep the preset's id (e.g. mvno-payment-adjustments-sla).
      preset_key text unique,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index sla_policies_order_idx on sla_policies (position, created_at, id);

    -- Each ticket's targets as of computed_at (the clock replayed over the ticket's history).
    create table ticket_sla (
      ticket_id uuid not null references tickets(id) on delete cascade,
      target text not null check (target in ('first_response','next_response','resolution')),
      -- Next response: the cycle number (1, 2, …); 0 for the other targets.
      cycle int not null default 0,
      state text not null check (state in ('running','paused','met','breached')),
      counting boolean not null,
      target_ms bigint not null,
      elapsed_ms bigint not null,
      due_at timestamptz,
      warning_at timestamptz,
      warning boolean not null default false,
      met_at timestamptz,
      breached_at timestamptz,
      computed_at timestamptz not null,
      primary key (ticket_id, target)
    );

    -- One row per ticket: what lists filter and sort on. next_due_at is the earliest deadline of a
    -- running target ('9999-12-31' when none), overdue_since the earliest unmet breach.
    create table ticket_sla_summary (
      ticket_id uuid primary key references tickets(id) on delete cascade,
      policy_id uuid references sla_policies(id) on delete set null,
      calendar_id uuid references sla_calendars(id) on delete set null,
      next_due_at timestamptz not null default '9999-12-31T00:00:00Z',
      warning_at timestamptz,
      overdue_since timestamptz,
      computed_at timestamptz not null default now()
    );
    create index ticket_sla_summary_due_idx on ticket_sla_summary (next_due_at, ticket_id);
    create index ticket_sla_summary_overdue_idx on ticket_sla_summary (overdue_since) where overdue_since is not null;
    create index ticket_sla_summary_warning_idx on ticket_sla_summary (warning_at) where warning_at is not null;
    create index ticket_sla_summary_policy_idx on ticket_sla_summary (policy_id);
    insert into ticket_sla_summary (ticket_id) select id from tickets;

    -- Escalations that ran: the primary key makes each one happen once, whatever the job queue does.
    create table sla_escalations (
      ticket_id uuid not null references tickets(id) on delete cascade,
      target text not null,
      cycle int not null,
      kind text not null check (kind in ('warning','breach')),
      fired_at timestamptz not null,
      -- Imported tickets: warnings and breaches already in the past are recorded, not acted on.
      suppressed boolean not null default false,
      actions jsonb not null default '[]',
      primary key (ticket_id, target, cycle, kind)
    );

    -- Breaches for reports (one per ticket, target and cycle; kept when policies change later).
    create table sla_breaches (
      id bigserial primary key,
      ticket_id uuid not null references tickets(id) on delete cascade,
      target text not null,
      cycle int not null default 0,
      policy_id uuid references sla_policies(id) on delete set null,
      priority text,
      category_id uuid,
      team_id uuid,
      assignee_id uuid,
      organization_id uuid,
      target_minutes int not null,
      due_at timestamptz not null,
      breached_at timestamptz not null,
      met_at timestamptz,
      recorded_at timestamptz not null default now(),
      unique (ticket_id, target, cycle)
    );
    create index sla_breaches_breached_idx on sla_breaches (breached_at);

    -- Scheduled cut-offs (cortes): at given local times, act on the tickets matching a filter.
    create table sla_cutoffs (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 120),
      calendar_id uuid references sla_calendars(id),
      days text[] not null,
      times text[] not null,
      -- A GET /api/v1/tickets filter (TicketFilters), e.g. {"categoryId": ["…"]}.
      filter jsonb not null default '{}',
      action text not null default 'public_update' check (action in ('public_update','internal_note','none')),
      template_es text not null default '',
      template_en text not null default '',
      remind_assignee boolean not null default false,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table sla_cutoff_runs (
      cutoff_id uuid not null references sla_cutoffs(id) on delete cascade,
      scheduled_for timestamptz not null,
      ran_at timestamptz not null,
      tickets int not null,
      primary key (cutoff_id, scheduled_for)
    );
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only')
}
