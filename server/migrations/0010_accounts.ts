import { sql, type Kysely } from 'kysely'

// Accounts: a contact's usual site, and durable CSV/JSON imports of organizations, sites and contacts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users add column site_id uuid references sites(id) on delete set null;
    create index users_site_idx on users (site_id) where site_id is not null;

    create table imports (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('contacts')),
      status text not null default 'queued' check (status in ('queued','running','done','failed')),
      created_by uuid references users(id) on delete set null,
      rows jsonb not null,
      total int not null,
      processed int not null default 0,
      created_count int not null default 0,
      updated_count int not null default 0,
      error_count int not null default 0,
      errors jsonb not null default '[]',
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    create index imports_creator_idx on imports (created_by, created_at desc);
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only')
}
