import { sql, type Kysely } from 'kysely'

// Ticket core: types, categories, statuses, custom fields, tickets, conversation, history,
// watchers, external references, calls and saved views. Seeds the four types and 7 statuses.
// Part B (attachments, links, import) adds its own tables in 0150–0199 on top of these.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- unaccent() is only STABLE; generated columns and indexes need an IMMUTABLE wrapper.
    create or replace function f_unaccent(text) returns text language sql immutable parallel safe strict as
      $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$;

    -- Full-text search configurations that fold accents before stemming, so "informacion" finds
    -- "información" and ts_headline can highlight the original (accented) words.
    create text search configuration es_unaccent (copy = pg_catalog.spanish);
    alter text search configuration es_unaccent alter mapping for hword, hword_part, word with public.unaccent, spanish_stem;
    create text search configuration en_unaccent (copy = pg_catalog.english);
    alter text search configuration en_unaccent alter mapping for hword, hword_part, word with public.unaccent, english_stem;

    -- Human ticket numbers: one sequence shared by every instance, never reused.
    create sequence ticket_number_seq as bigint start with 10000 minvalue 1;

    create table ticket_types (
      id uuid primary key default gen_random_uuid(),
      code text not null check (code ~ '^[a-z][a-z0-9_]{0,49}$'),
      name_es text not null,
      name_en text not null,
      description text,
      position int not null default 0,
      active boolean not null default true,
      -- R6: a ticket of this type filed without evidence goes to "En espera de información".
      requires_evidence boolean not null default false,
      created_at timestamptz not null default now()
    );
    create unique index ticket_types_code_key on ticket_types (code);

    create table categories (
      id uuid primary key default gen_random_uuid(),
      parent_id uuid references categories(id),
      name text not null,
      description text,
      -- Ancestors then self (root first): a subtree is "path @> array[id]".
      path uuid[] not null default '{}',
      depth int not null default 0,
      position int not null default 0,
      active boolean not null default true,
      default_team_id uuid references teams(id) on delete set null,
      default_priority text check (default_priority in ('urgent','high','normal','low')),
      default_type_id uuid references ticket_types(id),
      created_at timestamptz not null default now()
    );
    create unique index categories_sibling_name_key
      on categories (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name));
    create index categories_path_gin on categories using gin (path);

    -- Custom statuses, each mapped to one of the 7 status codes (its category).
    create table ticket_statuses (
      id uuid primary key default gen_random_uuid(),
      key text not null check (key ~ '^[a-z][a-z0-9_]{0,49}$'),
      category text not null check (category in ('new','open','pending','on_hold','resolved','closed','cancelled')),
      label_es text not null,
      label_en text not null,
      position int not null default 0,
      active boolean not null default true,
      is_default boolean not null default false,
      created_at timestamptz not null default now()
    );
    create unique index ticket_statuses_key on ticket_statuses (key);
    create unique index ticket_statuses_default_key on ticket_statuses (category) where is_default;

    create table custom_fields (
      id uuid primary key default gen_random_uuid(),
      key text not null check (key ~ '^[a-z][a-z0-9_]{0,49}$'),
      label_es text not null,
      label_en text not null,
      description text,
      kind text not null check (kind in ('text','long_text','number','date','select','multi_select','checkbox','user','site')),
      -- select / multi_select: [{"value": "...", "labelEs": "...", "labelEn": "..."}]
      options jsonb not null default '[]',
      -- Ticket types the field belongs to; empty = every type.
      type_ids uuid[] not null default '{}',
      required boolean not null default false,
      customer_visible boolean not null default false,
      customer_editable boolean not null default false,
      position int not null default 0,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      check (not customer_editable or customer_visible)
    );
    create unique index custom_fields_key on custom_fields (key);

    create table tickets (
      id uuid primary key default gen_random_uuid(),
      number bigint not null default nextval('ticket_number_seq'),
      subject text not null,
      description text not null default '',
      description_html text not null default '',
      type_id uuid not null references ticket_types(id),
      category_id uuid references categories(id),
      priority text not null default 'normal' check (priority in ('urgent','high','normal','low')),
      priority_rank smallint generated always as (
        case priority when 'urgent' then 4 when 'high' then 3 when 'normal' then 2 else 1 end) stored,
      -- status is the code (category) of status_id; a trigger keeps the two in step.
      status text not null default 'new' check (status in ('new','open','pending','on_hold','resolved','closed','cancelled')),
      status_id uuid references ticket_statuses(id),
      channel text not null default 'web' check (channel in ('web','email','phone','chat','sms','whatsapp','social','api')),
      requester_id uuid not null references users(id),
      organization_id uuid references organizations(id),
      site_id uuid references sites(id),
      assignee_id uuid references users(id),
      team_id uuid references teams(id),
      support_level smallint check (support_level between 1 and 9),
      tags text[] not null default '{}',
      custom_fields jsonb not null default '{}',
      -- on_hold: who we wait for and their case reference.
      third_party text,
      third_party_ref text,
      cancel_reason text check (cancel_reason in ('duplicate','error','requester_request')),
      cancel_note text,
      duplicate_of_id uuid references tickets(id),
      -- Part B (merge): the ticket this one was merged into.
      merged_into_id uuid references tickets(id),
      -- A reply to a closed ticket opens a follow-up that points here.
      follow_up_of_id uuid references tickets(id),
      call_count int not null default 0,
      reopen_count int not null default 0,
      created_by_id uuid references users(id),
      via_token_id uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      status_changed_at timestamptz not null default now(),
      first_response_at timestamptz,
      resolved_at timestamptz,
      closed_at timestamptz,
      cancelled_at timestamptz,
      search tsvector generated always as (
        setweight(to_tsvector('es_unaccent', subject), 'A') ||
        setweight(to_tsvector('en_unaccent', subject), 'A') ||
        setweight(to_tsvector('es_unaccent', left(description, 200000)), 'B') ||
        setweight(to_tsvector('en_unaccent', left(description, 200000)), 'B')
      ) stored
    );
    create unique index tickets_number_key on tickets (number);
    -- Agent queues sorted by last update, with and without status / assignee / team. Ties break
    -- by number (unique, in creation order), which is also the keyset pagination's second key.
    create index tickets_updated_idx on tickets (updated_at desc, number desc);
    create index tickets_status_updated_idx on tickets (status, updated_at desc, number desc);
    create index tickets_assignee_updated_idx on tickets (assignee_id, status, updated_at desc, number desc);
    create index tickets_team_updated_idx on tickets (team_id, status, updated_at desc, number desc);
    create index tickets_requester_updated_idx on tickets (requester_id, updated_at desc, number desc);
    create index tickets_org_updated_idx on tickets (organization_id, updated_at desc, number desc) where organization_id is not null;
    -- Filtered lists (status + category + date range), newest update first: the scan is bounded by
    -- status and category whatever the date filter.
    create index tickets_status_category_updated_idx on tickets (status, category_id, updated_at desc, number desc);
    create index tickets_category_created_idx on tickets (category_id, created_at desc, number desc);
    create index tickets_created_idx on tickets (created_at desc, number desc);
    create index tickets_resolved_idx on tickets (resolved_at) where status = 'resolved';
    create index tickets_tags_gin on tickets using gin (tags);
    create index tickets_custom_fields_gin on tickets using gin (custom_fields jsonb_path_ops);
    create index tickets_search_gin on tickets using gin (search);
    create index tickets_follow_up_idx on tickets (follow_up_of_id) where follow_up_of_id is not null;
    create index tickets_merged_into_idx on tickets (merged_into_id) where merged_into_id is not null;
    create index tickets_duplicate_of_idx on tickets (duplicate_of_id) where duplicate_of_id is not null;

    -- Keeps tickets.status (the code) and tickets.status_id (the possibly custom status) consistent:
    -- writers may set either; a missing status_id becomes the default status of the code.
    create function tickets_sync_status() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and new.status_id is not distinct from old.status_id and new.status is distinct from old.status then
        new.status_id := null;
      end if;
      if new.status_id is null then
        select id into new.status_id from ticket_statuses where category = new.status and is_default;
      else
        select category into new.status from ticket_statuses where id = new.status_id;
      end if;
      if new.status_id is null then
        raise exception 'unknown ticket status %', new.status;
      end if;
      return new;
    end $$;
    create trigger tickets_sync_status before insert or update of status, status_id on tickets
      for each row execute function tickets_sync_status();

    create table comments (
      id uuid primary key default gen_random_uuid(),
      ticket_id uuid not null references tickets(id),
      author_id uuid references users(id),
      internal boolean not null default false,
      channel text not null default 'web' check (channel in ('web','email','phone','chat','sms','whatsapp','social','api','system')),
      body_text text not null,
      body_html text not null,
      mentions uuid[] not null default '{}',
      via_token_id uuid,
      -- Source identifier (e.g. an email Message-ID) for idempotent intake.
      external_id text,
      created_at timestamptz not null default now(),
      search tsvector generated always as (
        to_tsvector('es_unaccent', left(body_text, 200000)) ||
        to_tsvector('en_unaccent', left(body_text, 200000))
      ) stored
    );
    create index comments_ticket_idx on comments (ticket_id, created_at, id);
    create index comments_search_gin on comments using gin (search);
    create unique index comments_external_id_key on comments (ticket_id, external_id) where external_id is not null;

    -- Append-only: who changed what, when, old and new value, through which channel / API token.
    create table ticket_history (
      id bigserial primary key,
      ticket_id uuid not null references tickets(id),
      at timestamptz not null default now(),
      actor_id uuid,
      via text not null default 'web' check (via in ('web','api','email','system','import','phone','chat','sms','whatsapp','social')),
      via_token_id uuid,
      action text not null,
      field text,
      old_value jsonb,
      new_value jsonb,
      -- Hidden from customers (internal notes, agent-only fields, internal attributes).
      internal boolean not null default false
    );
    create index ticket_history_ticket_idx on ticket_history (ticket_id, id);
    create trigger ticket_history_append_only before update or delete on ticket_history
      for each row execute function forbid_change();

    create table ticket_watchers (
      ticket_id uuid not null references tickets(id),
      user_id uuid not null references users(id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (ticket_id, user_id)
    );
    create index ticket_watchers_user_idx on ticket_watchers (user_id);

    -- Provider case numbers, call IDs and other outside identifiers; searchable.
    create table ticket_external_refs (
      id uuid primary key default gen_random_uuid(),
      ticket_id uuid not null references tickets(id),
      kind text not null check (kind in ('provider_case','call_id','other')),
      provider text,
      value text not null check (length(value) between 1 and 200),
      created_at timestamptz not null default now()
    );
    create unique index ticket_external_refs_key on ticket_external_refs (ticket_id, kind, lower(value));
    create index ticket_external_refs_value_idx on ticket_external_refs (lower(value));
    create index ticket_external_refs_value_trgm on ticket_external_refs using gin (lower(value) gin_trgm_ops);

    -- Each call received about a ticket (R22); tickets.call_count is their number.
    create table ticket_calls (
      id uuid primary key default gen_random_uuid(),
      ticket_id uuid not null references tickets(id),
      call_id text,
      direction text not null default 'inbound' check (direction in ('inbound','outbound')),
      agent_id uuid references users(id),
      note text,
      at timestamptz not null default now()
    );
    create index ticket_calls_ticket_idx on ticket_calls (ticket_id, at);
    create index ticket_calls_at_idx on ticket_calls (at);

    -- Saved views: personal (owner_id) or shared with a team (team_id).
    create table ticket_views (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      owner_id uuid references users(id) on delete cascade,
      team_id uuid references teams(id) on delete cascade,
      filters jsonb not null default '{}',
      sort text not null default '-updatedAt',
      position int not null default 0,
      created_by_id uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((owner_id is null) <> (team_id is null))
    );
    create index ticket_views_owner_idx on ticket_views (owner_id) where owner_id is not null;
    create index ticket_views_team_idx on ticket_views (team_id) where team_id is not null;

    -- Contact search for the call-centre screen (partial phone / email).
    create index if not exists tickets_contact_email_trgm on users using gin (lower(email) gin_trgm_ops) where role = 'customer';
    create index if not exists tickets_contact_phone_trgm on users using gin (regexp_replace(phone, '\\D', '', 'g') gin_trgm_ops) where role = 'customer';
    create index if not exists tickets_contact_name_trgm on users using gin (f_unaccent(lower(name)) gin_trgm_ops) where role = 'customer';

    insert into ticket_types (code, name_es, name_en, position) values
      ('consulta', 'Consulta', 'Question', 1),
      ('incidente_servicio', 'Incidente en el servicio', 'Service incident', 2),
      ('solicitud_cotizacion', 'Solicitud de cotización', 'Quote request', 3),
      ('incidente_seguridad', 'Incidente de seguridad', 'Security incident', 4);

    insert into ticket_statuses (key, category, label_es, label_en, position, is_default) values
      ('new', 'new', 'Nuevo', 'New', 1, true),
      ('open', 'open', 'En proceso', 'Open', 2, true),
      ('pending', 'pending', 'En espera de información', 'Waiting for information', 3, true),
      ('on_hold', 'on_hold', 'Dependencia de un tercero', 'Waiting on third party', 4, true),
      ('resolved', 'resolved', 'Resuelto', 'Resolved', 5, true),
      ('closed', 'closed', 'Cerrado', 'Closed', 6, true),
      ('cancelled', 'cancelled', 'Cancelado', 'Cancelled', 7, true);
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only')
}
