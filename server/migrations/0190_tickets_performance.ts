import { sql, type Kysely } from 'kysely'

// Tickets at a million rows (issue 3's bench, docs/BENCHMARKS.md "Tickets"):
// - the agent's queue ("mine": assigned to me, active statuses, newest update first) reads its page
//   in index order; with `status = any(4 codes)` the (assignee_id, status, updated_at) index could
//   not, and the queue walked the whole updated-at index instead;
// - filtered lists by status + category subtree + created range find their rows and sort keys in
//   one index (index-only: the page's ids first, then the rows), instead of visiting every ticket of
//   the status;
// - search takes the most recent matching comments first (see listTickets' search).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index tickets_assignee_active_idx on tickets (assignee_id, updated_at desc, number desc)
      where status in ('new', 'open', 'pending', 'on_hold');
    create index tickets_status_category_created_idx on tickets (status, category_id, created_at) include (updated_at, number, id);
    create index comments_created_idx on comments (created_at);
  `.execute(db)
}
