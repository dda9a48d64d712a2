"""Where this addon changes the behaviour of upstream's modules, each listed in
``readme/ROADMAP.md`` (what upstream does, what we do, when to drop it)."""

# Kept apart from this addon's other extensions of the same models on purpose:
# the changes of upstream behaviour in one place (issue 24).
# pylint: disable=consider-merging-classes-inherited

from starlette.middleware import Middleware

from odoo import api, fields, models
from odoo.tools import SQL

from ..services.json_body import Utf8JsonBodyMiddleware
from .fastapi_endpoint import REGISTRY_APP


class G2PProgramMembership(models.Model):
    _inherit = "g2p.program_membership"

    # Upstream computes the date from the state only (now, whenever the
    # membership becomes enrolled) and, the field being read-only, overwrites
    # a date given in the same create or write. Editable, a given date is kept;
    # without one, enrolling still stamps now.
    enrollment_date = fields.Datetime(readonly=False)


class G2PProgram(models.Model):
    _inherit = "g2p.program"

    @api.depends("program_membership_ids")
    def _compute_have_members(self):
        # Upstream computes ``len(self.program_membership_ids) > 0``: each
        # membership added to a programme read every membership of the
        # programme into memory (and each one's registrant, for ``active``),
        # CPU time that grew with the programme. The same value from an
        # EXISTS query (``search_count`` with a limit: no ORDER BY), under
        # the same environment (``active_test`` alike). As upstream, the
        # field becomes True and is never set back to False; unlike upstream,
        # each programme of a batch gets its own answer (upstream set a whole
        # batch True when any of them had members). Records not yet saved
        # (a form's onchange) keep upstream's computation.
        # A programme already marked is left as it is: assigning True again
        # would write its row (the cache holds no value of a field being
        # computed), and every membership added would then lock the row of
        # its programme until commit, serialising concurrent enrolments.
        new = self.filtered(lambda program: isinstance(program.id, models.NewId))
        saved = self - new
        memberships = self.env["g2p.program_membership"]
        marked = set()
        if saved:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s AND have_members",
                    SQL.identifier(self._table),
                    tuple(saved.ids),
                )
            )
            marked = {row[0] for row in self.env.cr.fetchall()}
        # the registrants' ``active`` as the cache has it, as the one2many
        # sees it (the query filters on it; its domain does not flush it)
        self.env["res.partner"].flush_model(["active"])
        for program in saved:
            if program.id in marked:
                continue
            if memberships.search_count([("program_id", "=", program.id)], limit=1):
                program.have_members = True
        return super(G2PProgram, new)._compute_have_members()


class ProcessGroupMixin(models.AbstractModel):
    _inherit = "process_group.rest.mixin"

    def _process_group(self, group_info):
        # Upstream writes a missing registration date as None over the
        # model's default (today), and its group answer then refuses the
        # group (registration_date is a non-null date there): a 500 after
        # the group was created. Individuals get the default; so do groups.
        vals = super()._process_group(group_info)
        if vals.get("registration_date") is None:
            vals.pop("registration_date", None)
        return vals


class _WithoutImage:
    """A registrant request seen with ``image_1920 = None``.

    Upstream's ``_process_individual`` reads ``individual.image_1920``, which
    only ``UpdateIndividualInfoRequest`` has: every ``POST /individual`` and
    ``POST /group`` (``IndividualInfoRequest``, ``GroupMembersInfoRequest``)
    failed with an AttributeError, a 500.
    """

    def __init__(self, info):
        self._info = info

    def __getattr__(self, name):
        if name == "image_1920":
            return None
        return getattr(self._info, name)


class ProcessIndividualMixin(models.AbstractModel):
    _inherit = "process_individual.rest.mixin"

    def _process_individual(self, individual):
        if not hasattr(individual, "image_1920"):
            individual = _WithoutImage(individual)
        return super()._process_individual(individual)


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    def _get_fastapi_app_middlewares(self):
        # Bodies that are not UTF-8 answered 500 (services/json_body.py).
        middlewares = super()._get_fastapi_app_middlewares()
        if self.app == REGISTRY_APP:
            middlewares = [*middlewares, Middleware(Utf8JsonBodyMiddleware)]
        return middlewares
