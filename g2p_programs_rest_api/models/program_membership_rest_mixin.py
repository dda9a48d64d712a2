import logging

import psycopg2
from fastapi import status
from psycopg2 import errorcodes

from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.spp_api_base.services.etag import compute_etag, if_match_satisfied

from ..schemas import ProgramMembershipOut
from ..schemas.errors import ClientError, rule_errors_as_http
from ..services.errors import CONFLICT, MembershipRuleError
from ..services.membership_vals import (
    DATE_FIELDS,
    fields_to_write,
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
    reg_id_domain,
    registrant_domain,
    single_match,
)
from ..services.rules import apply_changes
from ..services.search import ORDER, membership_domain, parse_states

_logger = logging.getLogger(__name__)

MEMBERSHIP_MODEL = "g2p.program_membership"


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

    def _rest_today(self):
        """Today's date in UTC, the time zone of the API's dates."""
        return fields.Datetime.now().date()

    def _rest_memberships(self):
        return self.env[MEMBERSHIP_MODEL].sudo().with_context(active_test=False)

    def _rest_find_program(self, name, field):
        """The programme named ``name`` (exact, case-insensitive, archived
        programmes left out); 400 when there is none, 409 when several match."""
        programs = self.env["g2p.program"].sudo().search(name_domain(name), limit=2)
        return single_match(list(programs), field, "program", name)

    def _rest_registrants(self, ref: RegistrantRef):
        """The registrants a parsed handle designates (normally one)."""
        if ref.partner_id is not None:
            return self.env["res.partner"].sudo().search(registrant_domain(ref))
        return self.env["g2p.reg.id"].sudo().search(reg_id_domain(ref)).partner_id

    def _rest_find_registrant(self, ref: RegistrantRef, field):
        """The registrant of a handle; 400 when unknown, 409 when ambiguous."""
        return single_match(
            list(self._rest_registrants(ref)), field, "registrant", str(ref)
        )

    def _rest_date_field_types(self):
        model_fields = self.env[MEMBERSHIP_MODEL]._fields
        return {name: model_fields[name].type for name in DATE_FIELDS}

    # -- memberships created with a registrant ---------------------------

    def _rest_membership_commands(self, memberships, is_group, path):
        """``program_membership_ids`` create commands for the
        ``RegistrantProgramMembershipIn`` items of a registrant being created.

        Every item is checked (programme exists and targets this kind of
        registrant, values keep the rules, no programme twice) before any
        command is returned; errors name the item's field under ``path``.
        """
        today = self._rest_today()
        date_types = self._rest_date_field_types()
        commands, program_ids = [], []
        for index, item in enumerate(memberships):
            item_path = f"{path}[{index}]"
            with rule_errors_as_http(item_path):
                program = self._rest_find_program(item.program, "program")
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

    def _rest_out(self, membership):
        """The ``ProgramMembershipOut`` of a membership."""
        return ProgramMembershipOut.model_validate(
            membership_out(membership, self._rest_today())
        )

    def _rest_representation(self, membership):
        """``(ProgramMembershipOut, ETag)`` of a membership."""
        out = self._rest_out(membership)
        return out, compute_etag(out.model_dump(mode="json"))

    def _rest_get(self, membership_id):
        """The membership with this id; 404 otherwise."""
        membership = self._rest_memberships().browse(membership_id).exists()
        if not membership:
            raise ClientError(
                status_code=status.HTTP_404_NOT_FOUND,
                detail=f"Program membership {membership_id} not found",
            )
        return membership

    def _rest_search(self, registrant, program, state, count, offset):
        """``(total, page)`` of the memberships matching the filters, ordered
        by id. A malformed registrant handle is a 400, an unknown state a 422,
        an unknown or ambiguous programme 400/409 (a filter never silently
        matches nothing because of a typo); an unknown registrant matches
        nothing."""
        memberships = self._rest_memberships()
        with rule_errors_as_http(location="query"):
            states = parse_states(state)
            partner_ids = program_ids = None
            if registrant is not None:
                partners = self._rest_registrants(
                    parse_registrant_ref(registrant, "registrant")
                )
                if len(partners) > 1:
                    single_match(list(partners), "registrant", "registrant", registrant)
                partner_ids = partners.ids
            if program is not None:
                program_ids = [self._rest_find_program(program, "program").id]
        domain = membership_domain(partner_ids, program_ids, states)
        total = memberships.search_count(domain)
        page = memberships.search(domain, limit=count, offset=offset, order=ORDER)
        return total, page

    def _rest_create(self, request):
        """Create a membership from a ``ProgramMembershipCreate``; 409 when the
        registrant already has one for the programme."""
        with rule_errors_as_http():
            partner = self._rest_find_registrant(
                parse_registrant_ref(request.registrant), "registrant"
            )
            program = self._rest_find_program(request.program, "program")
            check_target_type(
                program.name, program.target_type, partner.is_group, "program"
            )
            values = apply_changes(
                None,
                request_changes(request.model_dump()),
                self._rest_today(),
            )
            existing = self._rest_memberships().search(
                [("partner_id", "=", partner.id), ("program_id", "=", program.id)],
                limit=1,
            )
            if existing:
                raise self._rest_duplicate_error(program, existing)
        vals = {
            "partner_id": partner.id,
            "program_id": program.id,
            **orm_vals(values, self._rest_date_field_types()),
        }
        try:
            with self.env.cr.savepoint():
                return self._rest_memberships().create(vals)
        except psycopg2.IntegrityError as error:
            if error.pgcode != errorcodes.UNIQUE_VIOLATION:
                raise
            # created concurrently since the check above
            _logger.info("Concurrent creation of a membership: %s", vals)
            with rule_errors_as_http():
                raise self._rest_duplicate_error(program) from None

    def _rest_duplicate_error(self, program, existing=None):
        where = f" (membership {existing.id})" if existing else ""
        return MembershipRuleError(
            "program",
            f"the registrant already has a membership of program "
            f"'{program.name}'{where}; change it with PATCH instead",
            CONFLICT,
            program.name,
        )

    def _rest_lock(self, membership):
        """Lock the membership's row until the end of the transaction, so that
        an ``If-Match`` check and the change it guards are atomic (a concurrent
        change makes one of the two requests retry, and then fail the check)."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id = %s FOR NO KEY UPDATE",
                SQL.identifier(membership._table),
                membership.id,
            )
        )
        membership.invalidate_recordset()

    def _rest_check_precondition(self, membership, if_match):
        """412 unless ``If-Match`` (if any) names the current version."""
        __, etag = self._rest_representation(membership)
        if not if_match_satisfied(if_match, etag):
            raise ClientError(
                status_code=status.HTTP_412_PRECONDITION_FAILED,
                detail="The membership changed since it was read (If-Match does "
                "not match its ETag); read it again and retry",
                headers={"ETag": etag},
            )

    def _rest_update(self, membership, update, if_match=None):
        """Apply a ``ProgramMembershipUpdate``: only the fields it sends; the
        rules are checked on the resulting membership."""
        self._rest_lock(membership)
        self._rest_check_precondition(membership, if_match)
        before = stored_values(membership)
        with rule_errors_as_http():
            after = apply_changes(before, update.changes(), self._rest_today())
        to_write = fields_to_write(before, after)
        if to_write:
            membership.write(
                orm_vals(after, self._rest_date_field_types(), only=to_write)
            )
        return membership

    def _rest_delete(self, membership, if_match=None):
        self._rest_lock(membership)
        self._rest_check_precondition(membership, if_match)
        membership.unlink()
