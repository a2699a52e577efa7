"""Analytics rollups: the Analytics page reads a few thousand pre-summed rows, never the drafts.

Triggers keep four rollup tables in step with every write, in the writer's transaction, so the
figures are exact the moment an action commits:

- analytics_draft_rollup: per (grain, period, broker, confidence bucket, outcome, fact-check status,
  archive category) the drafts created then and the sums every KPI and chart needs (approved, sent,
  archived, decided, sent untouched, confidence, refinements, word-overlap similarity of edited sends).
- analytics_duration_rollup: draft→review and draft→send durations as a log-spaced histogram
  (8 steps per doubling, so a median read from it is within ±4.4 %; anything under a second is step 0).
- analytics_activity_rollup: audit events per (grain, period, actor, action).
- analytics_time_saved_rollup: ai_metadata.timeSaved of emails, by the email's sent day.

grain 'd' rows are UTC days and grain 'w' rows ISO weeks (Monday): a date range reads its whole
weeks from 'w' rows and at most six days at either edge from 'd' rows. broker '' is the whole team;
a named broker's rows cover the drafts that broker acted on (analytics_draft_brokers, filled by the
trigger on draft_events), as the page's scoping has always meant.

Writers never wait on each other: a delta is added to an existing row of its key that is not
locked (FOR UPDATE SKIP LOCKED), else inserted as a new row, so a key may have a few rows and
readers sum them. Bulk loads set `echo.analytics_rollups = off` and call analytics_rollup_rebuild(),
which recomputes every rollup from the base tables through the same per-draft delta functions.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

DRAFT_KEYS = ("grain", "period", "broker", "bucket", "outcome", "validation", "category")
DRAFT_SUMS = ("drafts", "approved", "sent", "archived", "decided", "sent_unedited",
              "confidence_sum", "refinements_sum", "similarity_sum", "similarity_n")
DURATION_KEYS = ("grain", "period", "broker", "kind", "step")
ACTIVITY_KEYS = ("grain", "period", "actor", "action")
SAVED_KEYS = ("grain", "period", "broker")
SAVED_SUMS = ("emails", "measured", "minutes")

HELPERS = r"""
CREATE FUNCTION analytics_num(value jsonb) RETURNS double precision LANGUAGE sql IMMUTABLE AS $$
    -- A JSON number, or a string spelling one; anything else is unknown (never an error in a trigger).
    SELECT CASE jsonb_typeof(value)
        WHEN 'number' THEN (value #>> '{}')::double precision
        WHEN 'string' THEN CASE WHEN value #>> '{}' ~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]{1,3})?\s*$'
                                THEN (value #>> '{}')::double precision END
    END
$$;

CREATE FUNCTION analytics_word_dice(ai text, sent text) RETURNS double precision LANGUAGE sql IMMUTABLE AS $$
    -- Word-level Dice coefficient (multiset): 1.0 = the same words, 0.0 = none in common.
    SELECT 2.0 * (SELECT count(*) FROM (SELECT unnest(w.a) INTERSECT ALL SELECT unnest(w.b)) i)
           / nullif(cardinality(w.a) + cardinality(w.b), 0)
    FROM (SELECT regexp_split_to_array(lower(btrim(ai)), '\s+') AS a,
                 regexp_split_to_array(lower(btrim(coalesce(sent, ''))), '\s+') AS b) w
$$;

CREATE FUNCTION analytics_step(elapsed interval) RETURNS smallint LANGUAGE sql IMMUTABLE STRICT AS $$
    -- Histogram step of a duration: 8 per doubling of seconds; under a second (or negative) is step 0.
    SELECT floor(8 * ln(greatest(extract(epoch FROM elapsed)::double precision, 1)) / ln(2))::smallint
$$;

CREATE FUNCTION analytics_period(grain text, day date) RETURNS date LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE grain WHEN 'w' THEN date_trunc('week', day)::date ELSE day END
$$;

-- Per-draft facts, as the page defines them. "Approved" still stands once sent or archived from
-- approved/sent; a sent draft's final_body is the body sent (sent drafts can't be edited).
CREATE FUNCTION analytics_draft_facts(d email_drafts) RETURNS TABLE (
    day date, bucket smallint, outcome text, validation text, category text,
    approved int, sent int, archived int, decided int, sent_unedited int, confidence int, refinements int,
    similarity double precision, review_step smallint, send_step smallint,
    saved_day date, saved_minutes double precision
) LANGUAGE sql STABLE AS $$
    SELECT (d.created_at AT TIME ZONE 'UTC')::date,
           (least(d.confidence_score / 10, 9) * 10)::smallint,
           CASE WHEN s.was_sent THEN 'sent' WHEN d.status = 'archived' THEN 'archived' ELSE '' END,
           coalesce(d.validation ->> 'status', 'not checked'),
           CASE WHEN d.status = 'archived' THEN coalesce(d.archive_category, 'other') ELSE '' END,
           (d.status IN ('approved', 'sent') OR d.sent_email_id IS NOT NULL
            OR coalesce(d.archived_from_status IN ('approved', 'sent'), false))::int,
           s.was_sent::int, (d.status = 'archived')::int, (d.status <> 'pending')::int,
           (s.was_sent AND s.unedited)::int,
           d.confidence_score,
           CASE WHEN jsonb_typeof(d.draft_versions) = 'array'
                THEN greatest(jsonb_array_length(d.draft_versions) - 1, 0) ELSE 0 END,
           CASE WHEN s.was_sent AND NOT s.unedited THEN analytics_word_dice(d.ai_generated_body, d.final_body) END,
           analytics_step(d.reviewed_at - d.created_at),
           analytics_step(d.sent_at - d.created_at),
           (e.sent_at AT TIME ZONE 'UTC')::date,
           analytics_num(e.ai_metadata #> '{timeSaved,traditional}') - analytics_num(e.ai_metadata #> '{timeSaved,withAI}')
    FROM (SELECT d.status = 'sent' OR d.sent_email_id IS NOT NULL AS was_sent,
                 btrim(d.ai_generated_body) = btrim(coalesce(d.final_body, '')) AS unedited) s
    LEFT JOIN emails e ON e.id = d.sent_email_id AND jsonb_typeof(e.ai_metadata -> 'timeSaved') = 'object'
$$;

-- What replacing draft version `old_d` by `new_d` (either may be NULL) changes, for each scope.
CREATE FUNCTION analytics_draft_deltas(old_d email_drafts, new_d email_drafts, scopes text[])
RETURNS TABLE (grain text, period date, broker text, bucket smallint, outcome text, validation text,
               category text, drafts bigint, approved bigint, sent bigint, archived bigint, decided bigint,
               sent_unedited bigint, confidence_sum bigint, refinements_sum bigint,
               similarity_sum double precision, similarity_n bigint)
LANGUAGE sql STABLE AS $$
    WITH f AS (SELECT -1 AS sign, f.* FROM analytics_draft_facts(old_d) f WHERE (old_d).id IS NOT NULL
               UNION ALL
               SELECT 1, f.* FROM analytics_draft_facts(new_d) f WHERE (new_d).id IS NOT NULL)
    SELECT g.grain, analytics_period(g.grain, f.day), s.broker, f.bucket, f.outcome, f.validation, f.category,
           sum(f.sign), sum(f.sign * f.approved), sum(f.sign * f.sent), sum(f.sign * f.archived),
           sum(f.sign * f.decided), sum(f.sign * f.sent_unedited), sum(f.sign * f.confidence),
           sum(f.sign * f.refinements), coalesce(sum(f.sign * f.similarity), 0),
           sum(f.sign * (f.similarity IS NOT NULL)::int)
    FROM f CROSS JOIN unnest(scopes) s(broker) CROSS JOIN (VALUES ('d'), ('w')) g(grain)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(f.sign) <> 0 OR sum(f.sign * f.approved) <> 0 OR sum(f.sign * f.sent) <> 0
        OR sum(f.sign * f.archived) <> 0 OR sum(f.sign * f.decided) <> 0 OR sum(f.sign * f.sent_unedited) <> 0
        OR sum(f.sign * f.confidence) <> 0 OR sum(f.sign * f.refinements) <> 0
        OR coalesce(sum(f.sign * f.similarity), 0) <> 0 OR sum(f.sign * (f.similarity IS NOT NULL)::int) <> 0
$$;

CREATE FUNCTION analytics_duration_deltas(old_d email_drafts, new_d email_drafts, scopes text[])
RETURNS TABLE (grain text, period date, broker text, kind text, step smallint, drafts bigint)
LANGUAGE sql STABLE AS $$
    WITH f AS (SELECT -1 AS sign, f.* FROM analytics_draft_facts(old_d) f WHERE (old_d).id IS NOT NULL
               UNION ALL
               SELECT 1, f.* FROM analytics_draft_facts(new_d) f WHERE (new_d).id IS NOT NULL),
    steps AS (SELECT sign, day, 'review' AS kind, review_step AS step FROM f WHERE review_step IS NOT NULL
              UNION ALL
              SELECT sign, day, 'send', send_step FROM f WHERE send_step IS NOT NULL)
    SELECT g.grain, analytics_period(g.grain, x.day), s.broker, x.kind, x.step, sum(x.sign)
    FROM steps x CROSS JOIN unnest(scopes) s(broker) CROSS JOIN (VALUES ('d'), ('w')) g(grain)
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(x.sign) <> 0
$$;

-- Time saved by a draft's sent email, for brokers only: the team figure counts every email.
CREATE FUNCTION analytics_draft_saved_deltas(old_d email_drafts, new_d email_drafts, scopes text[])
RETURNS TABLE (grain text, period date, broker text, emails bigint, measured bigint, minutes double precision)
LANGUAGE sql STABLE AS $$
    WITH f AS (SELECT -1 AS sign, f.* FROM analytics_draft_facts(old_d) f WHERE (old_d).id IS NOT NULL
               UNION ALL
               SELECT 1, f.* FROM analytics_draft_facts(new_d) f WHERE (new_d).id IS NOT NULL)
    SELECT g.grain, analytics_period(g.grain, f.saved_day), s.broker, sum(f.sign),
           sum(f.sign * (f.saved_minutes IS NOT NULL)::int), coalesce(sum(f.sign * f.saved_minutes), 0)
    FROM f CROSS JOIN unnest(scopes) s(broker) CROSS JOIN (VALUES ('d'), ('w')) g(grain)
    WHERE f.saved_day IS NOT NULL AND s.broker <> ''
    GROUP BY 1, 2, 3 HAVING sum(f.sign) <> 0 OR coalesce(sum(f.sign * f.saved_minutes), 0) <> 0
$$;

CREATE FUNCTION analytics_email_saved_deltas(old_e emails, new_e emails, scopes text[])
RETURNS TABLE (grain text, period date, broker text, emails bigint, measured bigint, minutes double precision)
LANGUAGE sql STABLE AS $$
    WITH x AS (SELECT -1 AS sign, old_e AS e WHERE (old_e).id IS NOT NULL
               UNION ALL SELECT 1, new_e WHERE (new_e).id IS NOT NULL),
    f AS (SELECT x.sign, ((x.e).sent_at AT TIME ZONE 'UTC')::date AS day,
                 analytics_num((x.e).ai_metadata #> '{timeSaved,traditional}')
                 - analytics_num((x.e).ai_metadata #> '{timeSaved,withAI}') AS minutes
          FROM x WHERE jsonb_typeof((x.e).ai_metadata -> 'timeSaved') = 'object')
    SELECT g.grain, analytics_period(g.grain, f.day), s.broker, sum(f.sign),
           sum(f.sign * (f.minutes IS NOT NULL)::int), coalesce(sum(f.sign * f.minutes), 0)
    FROM f CROSS JOIN unnest(scopes) s(broker) CROSS JOIN (VALUES ('d'), ('w')) g(grain)
    GROUP BY 1, 2, 3 HAVING sum(f.sign) <> 0 OR coalesce(sum(f.sign * f.minutes), 0) <> 0
$$;
"""


def _apply(table: str, keys: tuple[str, ...], sums: tuple[str, ...], source: str) -> str:
    """plpgsql: add each delta row of `source` to an unlocked row of its key, or insert it as a new row.

    SKIP LOCKED means a writer never waits for another (and so never deadlocks on the rollups);
    a row whose sums all come back to zero is deleted.
    """
    match = " AND ".join(f"{k} = r.{k}" for k in keys)
    return f"""
    FOR r IN {source} LOOP
        SELECT id INTO rid FROM {table} WHERE {match} LIMIT 1 FOR UPDATE SKIP LOCKED;
        IF rid IS NULL THEN
            INSERT INTO {table} ({", ".join(keys + sums)}) VALUES ({", ".join(f"r.{c}" for c in keys + sums)});
        ELSE
            UPDATE {table} SET {", ".join(f"{s} = {s} + r.{s}" for s in sums)} WHERE id = rid;
            DELETE FROM {table} WHERE id = rid AND {" AND ".join(f"{s} = 0" for s in sums)};
        END IF;
    END LOOP;"""


def _apply_draft(old: str, new: str, scopes: str) -> str:
    return (
        _apply("analytics_draft_rollup", DRAFT_KEYS, DRAFT_SUMS,
               f"SELECT * FROM analytics_draft_deltas({old}, {new}, {scopes})")
        + _apply("analytics_duration_rollup", DURATION_KEYS, ("drafts",),
                 f"SELECT * FROM analytics_duration_deltas({old}, {new}, {scopes})")
        + _apply("analytics_time_saved_rollup", SAVED_KEYS, SAVED_SUMS,
                 f"SELECT * FROM analytics_draft_saved_deltas({old}, {new}, {scopes})")
    )


_SCOPES = ("(SELECT ARRAY[''] || ARRAY(SELECT b.broker FROM analytics_draft_brokers b "
           "WHERE b.draft_id = d.id ORDER BY b.broker)) AS s(scopes)")
_OFF = "IF current_setting('echo.analytics_rollups', true) = 'off' THEN RETURN NULL; END IF;"

TRIGGERS = f"""
CREATE FUNCTION analytics_draft_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r record; rid bigint; old_d email_drafts; new_d email_drafts; scopes text[];
BEGIN
    {_OFF}
    IF TG_OP <> 'INSERT' THEN old_d := OLD; END IF;
    IF TG_OP <> 'DELETE' THEN new_d := NEW; END IF;
    scopes := ARRAY[''] || ARRAY(SELECT broker FROM analytics_draft_brokers
                                 WHERE draft_id = coalesce(new_d.id, old_d.id) ORDER BY broker);
    {_apply_draft("old_d", "new_d", "scopes")}
    RETURN NULL;
END $$;

CREATE FUNCTION analytics_event_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r record; rid bigint; d email_drafts;
BEGIN
    {_OFF}
    {_apply("analytics_activity_rollup", ACTIVITY_KEYS, ("actions",),
            "SELECT g.grain, analytics_period(g.grain, (NEW.created_at AT TIME ZONE 'UTC')::date) AS period, "
            "NEW.actor AS actor, NEW.action AS action, 1 AS actions FROM (VALUES ('d'), ('w')) g(grain)")}
    INSERT INTO analytics_draft_brokers (draft_id, broker) VALUES (NEW.draft_id, NEW.actor) ON CONFLICT DO NOTHING;
    IF FOUND THEN
        -- The actor's first action on this draft: the draft now counts in their figures. FOR SHARE
        -- waits for a concurrent update of the draft, so what is added is what that update left.
        SELECT * INTO d FROM email_drafts WHERE id = NEW.draft_id FOR SHARE;
        IF FOUND THEN
            {_apply_draft("NULL", "d", "ARRAY[NEW.actor]")}
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION analytics_email_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r record; rid bigint; old_e emails; new_e emails; scopes text[];
BEGIN
    {_OFF}
    IF TG_OP <> 'INSERT' THEN old_e := OLD; END IF;
    IF TG_OP <> 'DELETE' THEN new_e := NEW; END IF;
    scopes := ARRAY[''] || ARRAY(SELECT b.broker FROM email_drafts d JOIN analytics_draft_brokers b ON b.draft_id = d.id
                                 WHERE d.sent_email_id = coalesce(new_e.id, old_e.id) ORDER BY b.broker);
    {_apply("analytics_time_saved_rollup", SAVED_KEYS, SAVED_SUMS,
            "SELECT * FROM analytics_email_saved_deltas(old_e, new_e, scopes)")}
    RETURN NULL;
END $$;

CREATE FUNCTION analytics_rollup_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE analytics_draft_brokers, analytics_draft_rollup, analytics_duration_rollup,
             analytics_activity_rollup, analytics_time_saved_rollup;
    INSERT INTO analytics_draft_brokers (draft_id, broker) SELECT DISTINCT draft_id, actor FROM draft_events;
    INSERT INTO analytics_draft_rollup ({", ".join(DRAFT_KEYS + DRAFT_SUMS)})
    SELECT {", ".join(f"x.{k}" for k in DRAFT_KEYS)}, {", ".join(f"sum(x.{s})" for s in DRAFT_SUMS)}
    FROM email_drafts d, LATERAL {_SCOPES},
         LATERAL analytics_draft_deltas(NULL, d, s.scopes) x
    GROUP BY {", ".join(f"x.{k}" for k in DRAFT_KEYS)};
    INSERT INTO analytics_duration_rollup ({", ".join(DURATION_KEYS)}, drafts)
    SELECT {", ".join(f"x.{k}" for k in DURATION_KEYS)}, sum(x.drafts)
    FROM email_drafts d, LATERAL {_SCOPES},
         LATERAL analytics_duration_deltas(NULL, d, s.scopes) x
    GROUP BY {", ".join(f"x.{k}" for k in DURATION_KEYS)};
    INSERT INTO analytics_time_saved_rollup ({", ".join(SAVED_KEYS + SAVED_SUMS)})
    SELECT {", ".join(SAVED_KEYS)}, {", ".join(f"sum(x.{s})" for s in SAVED_SUMS)}
    FROM (SELECT x.* FROM email_drafts d, LATERAL {_SCOPES},
                 LATERAL analytics_draft_saved_deltas(NULL, d, s.scopes) x
          UNION ALL
          SELECT x.* FROM emails e, LATERAL analytics_email_saved_deltas(NULL, e, ARRAY['']) x) x
    GROUP BY {", ".join(SAVED_KEYS)};
    INSERT INTO analytics_activity_rollup ({", ".join(ACTIVITY_KEYS)}, actions)
    SELECT g.grain, analytics_period(g.grain, (ev.created_at AT TIME ZONE 'UTC')::date), ev.actor, ev.action, count(*)
    FROM draft_events ev CROSS JOIN (VALUES ('d'), ('w')) g(grain)
    GROUP BY 1, 2, 3, 4;
    ANALYZE analytics_draft_brokers, analytics_draft_rollup, analytics_duration_rollup,
            analytics_activity_rollup, analytics_time_saved_rollup;
END $$;

CREATE FUNCTION analytics_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_OFF}
    PERFORM analytics_rollup_rebuild();
    RETURN NULL;
END $$;
"""

DRAFT_COLUMNS = ("created_at", "status", "confidence_score", "validation", "archive_category", "draft_versions",
                 "sent_email_id", "archived_from_status", "ai_generated_body", "final_body", "reviewed_at", "sent_at")
_DRAFT_CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in DRAFT_COLUMNS)
TRIGGER_DEFINITIONS = (
    "CREATE TRIGGER analytics_draft_added_or_removed AFTER INSERT OR DELETE ON email_drafts "
    "FOR EACH ROW EXECUTE FUNCTION analytics_draft_changed()",
    f"CREATE TRIGGER analytics_draft_updated AFTER UPDATE ON email_drafts FOR EACH ROW WHEN ({_DRAFT_CHANGED}) "
    "EXECUTE FUNCTION analytics_draft_changed()",
    "CREATE TRIGGER analytics_event_added AFTER INSERT ON draft_events "
    "FOR EACH ROW EXECUTE FUNCTION analytics_event_added()",
    "CREATE TRIGGER analytics_email_added_or_removed AFTER INSERT OR DELETE ON emails "
    "FOR EACH ROW EXECUTE FUNCTION analytics_email_changed()",
    "CREATE TRIGGER analytics_email_updated AFTER UPDATE OF ai_metadata, sent_at ON emails "
    "FOR EACH ROW EXECUTE FUNCTION analytics_email_changed()",
    *(f"CREATE TRIGGER analytics_{t}_truncated AFTER TRUNCATE ON {t} FOR EACH STATEMENT "
      "EXECUTE FUNCTION analytics_truncated()" for t in ("emails", "email_drafts", "draft_events")),
)
TRIGGER_NAMES = (("analytics_draft_added_or_removed", "email_drafts"), ("analytics_draft_updated", "email_drafts"),
                 ("analytics_event_added", "draft_events"), ("analytics_email_added_or_removed", "emails"),
                 ("analytics_email_updated", "emails"), ("analytics_emails_truncated", "emails"),
                 ("analytics_email_drafts_truncated", "email_drafts"),
                 ("analytics_draft_events_truncated", "draft_events"))
FUNCTIONS = ("analytics_truncated()", "analytics_rollup_rebuild()", "analytics_email_changed()",
             "analytics_event_added()", "analytics_draft_changed()",
             "analytics_email_saved_deltas(emails, emails, text[])",
             "analytics_draft_saved_deltas(email_drafts, email_drafts, text[])",
             "analytics_duration_deltas(email_drafts, email_drafts, text[])",
             "analytics_draft_deltas(email_drafts, email_drafts, text[])", "analytics_draft_facts(email_drafts)",
             "analytics_period(text, date)", "analytics_step(interval)", "analytics_word_dice(text, text)",
             "analytics_num(jsonb)")
ROLLUPS = ("analytics_draft_rollup", "analytics_duration_rollup", "analytics_activity_rollup",
           "analytics_time_saved_rollup")


def _rollup(name: str, *columns: sa.Column, index: tuple[str, ...]) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("grain", sa.String(1), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("id", name=f"{name}_pkey"),
        sa.CheckConstraint("grain IN ('d', 'w')", name=f"ck_{name}_grain_valid"),
    )
    op.create_index(f"idx_{name}_{'_'.join(index)}", name, list(index))


def _broker() -> sa.Column:
    return sa.Column("broker", sa.String(255), nullable=False)  # '' = the whole team


def _count(name: str) -> sa.Column:
    return sa.Column(name, sa.BigInteger(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "analytics_draft_brokers",
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("broker", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("draft_id", "broker", name="analytics_draft_brokers_pkey"),
    )
    _rollup("analytics_draft_rollup", _broker(),
            sa.Column("bucket", sa.SmallInteger(), nullable=False), sa.Column("outcome", sa.String(10), nullable=False),
            sa.Column("validation", sa.Text(), nullable=False), sa.Column("category", sa.String(50), nullable=False),
            *(_count(c) for c in DRAFT_SUMS if c != "similarity_sum"),
            sa.Column("similarity_sum", sa.Float(), nullable=False), index=("broker", "grain", "period"))
    _rollup("analytics_duration_rollup", _broker(), sa.Column("kind", sa.String(10), nullable=False),
            sa.Column("step", sa.SmallInteger(), nullable=False), _count("drafts"), index=("broker", "grain", "period"))
    _rollup("analytics_activity_rollup", sa.Column("actor", sa.String(255), nullable=False),
            sa.Column("action", sa.String(50), nullable=False), _count("actions"), index=("grain", "period", "actor"))
    _rollup("analytics_time_saved_rollup", _broker(), _count("emails"), _count("measured"),
            sa.Column("minutes", sa.Float(), nullable=False), index=("broker", "grain", "period"))
    op.execute(HELPERS)
    op.execute(TRIGGERS)
    for statement in TRIGGER_DEFINITIONS:
        op.execute(statement)
    op.execute("SELECT analytics_rollup_rebuild()")


def downgrade() -> None:
    for name, table in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER {name} ON {table}")
    for function in FUNCTIONS:
        op.execute(f"DROP FUNCTION {function}")
    for table in (*ROLLUPS, "analytics_draft_brokers"):
        op.drop_table(table)
