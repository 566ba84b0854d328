import { sql, type Kysely } from 'kysely'

// Full-text search parses a ticket's description and a comment's body once, in Spanish, instead
// of twice (Spanish and English). Parsing is most of to_tsvector's cost — 5 ms per 20 KB body per
// configuration on the bench machine — and the second parse was the largest share of PostgreSQL's
// work for a mailed-in ticket (inbound throughput 51 → 69 messages/s with it gone). Subjects keep
// both languages. Queries are still parsed in both (list-tickets.ts), so an English word in a body
// matches in the same form, and the snippet (ts_headline) was already Spanish. Rewrites both
// tables once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table tickets drop column search;
    alter table tickets add column search tsvector generated always as (
      setweight(to_tsvector('es_unaccent', subject), 'A') ||
      setweight(to_tsvector('en_unaccent', subject), 'A') ||
      setweight(to_tsvector('es_unaccent', left(description, 200000)), 'B')
    ) stored;
    create index tickets_search_gin on tickets using gin (search);

    alter table comments drop column search;
    alter table comments add column search tsvector generated always as (
      to_tsvector('es_unaccent', left(body_text, 200000))
    ) stored;
    create index comments_search_gin on comments using gin (search);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table tickets drop column search;
    alter table tickets add column search tsvector generated always as (
      setweight(to_tsvector('es_unaccent', subject), 'A') ||
      setweight(to_tsvector('en_unaccent', subject), 'A') ||
      setweight(to_tsvector('es_unaccent', left(description, 200000)), 'B') ||
      setweight(to_tsvector('en_unaccent', left(description, 200000)), 'B')
    ) stored;
    create index tickets_search_gin on tickets using gin (search);

    alter table comments drop column search;
    alter table comments add column search tsvector generated always as (
      to_tsvector('es_unaccent', left(body_text, 200000)) ||
      to_tsvector('en_unaccent', left(body_text, 200000))
    ) stored;
    create index comments_search_gin on comments using gin (search);
  `.execute(db)
}
