import logging
from collections import defaultdict

import psycopg2
from fastapi import status
from psycopg2 import errorcodes
from pydantic import TypeAdapter

from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.spp_api_base.models.row_locks import lock_rows
from odoo.addons.spp_api_base.schemas.errors import parameter_errors_as_http
from odoo.addons.spp_api_base.services.etag import compute_etag, if_match_satisfied
from odoo.addons.spp_api_base.services.last_updated import last_updated_domain
from odoo.addons.spp_api_base.services.registrant_handle import reg_id_like

from ..schemas import ProgramMembershipOut
from ..schemas.errors import (
    ClientError,
    rule_errors_as_http,
)
from ..services.change_feed import (
    check_paging,
    fingerprint,
    membership_filters,
    parse_last_updated,
)
from ..services.errors import CONFLICT, MembershipRuleError
from ..services.membership_vals import (
    DATE_FIELDS,
    fields_to_write,
    membership_answer,
    membership_out,
    orm_vals,
    request_changes,
    stored_values,
)
from ..services.references import (
    RegistrantRef,
    check_distinct_programs,
    check_target_type,
    name_domain,
    parse_registrant_ref,
    registrant_domain,
    registrant_reg_id_domain,
    single_match,
)
from ..services.rules import apply_changes
from ..services.search import membership_domain, parse_states

_logger = logging.getLogger(__name__)

MEMBERSHIP_MODEL = "g2p.program_membership"
MEMBERSHIP_FEED = "program_membership"
# the membership's columns of a page row, after its id and date
MEMBERSHIP_COLUMNS = (
    "state",
    "enrollment_date",
    "exit_date",
    "partner_id",
    "program_id",
)
# validates a page's answers in one call
PAGE_OUT = TypeAdapter(list[ProgramMembershipOut])


def _page_rows(fetched):
    """The rows of ``_api_page_query`` (one per membership and ID of its
    registrant, a membership's rows next to each other) as one row per
    membership: its first 8 columns, then the list of its IDs (the other
    5 columns of its rows: id, ID type's name, value, expiry date, status)."""
    rows = []
    for row in fetched:
        if not rows or rows[-1][0] != row[0]:
            rows.append((*row[:8], []))
        if row[8] is not None:
            rows[-1][8].append(row[8:])
    return rows


class ProgramMembershipRestMixin(models.AbstractModel):
    """ORM side of the membership API: lookups by external handle, creation
    with a registrant, and the ``/program_membership`` operations. The rules
    and mappings themselves are plain Python (``services``).

    Upstream's registry routes authenticate the caller (HTTP Basic) and then
    run as the endpoint's user with ``sudo()``; so does this mixin.
    """

    _name = "program_membership.rest.mixin"
    _description = "Programme Membership REST API Mixin"

    # -- lookups ---------------------------------------------------------

    def _api_today(self):
        """Today's date in UTC, the time zone of the API's dates."""
        return fields.Datetime.now().date()

    def _api_memberships(self):
        return self.env[MEMBERSHIP_MODEL].sudo().with_context(active_test=False)

    def _api_find_program(self, name, field):
        """The programme named ``name`` (exact, case-insensitive, archived
        programmes left out); 400 when there is none, 409 when several match."""
        programs = self.env["g2p.program"].sudo().search(name_domain(name), limit=2)
        return single_match(list(programs), field, "program", name)

    def _api_registrants(self, ref: RegistrantRef):
        """The registrants a parsed handle designates (normally one)."""
        if ref.partner_id is not None:
            return self.env["res.partner"].sudo().search(registrant_domain(ref))
        return (
            self.env["g2p.reg.id"]
            .sudo()
            .search(registrant_reg_id_domain(ref))
            .partner_id
        )

    def _api_find_registrant(self, ref: RegistrantRef, field):
        """The registrant of a handle; 400 when unknown, 409 when ambiguous."""
        return single_match(
            list(self._api_registrants(ref)), field, "registrant", str(ref)
        )

    def _api_date_field_types(self):
        model_fields = self.env[MEMBERSHIP_MODEL]._fields
        return {name: model_fields[name].type for name in DATE_FIELDS}

    # -- memberships created with a registrant ---------------------------

    def _api_membership_commands(self, memberships, is_group, path):
        """``program_membership_ids`` create commands for the
        ``RegistrantProgramMembershipIn`` items of a registrant being created.

        Every item is checked (programme exists and targets this kind of
        registrant, values keep the rules, no programme twice) before any
        command is returned; errors name the item's field under ``path``.
        """
        today = self._api_today()
        date_types = self._api_date_field_types()
        commands, program_ids = [], []
        for index, item in enumerate(memberships):
            item_path = f"{path}[{index}]"
            with rule_errors_as_http(item_path):
                program = self._api_find_program(item.program, "program")
                check_target_type(
                    program.name, program.target_type, is_group, "program"
                )
                values = apply_changes(None, request_changes(item.model_dump()), today)
            program_ids.append(program.id)
            commands.append(
                (0, 0, {"program_id": program.id, **orm_vals(values, date_types)})
            )
        with rule_errors_as_http():
            check_distinct_programs(program_ids, lambda i: f"{path}[{i}].program")
        return commands

    # -- /program_membership ---------------------------------------------

    def _api_out(self, membership):
        """The ``ProgramMembershipOut`` of a membership."""
        return ProgramMembershipOut.model_validate(
            membership_out(membership, self._api_today())
        )

    def _api_page_out(self, rows):
        """The ``ProgramMembershipOut`` of each row of ``_api_page_rows``,
        in order: what ``_api_out`` answers of each membership, by the same
        ``membership_answer`` and validation on the row's values (the rule
        of the answer stays in one place)."""
        today = self._api_today()
        return PAGE_OUT.validate_python(
            [
                membership_answer(
                    membership_id=membership_id,
                    last_updated=changed,
                    state=state,
                    enrollment_date=enrollment_date,
                    exit_date=exit_date,
                    registrant_id=partner_id,
                    registrant_name=partner_name,
                    reg_ids=[reg_id_like(*reg_id) for reg_id in reg_ids],
                    program_name=program_name,
                    today=today,
                )
                for (
                    membership_id,
                    changed,
                    state,
                    enrollment_date,
                    exit_date,
                    partner_id,
                    partner_name,
                    program_name,
                    reg_ids,
                ) in rows
            ]
        )

    def _api_page_rows(self, page, changed):
        """The rows of a page of memberships, read in ONE query whatever its
        size: for each membership of ``page`` (the ``Query`` of the page,
        ``registry.change.feed._feed_page``; ``changed`` its date column), in
        order, its id and that date, its state and dates, its registrant's id
        and name, its programme's name, and the list of the
        registrant's IDs (each a tuple: id, ID type's name, value, expiry
        date, status)."""
        self.env.cr.execute(self._api_page_query(page, changed))
        return _page_rows(self.env.cr.fetchall())

    def _api_page_query(self, page, changed):
        """The query of ``_api_page_rows``: a row per membership and ID of
        its registrant (one row without ID for a registrant without any),
        in the page's order.

        It reads by id, as ``_api_memberships`` does (``sudo``, no
        ``active_test``): without record rules or archive filters. Pending ORM
        writes of the columns it reads are flushed first."""
        # the frame is cached by language: built without the context keys
        # that would make _field_to_sql read translations otherwise
        clean = self.with_context(
            prefetch_langs=False, edit_translations=False, check_translations=False
        )
        opening, columns, closing, reads = clean._api_page_query_frame(
            page.table, bool(page.offset)
        )
        for model_name, names in reads:
            self.env[model_name].flush_model(names)
        keys = (
            SQL("%s AS id", SQL.identifier(page.table, "id")),
            SQL("%s AS changed", changed),
        )
        rows = page.select(*keys, columns) if columns else page.select(*keys)
        return SQL("%s%s%s", opening, rows, closing)

    @tools.ormcache("self.env.lang", "table", "by_offset")
    def _api_page_query_frame(self, table, by_offset):
        """``(opening, columns, closing, reads)``: what ``_api_page_query``
        puts around the page's own query (``table``: its alias), composed
        once per language: the membership columns the page's query selects
        after the id and date (None by offset), and the fields read, by
        model, to flush. Columns through ``_field_to_sql``: a translated name
        reads in the environment's language, as the ORM reads it.

        From a cursor, the page's rows come straight from the index range of
        its query. Skipped by OFFSET, the page's query selects only the
        (date, id) index's columns while skipping (an index-only scan); the
        membership's other columns are read for the page's keys alone."""
        env = self.env
        Membership = env[MEMBERSHIP_MODEL]
        Partner = env["res.partner"]
        Program = env["g2p.program"]
        RegId = env["g2p.reg.id"]
        IdType = env["g2p.id.type"]

        reads = defaultdict(list)

        def column(model, alias, name):
            if name not in model._fields:
                return SQL("NULL")  # an upstream without ``status`` on IDs
            reads[model._name].append(name)
            return model._field_to_sql(alias, name)

        def membership_columns(alias):
            return SQL(", ").join(
                SQL("%s AS %s", column(Membership, alias, name), SQL.identifier(name))
                for name in MEMBERSHIP_COLUMNS
            )

        select = SQL(
            """
            SELECT page.id, page.changed, page.state, page.enrollment_date,
                   page.exit_date, p.id, %s, %s,
                   r.id, %s, %s, %s, %s
              FROM """,
            column(Partner, "p", "name"),
            column(Program, "prog", "name"),
            column(IdType, "t", "name"),
            column(RegId, "r", "value"),
            column(RegId, "r", "expiry_date"),
            column(RegId, "r", "status"),
        )
        joins = SQL(
            """
              LEFT JOIN %s p ON p.id = page.partner_id
              LEFT JOIN %s prog ON prog.id = page.program_id
              LEFT JOIN %s r ON %s = p.id
              LEFT JOIN %s t ON t.id = %s
             ORDER BY page.changed, page.id
            """,
            SQL.identifier(Partner._table),
            SQL.identifier(Program._table),
            SQL.identifier(RegId._table),
            column(RegId, "r", "partner_id"),
            SQL.identifier(IdType._table),
            column(RegId, "r", "id_type"),
        )
        if by_offset:
            opening = SQL(
                "%s(SELECT keys.id, keys.changed, %s FROM (",
                select,
                membership_columns("membership"),
            )
            closing = SQL(
                ") keys JOIN %s membership ON membership.id = keys.id) page%s",
                SQL.identifier(Membership._table),
                joins,
            )
            columns = None
        else:
            opening = SQL("%s(", select)
            closing = SQL(") page%s", joins)
            columns = membership_columns(table)

        def composed(sql):
            return sql and SQL(sql.code, *sql.params)

        return (
            composed(opening),
            composed(columns),
            composed(closing),
            tuple((name, tuple(names)) for name, names in reads.items()),
        )

    def _api_representation(self, membership):
        """``(ProgramMembershipOut, ETag)`` of a membership."""
        out = self._api_out(membership)
        return out, compute_etag(out.model_dump(mode="json"))

    def _api_get(self, membership_id):
        """The membership with this id; 404 otherwise."""
        membership = self._api_memberships().browse(membership_id).exists()
        if not membership:
            raise ClientError(
                status_code=status.HTTP_404_NOT_FOUND,
                detail=f"Program membership {membership_id} not found",
            )
        return membership

    def _api_search(
        self, registrant, program, state, *, count, offset, last_updated=(), cursor=None
    ):
        """``(total, [ProgramMembershipOut], next_cursor)`` of the memberships
        matching the filters, ordered by last change then id
        (``services/change_feed.py``), held back at the write horizon;
        ``total`` only on a page without ``cursor`` (None otherwise),
        ``next_cursor`` when more follow. A
        malformed registrant handle is a 400, an unknown state a 422, an
        unknown or ambiguous programme 400/409 (a filter never silently
        matches nothing because of a typo), a bad ``_lastUpdated`` or
        ``_cursor`` a 400; an unknown registrant matches nothing."""
        memberships = self._api_memberships()
        with rule_errors_as_http(location="query"):
            states = parse_states(state)
            partner_ids = program_ids = None
            if registrant is not None:
                partners = self._api_registrants(
                    parse_registrant_ref(registrant, "registrant")
                )
                if len(partners) > 1:
                    single_match(list(partners), "registrant", "registrant", registrant)
                partner_ids = partners.ids
            if program is not None:
                program_ids = [self._api_find_program(program, "program").id]
        with parameter_errors_as_http():
            check_paging(cursor, offset)
            bounds = parse_last_updated(last_updated or ())
        feed = self.env["registry.change.feed"]
        issued_for = fingerprint(
            MEMBERSHIP_FEED,
            membership_filters(partner_ids, program_ids, states, bounds),
        )
        position = feed._feed_position(cursor, issued_for)
        domain = [
            *membership_domain(partner_ids, program_ids, states),
            *last_updated_domain(bounds),
        ]
        with feed._feed_snapshot("write_date") as (env, held_back):
            mixin = self.with_env(env)
            memberships = mixin._api_memberships()
            domain += held_back
            total = memberships.search_count(domain) if cursor is None else None
            rows, last = feed._feed_page(
                memberships,
                domain,
                "write_date",
                position,
                count=count,
                offset=offset,
                rows=mixin._api_page_rows,
            )
            page = mixin._api_page_out(rows)
        return total, page, feed._feed_cursor(last, issued_for)

    def _api_create(self, request):
        """Create a membership from a ``ProgramMembershipCreate``; 409 when the
        registrant already has one for the programme."""
        with rule_errors_as_http():
            partner = self._api_find_registrant(
                parse_registrant_ref(request.registrant), "registrant"
            )
            program = self._api_find_program(request.program, "program")
            check_target_type(
                program.name, program.target_type, partner.is_group, "program"
            )
            values = apply_changes(
                None,
                request_changes(request.model_dump()),
                self._api_today(),
            )
            existing = self._api_memberships().search(
                [("partner_id", "=", partner.id), ("program_id", "=", program.id)],
                limit=1,
            )
            if existing:
                raise self._api_duplicate_error(program, existing)
        vals = {
            "partner_id": partner.id,
            "program_id": program.id,
            **orm_vals(values, self._api_date_field_types()),
        }
        try:
            with self.env.cr.savepoint():
                return self._api_memberships().create(vals)
        except psycopg2.IntegrityError as error:
            if error.pgcode != errorcodes.UNIQUE_VIOLATION:
                raise
            # created concurrently since the check above
            _logger.info("Concurrent creation of a membership: %s", vals)
            with rule_errors_as_http():
                raise self._api_duplicate_error(program) from None

    def _api_duplicate_error(self, program, existing=None):
        where = f" (membership {existing.id})" if existing else ""
        return MembershipRuleError(
            "program",
            f"the registrant already has a membership of program "
            f"'{program.name}'{where}; change it with PATCH instead",
            CONFLICT,
            program.name,
        )

    def _api_lock(self, membership):
        """Lock the membership's row until the end of the transaction, so that
        an ``If-Match`` check and the change it guards are atomic (a concurrent
        change makes one of the two requests retry, and then fail the check)."""
        lock_rows(membership, "no_key_update")
        membership.invalidate_recordset()

    def _api_check_precondition(self, membership, if_match):
        """412 unless ``If-Match`` (if any) names the current version."""
        __, etag = self._api_representation(membership)
        if not if_match_satisfied(if_match, etag):
            raise ClientError(
                status_code=status.HTTP_412_PRECONDITION_FAILED,
                detail="The membership changed since it was read (If-Match does "
                "not match its ETag); read it again and retry",
                headers={"ETag": etag},
            )

    def _api_update(self, membership, update, if_match=None):
        """Apply a ``ProgramMembershipUpdate``: only the fields it sends; the
        rules are checked on the resulting membership."""
        self._api_lock(membership)
        self._api_check_precondition(membership, if_match)
        before = stored_values(membership)
        with rule_errors_as_http():
            after = apply_changes(before, update.changes(), self._api_today())
        to_write = fields_to_write(before, after)
        if to_write:
            membership.write(
                orm_vals(after, self._api_date_field_types(), only=to_write)
            )
        return membership

    def _api_delete(self, membership, if_match=None):
        self._api_lock(membership)
        self._api_check_precondition(membership, if_match)
        membership.unlink()
