import { sql, type Kysely } from 'kysely'

// Full-text search parses a ticket's description and a comment's body once, in its own language,
// instead of twice (Spanish and English). Parsing is most of to_tsvector's cost — 5 ms per 20 KB
// body per configuration on the bench machine — and the second parse was the largest share of
// PostgreSQL's work for a mailed-in ticket (inbound throughput 51 → 69 messages/s without it).
//
// search_language(text) guesses the language from the first 1,000 characters: more common English
// function words ("the", "and", "is", …) than Spanish ones ("el", "que", "de", …) means English,
// anything else (ties, empty) Spanish. Subjects keep both configurations (short, and often
// product names); queries are still parsed in both (list-tickets.ts), so either kind of body
// matches. Rewrites both tables once (the start-up says so: see migrate.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function search_language(t text) returns regconfig language sql immutable parallel safe strict as $$
      select case
        when regexp_count(s, '\\m(the|and|is|are|was|were|to|of|with|you|your|this|that|it|please|have|has|for|my|we|our|be|been|from|on|at|can|will|would|there)\\M')
           > regexp_count(s, '\\m(el|la|los|las|que|de|del|y|es|en|con|por|para|una|un|se|su|sus|gracias|mi|nos|está|pero|como|lo|le|al|cuando|desde|muy)\\M')
        then 'public.en_unaccent'::regconfig
        else 'public.es_unaccent'::regconfig
      end
      from (select lower(left(t, 1000)) as s) x
    $$;

    alter table tickets drop column search;
    alter table tickets add column search tsvector generated always as (
      setweight(to_tsvector('es_unaccent', subject), 'A') ||
      setweight(to_tsvector('en_unaccent', subject), 'A') ||
      setweight(to_tsvector(search_language(description), left(description, 200000)), 'B')
    ) stored;
    create index tickets_search_gin on tickets using gin (search);

    alter table comments drop column search;
    alter table comments add column search tsvector generated always as (
      to_tsvector(search_language(body_text), left(body_text, 200000))
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
    drop function search_language(text);
  `.execute(db)
}
