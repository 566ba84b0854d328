import { sql, type Kysely } from 'kysely'

// Lists sorted by SLA due ("sort=sla_due", the default of "sla=breached", cut-off runs and digests)
// put overdue tickets first, most overdue first, then the ones due soonest, and tickets with
// nothing running (paused, resolved, closed, cancelled) last. `next_due_at` alone cannot say that:
// a ticket whose open targets are all breached has no running deadline (9999-12-31) and sorted
// last. `due_order_at` is the earliest of the breach still owed and the next running deadline;
// being generated, it is filled for the existing rows when added (the backfill) and kept in step
// by every write of the summary. `next_due_at` keeps its meaning (the sweep and "vencen hoy").
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table ticket_sla_summary
      add column due_order_at timestamptz generated always as (least(overdue_since, next_due_at)) stored;
    create index ticket_sla_summary_due_order_idx on ticket_sla_summary (due_order_at, ticket_id);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index ticket_sla_summary_due_order_idx;
    alter table ticket_sla_summary drop column due_order_at;
  `.execute(db)
}
