from fastapi import status

from odoo import models

from odoo.addons.spp_api_base.schemas.errors import parameter_errors_as_http

from ..schemas.errors import ClientError
from ..schemas.program import ProgramOut
from ..services.programs import (
    PROGRAM_ORDER,
    parse_target_type,
    program_domain,
    program_out,
)


class ProgramRestMixin(models.AbstractModel):
    """ORM side of ``/program``: the programmes a registration system may
    enrol into (not archived), read as the endpoint's user with ``sudo()``
    like the rest of the registry app."""

    _name = "program.rest.mixin"
    _description = "Programme REST API Mixin"

    def _api_programs(self):
        return self.env["g2p.program"].sudo()

    def _api_search(self, name, target_type, count, offset):
        """``(total, [ProgramOut])`` of a page of programmes, by id."""
        with parameter_errors_as_http():
            domain = program_domain(name, parse_target_type(target_type))
        programs = self._api_programs()
        total = programs.search_count(domain)
        page = programs.search(domain, limit=count, offset=offset, order=PROGRAM_ORDER)
        return total, [ProgramOut.model_validate(program_out(p)) for p in page]

    def _api_get(self, program_id):
        """The ``ProgramOut`` of the programme with this id; 404 otherwise
        (archived ones included: a membership may still name one)."""
        program = (
            self._api_programs().with_context(active_test=False).browse(program_id)
        ).exists()
        if not program:
            raise ClientError(
                status_code=status.HTTP_404_NOT_FOUND,
                detail=f"Program {program_id} not found",
            )
        return ProgramOut.model_validate(program_out(program))
