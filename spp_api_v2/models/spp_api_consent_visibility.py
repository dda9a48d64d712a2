"""Who is covered by which consent config: the consent filter as one table.

``spp.api.consent.visibility`` holds one row per registrant a consent covers:
the consent's signatory (a consent without group), or its group and each of the
group's members (one row per membership). A row carries what decides whether it
counts today, so no job has to expire anything:

- ``config_id``: the consent's config; a client sees the rows of its
  ``consent_config_ids`` (read at query time: a change of a client's configs
  or of its exemption takes effect at once, with no row to rewrite);
- ``valid_until``: the last day the consent is valid, ``expiry`` or the day
  before ``withdrawn_on``, whichever is earlier;
- ``ended_at``: for a member's row, when the membership ends (``ended_date``);
- ``started_at``: for a member's row, when the membership starts
  (``start_date``): a membership counts from its start to its end, and one
  starting ahead becomes visible at its start with no write.

The rows are written by PostgreSQL triggers on ``spp_consent`` and
``g2p_group_membership`` (created by :meth:`init`), in the transaction that
changes a consent or a membership, whether through the ORM or in SQL; deleted
consents, memberships, registrants and configs take their rows with them
(foreign keys ``ON DELETE CASCADE``). The ORM writes changes late (on flush):
:meth:`SppConsent._visible_partner_domain` flushes both models first.

The API filters by a semi-join on this table, ``partner_id IN (SELECT partner_id
... WHERE config_id = ANY(client's configs) AND valid_until >= today AND
(ended_at IS NULL OR ended_at > now) AND (started_at IS NULL OR started_at <=
now))``, served by the index on ``(partner_id, config_id, valid_until,
ended_at, started_at)``: a page probes it once per candidate entitlement
instead of hashing every consent and member. ``today`` is the day in the
deployment's time zone (``spp.consent._api_timezone``).
"""

from odoo import api, fields, models
from odoo.tools import SQL, create_index

TABLE = "spp_api_consent_visibility"
CONSENT_COLUMNS = ("config_id", "group_id", "signatory_id", "expiry", "withdrawn_on")
MEMBERSHIP_COLUMNS = ('"group"', "individual", "ended_date", "start_date")

# The rows of the consents c (and memberships m) the FROM clause selects.
_ROWS = """
    SELECT c.config_id, COALESCE(c.group_id, c.signatory_id),
           LEAST(c.expiry, c.withdrawn_on - 1), NULL::timestamp, c.id, NULL::int,
           NULL::timestamp
      FROM spp_consent c {consents}
     WHERE c.config_id IS NOT NULL AND c.expiry IS NOT NULL
       AND COALESCE(c.group_id, c.signatory_id) IS NOT NULL
    UNION ALL
    SELECT c.config_id, m.individual, LEAST(c.expiry, c.withdrawn_on - 1),
           m.ended_date, c.id, m.id, m.start_date
      FROM spp_consent c JOIN g2p_group_membership m ON m."group" = c.group_id
           {memberships}
     WHERE c.config_id IS NOT NULL AND c.expiry IS NOT NULL
       AND m.individual IS NOT NULL
"""
_INSERT = f"""
    INSERT INTO {TABLE}
           (config_id, partner_id, valid_until, ended_at, consent_id, membership_id,
            started_at, written_at)
"""
# A row rewritten unchanged keeps its ``written_at`` (when it took its
# content): the changes feed dates the end of a coverage by it, and must not
# date it again for a rewrite that changed nothing.
_SAME_ROW = """
    {old}.consent_id = {new}.consent_id
    AND COALESCE({old}.membership_id, 0) = COALESCE({new}.membership_id, 0)
    AND ({old}.config_id, {old}.partner_id, {old}.valid_until, {old}.ended_at,
         {old}.started_at)
        IS NOT DISTINCT FROM
        ({new}.config_id, {new}.partner_id, {new}.valid_until, {new}.ended_at,
         {new}.started_at)
"""
_COLUMNS = (
    "config_id, partner_id, valid_until, ended_at, consent_id, membership_id,"
    " started_at"
)
_NOW = "(now() AT TIME ZONE 'UTC')"


def _replace(delete_where, rows):
    """Delete the rows ``delete_where`` selects and insert ``rows`` instead,
    keeping ``written_at`` of the rows that come back unchanged."""
    return f"""
    WITH gone AS (DELETE FROM {TABLE} WHERE {delete_where} RETURNING *),
         fresh ({_COLUMNS}) AS ({rows})
    {_INSERT}
    SELECT f.*, COALESCE(
               (SELECT max(g.written_at) FROM gone g
                 WHERE {_SAME_ROW.format(old="g", new="f")}),
               {_NOW})
      FROM fresh f
    """


def _changed(columns):
    """Rows of the statement's transition tables whose ``columns`` changed."""
    new = ", ".join(f"n.{c}" for c in columns)
    old = ", ".join(f"o.{c}" for c in columns)
    return (
        "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id"
        f" WHERE ({new}) IS DISTINCT FROM ({old})"
    )


_ROWS_OF_CONSENTS = _ROWS.format(
    consents="JOIN unnest(ids) AS i(id) ON i.id = c.id",
    memberships="JOIN unnest(ids) AS i(id) ON i.id = c.id",
)

_ROWS_OF_MEMBERSHIPS = """
    SELECT c.config_id, m.individual, LEAST(c.expiry, c.withdrawn_on - 1),
           m.ended_date, c.id, m.id, m.start_date
      FROM g2p_group_membership m
      JOIN unnest(ids) AS i(id) ON i.id = m.id
      JOIN spp_consent c ON c.group_id = m."group"
     WHERE c.config_id IS NOT NULL AND c.expiry IS NOT NULL
       AND m.individual IS NOT NULL
"""

# Rebuilt from scratch, each row keeps the ``written_at`` it had (the table's
# old content is copied aside first).
_REBUILD = f"""
    {_INSERT}
    SELECT f.*, COALESCE(o.written_at, {_NOW})
      FROM ({_ROWS.format(consents="", memberships="")}) AS f ({_COLUMNS})
      LEFT JOIN visibility_before_rebuild o ON {_SAME_ROW.format(old="o", new="f")}
"""


def _trigger_function(name, rows_of, columns):
    """The trigger function recomputing the rows of the inserted records, or
    of the updated ones whose ``columns`` changed (``{TABLE}_of_<rows_of>``)."""
    return f"""CREATE OR REPLACE FUNCTION {TABLE}_{name}_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM {TABLE}_of_{rows_of}(ARRAY(SELECT id FROM new_rows));
    ELSE
        PERFORM {TABLE}_of_{rows_of}(ARRAY({_changed(columns)}));
    END IF;
    RETURN NULL;
END $$;
"""


_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION {TABLE}_of_consents(ids integer[]) RETURNS void
LANGUAGE sql AS $$
    {_replace("consent_id = ANY(ids)", _ROWS_OF_CONSENTS)};
$$;

CREATE OR REPLACE FUNCTION {TABLE}_of_memberships(ids integer[]) RETURNS void
LANGUAGE sql AS $$
    {_replace("membership_id = ANY(ids)", _ROWS_OF_MEMBERSHIPS)};
$$;

{_trigger_function("consent", "consents", CONSENT_COLUMNS)}
{_trigger_function("membership", "memberships", MEMBERSHIP_COLUMNS)}"""


def create_statement_triggers(cr, triggers):
    """(Re)create the statement-level ``AFTER`` triggers ``triggers``: tuples
    (trigger name, table, event, referencing clause, function)."""
    for name, table, event, referencing, function in triggers:
        cr.execute(
            SQL(
                "DROP TRIGGER IF EXISTS %(name)s ON %(table)s;"
                " CREATE TRIGGER %(name)s AFTER %(event)s ON %(table)s"
                " REFERENCING %(referencing)s FOR EACH STATEMENT"
                " EXECUTE FUNCTION %(function)s()",
                name=SQL.identifier(name),
                table=SQL.identifier(table),
                event=SQL(event),
                referencing=SQL(referencing),
                function=SQL.identifier(function),
            )
        )


# (trigger name, table, event, referencing, function)
_TRIGGERS = [
    (
        f"{TABLE}_consent_insert",
        "spp_consent",
        "INSERT",
        "NEW TABLE AS new_rows",
        f"{TABLE}_consent_trigger",
    ),
    (
        f"{TABLE}_consent_update",
        "spp_consent",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        f"{TABLE}_consent_trigger",
    ),
    (
        f"{TABLE}_membership_insert",
        "g2p_group_membership",
        "INSERT",
        "NEW TABLE AS new_rows",
        f"{TABLE}_membership_trigger",
    ),
    (
        f"{TABLE}_membership_update",
        "g2p_group_membership",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        f"{TABLE}_membership_trigger",
    ),
]


class SppApiConsentVisibility(models.Model):
    _name = "spp.api.consent.visibility"
    _description = "OpenSPP API: registrants covered by consent, by config"
    _table = TABLE
    _log_access = False
    _order = "id"

    config_id = fields.Many2one(
        "spp.consent.config", required=True, readonly=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner", required=True, readonly=True, ondelete="cascade"
    )
    valid_until = fields.Date(
        required=True,
        readonly=True,
        index=True,  # changes feeds: rows ending in a time range
        help="Last day the consent is valid: its expiry, or the day before it "
        "was withdrawn.",
    )
    ended_at = fields.Datetime(
        readonly=True,
        index="btree_not_null",
        help="For a group member: when the membership ends.",
    )
    started_at = fields.Datetime(
        readonly=True,
        help="For a group member: when the membership starts; the member is "
        "covered from then on.",
    )
    consent_id = fields.Many2one(
        "spp.consent", required=True, readonly=True, index=True, ondelete="cascade"
    )
    membership_id = fields.Many2one(
        "g2p.group.membership",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
    )
    written_at = fields.Datetime(
        readonly=True,
        index=True,
        help="When the row took its content: the start of the transaction "
        "that wrote it (as Odoo dates write_date).",
    )

    def init(self):
        # After every model's columns exist (``withdrawn_on`` of spp.consent
        # is added by this module too, maybe after this table).
        self.pool.post_init(self._setup_triggers)

    def _setup_triggers(self):
        cr = self.env.cr
        # the probe reads every column it filters on from the index
        cr.execute(
            SQL("DROP INDEX IF EXISTS %s", SQL.identifier(f"{TABLE}_probe_index"))
        )
        create_index(
            cr,
            f"{TABLE}_probe_start_index",
            TABLE,
            ["partner_id", "config_id", "valid_until", "ended_at", "started_at"],
        )
        cr.execute(_FUNCTIONS)
        create_statement_triggers(cr, _TRIGGERS)
        self._rebuild()

    @api.model
    def _rebuild(self):
        """Recompute every row from the consents and memberships (install and
        update; bulk loads that bypass the triggers)."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "CREATE TEMP TABLE visibility_before_rebuild ON COMMIT DROP"
                " AS SELECT * FROM %s; TRUNCATE %s",
                SQL.identifier(TABLE),
                SQL.identifier(TABLE),
            )
        )
        cr.execute(_REBUILD)
        cr.execute("DROP TABLE visibility_before_rebuild")
        cr.execute(SQL("ANALYZE %s", SQL.identifier(TABLE)))

    @api.model
    def _visible_partner_sql(self, config_ids):
        """SQL sub-select of the partners covered today (in the deployment's
        time zone) by a valid consent of one of ``config_ids``, through a
        membership that has started and not ended."""
        now = fields.Datetime.now()
        return SQL(
            "(SELECT %(v)s.partner_id FROM %(table)s %(v)s"
            " WHERE %(v)s.config_id = ANY(%(configs)s)"
            " AND %(v)s.valid_until >= %(today)s"
            " AND (%(v)s.ended_at IS NULL OR %(v)s.ended_at > %(now)s)"
            " AND (%(v)s.started_at IS NULL OR %(v)s.started_at <= %(now)s))",
            v=SQL.identifier("visibility"),
            table=SQL.identifier(TABLE),
            configs=list(config_ids),
            today=self.env["spp.consent"]._api_today(),
            now=now,
        )
