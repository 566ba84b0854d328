import { sql, type Kysely } from 'kysely'

// Tickets at a million rows (issue 3's bench, docs/BENCHMARKS.md "Tickets"):
// - the agent's queue ("mine": assigned to me, active statuses, newest update first) reads its page
//   in index order; with `status = any(4 codes)` the (assignee_id, status, updated_at) index could
//   not, and the queue walked the whole updated-at index instead;
// - search walks the most recent comments first (see listTickets' search);
// - JIT compilation off for this database: on a million tickets the planner's cost estimates pass
//   jit_above_cost for ordinary list and search queries, and compiling them took ~130 ms of a
//   query that runs in 20 ms (measured on PostgreSQL 15). Skipped, with a notice, where the role
//   may not alter its database; PGlite has no JIT.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index tickets_assignee_active_idx on tickets (assignee_id, updated_at desc, number desc)
      where status in ('new', 'open', 'pending', 'on_hold');
    create index comments_created_idx on comments (created_at);
    do $$
    begin
      execute format('alter database %I set jit = off', current_database());
    exception when others then
      raise notice 'jit left as it is: %', sqlerrm;
    end $$;
  `.execute(db)
}
