"""Database machinery behind search and slug redirects, kept in SQL on purpose.

Triggers run on every write path (admin, services, imports, raw SQL), so stored
search vectors and slug redirects can never go stale, and no model `save()` or
signal has to remember them.
"""

# Weights: A names, B other names and brand names, C summaries, D body text.
POSTGRES_VECTOR_FUNCTIONS = {
    "drugs_drug": """
        setweight(to_tsvector('english', coalesce(NEW.name, '') || ' ' || coalesce(NEW.generic_name, '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.brand_names, '')), 'B')
        || setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'D')
    """,
    "drugs_condition": """
        setweight(to_tsvector('english', coalesce(NEW.name, '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.other_names, '')), 'B')
        || setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'D')
    """,
    "drugs_indication": """
        setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'C')
        || setweight(to_tsvector('english', concat_ws(' ',
            NEW.approval_note, NEW.what_it_is, NEW.how_it_works, NEW.benefits,
            NEW.what_to_expect, NEW.audience_heading, NEW.audience_text,
            (SELECT string_agg(s.heading || ' ' || s.body, ' ')
               FROM drugs_indicationsection s WHERE s.indication_id = NEW.id)
        )), 'D')
    """,
    "drugs_sideeffect": """
        setweight(to_tsvector('english', coalesce(NEW.name, '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.other_names, '')), 'B')
        || setweight(to_tsvector('english', coalesce(NEW.description, '')), 'D')
    """,
}

TRIGRAM_COLUMNS = {
    "drugs_drug": ["name", "generic_name", "brand_names"],
    "drugs_condition": ["name", "other_names"],
    "drugs_indication": ["title"],
    "drugs_sideeffect": ["name", "other_names"],
}

SLUG_TABLES = {"drug": "drugs_drug", "condition": "drugs_condition"}

TRGM_FUNCTIONS = ["similarity_op", "word_similarity_op", "word_similarity_commutator_op"]

# Table, column and kind names below come only from these constants, never from
# input, which is why the SQL-injection warnings are silenced on them.


def _alter_cost(function, cost):
    return f"""DO $$ BEGIN
        ALTER FUNCTION {function}(text, text) COST {cost};
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'Not the owner of pg_trgm: {function} keeps its cost.';
    END $$"""


def postgres_install_sql():
    """Statements creating pg_trgm, the vector triggers and the GIN indexes (idempotent)."""
    statements = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"]
    # pg_trgm declares its similarity operators as cheap as an integer comparison,
    # so the planner prefers computing similarity on every row over the trigram
    # index: 20,000 drug names cost about 150 ms that way against a few ms.
    # Without ownership of the extension this is skipped: slower, still correct.
    statements += [_alter_cost(function, 200) for function in TRGM_FUNCTIONS]
    for table, expression in POSTGRES_VECTOR_FUNCTIONS.items():
        function = f"search_{table}_vector"
        statements += [
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.search_vector := {expression};
                RETURN NEW;
            END $$""",
            f"DROP TRIGGER IF EXISTS {function} ON {table}",
            f"""CREATE TRIGGER {function} BEFORE INSERT OR UPDATE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {function}()""",
            f"CREATE INDEX IF NOT EXISTS search_{table}_vector_gin ON {table} USING gin (search_vector)",
            # Fill the vectors of rows written before the trigger existed.
            f"UPDATE {table} SET search_vector = NULL",  # noqa: S608
        ]
        for column in TRIGRAM_COLUMNS[table]:
            statements.append(
                f"CREATE INDEX IF NOT EXISTS search_{table}_{column}_trgm "
                f"ON {table} USING gin ({column} gin_trgm_ops)"
            )
    # A section is part of its article's text: touching the article recomputes its vector.
    statements += [
        """CREATE OR REPLACE FUNCTION search_indicationsection_touch() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE drugs_indication SET search_vector = NULL
             WHERE id IN (NEW.indication_id, OLD.indication_id);
            RETURN NULL;
        END $$""",
        "DROP TRIGGER IF EXISTS search_indicationsection_touch ON drugs_indicationsection",
        """CREATE TRIGGER search_indicationsection_touch
            AFTER INSERT OR UPDATE OR DELETE ON drugs_indicationsection
            FOR EACH ROW EXECUTE FUNCTION search_indicationsection_touch()""",
    ]
    for kind, table in SLUG_TABLES.items():
        function = f"search_{table}_slug_redirect"
        statements += [
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO search_slugredirect (kind, old_slug, object_id, created_at)
                VALUES ('{kind}', OLD.slug, OLD.id, now())
                ON CONFLICT (kind, old_slug)
                DO UPDATE SET object_id = EXCLUDED.object_id, created_at = EXCLUDED.created_at;
                DELETE FROM search_slugredirect WHERE kind = '{kind}' AND old_slug = NEW.slug;
                RETURN NULL;
            END $$""",  # noqa: S608
            f"DROP TRIGGER IF EXISTS {function} ON {table}",
            f"""CREATE TRIGGER {function} AFTER UPDATE OF slug ON {table}
                FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug)
                EXECUTE FUNCTION {function}()""",
        ]
    return statements


def postgres_uninstall_sql():
    """Statements undoing `postgres_install_sql` (the extension stays: others may use it)."""
    statements = [
        "DROP TRIGGER IF EXISTS search_indicationsection_touch ON drugs_indicationsection"
    ]
    statements.append("DROP FUNCTION IF EXISTS search_indicationsection_touch()")
    for table in POSTGRES_VECTOR_FUNCTIONS:
        function = f"search_{table}_vector"
        statements += [
            f"DROP TRIGGER IF EXISTS {function} ON {table}",
            f"DROP FUNCTION IF EXISTS {function}()",
            f"DROP INDEX IF EXISTS search_{table}_vector_gin",
        ]
        statements += [
            f"DROP INDEX IF EXISTS search_{table}_{column}_trgm"
            for column in TRIGRAM_COLUMNS[table]
        ]
    for table in SLUG_TABLES.values():
        function = f"search_{table}_slug_redirect"
        statements += [
            f"DROP TRIGGER IF EXISTS {function} ON {table}",
            f"DROP FUNCTION IF EXISTS {function}()",
        ]
    return statements


def sqlite_install_sql():
    """Slug-redirect triggers for SQLite (no search vectors there).

    SQLite drops a table's triggers when a migration rebuilds the table, so
    these are re-created after every `migrate` as well (see apps.py).
    """
    statements = []
    for kind, table in SLUG_TABLES.items():
        statements.append(
            f"""CREATE TRIGGER IF NOT EXISTS search_{table}_slug_redirect
            AFTER UPDATE OF slug ON {table}
            WHEN OLD.slug IS NOT NEW.slug
            BEGIN
                INSERT INTO search_slugredirect (kind, old_slug, object_id, created_at)
                VALUES ('{kind}', OLD.slug, OLD.id, strftime('%Y-%m-%d %H:%M:%f', 'now'))
                ON CONFLICT (kind, old_slug)
                DO UPDATE SET object_id = excluded.object_id, created_at = excluded.created_at;
                DELETE FROM search_slugredirect WHERE kind = '{kind}' AND old_slug = NEW.slug;
            END"""  # noqa: S608
        )
    return statements


def sqlite_uninstall_sql():
    return [
        f"DROP TRIGGER IF EXISTS search_{table}_slug_redirect" for table in SLUG_TABLES.values()
    ]


def install(connection):
    """Create (or re-create) everything above for the database behind `connection`."""
    if connection.vendor == "postgresql":
        statements = postgres_install_sql()
    elif connection.vendor == "sqlite":
        statements = sqlite_install_sql()
    else:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection):
    """Remove the triggers and indexes (for migrating backwards)."""
    if connection.vendor == "postgresql":
        statements = postgres_uninstall_sql()
    elif connection.vendor == "sqlite":
        statements = sqlite_uninstall_sql()
    else:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
