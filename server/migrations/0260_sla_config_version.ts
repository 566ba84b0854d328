import { sql, type Kysely } from 'kysely'

// The SLA engine keeps the active policies and the calendars in memory (they change rarely and
// every ticket change reads them). `sla_config.version` tells an instance whether its copy is
// current: any write to sla_policies or sla_calendars sets it to a new random number, so a
// number is never reused — not by a rolled-back edit that a cache saw inside its own transaction,
// and not by another database served by the same process (test databases cloned from one
// template start with the same number and the same rows). The recomputation reads it in the
// same statement that locks the ticket.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sla_config (
      only_row boolean primary key default true check (only_row),
      version bigint not null
    );
    insert into sla_config (version) values (floor(random() * 9007199254740991)::bigint);
    create function sla_config_bump() returns trigger language plpgsql as $$
    begin
      update sla_config set version = floor(random() * 9007199254740991)::bigint;
      return null;
    end $$;
    create trigger sla_policies_bump after insert or update or delete or truncate on sla_policies
      for each statement execute function sla_config_bump();
    create trigger sla_calendars_bump after insert or update or delete or truncate on sla_calendars
      for each statement execute function sla_config_bump();
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger sla_policies_bump on sla_policies;
    drop trigger sla_calendars_bump on sla_calendars;
    drop function sla_config_bump();
    drop table sla_config;
  `.execute(db)
}
