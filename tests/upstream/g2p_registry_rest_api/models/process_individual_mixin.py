from contextlib import contextmanager

from odoo import _, models
from odoo.exceptions import UserError

from ..exceptions import RegistrantIDConflict
from ..services import registrant_vals
from ..services.registrant_vals import UnknownReferenceError, field_path

# Context key holding the request path of the registrant being processed
# (e.g. "members[2]"), so that errors name the offending field.
FIELD_PATH_CONTEXT_KEY = "g2p_rest_field_path"


class ProcessIndividualMixin(models.AbstractModel):
    """Turns registry API requests into ``res.partner`` create values.

    Addons add their own values by inheriting this model and extending
    ``_process_individual`` (called for ``POST /individual`` and for every
    member of ``POST /group``).
    """

    _name = "process_individual.rest.mixin"
    _description = "Process Individual REST API Mixin"

    def _process_individual(self, individual):
        """``res.partner`` values of an ``IndividualInfoRequest`` or a
        ``GroupMembersInfoRequest``. Writes nothing."""
        vals = registrant_vals.individual_vals(individual)
        self._add_ids_and_phones(vals, individual)
        gender = self._process_gender(individual)
        if gender:
            vals["gender"] = gender
        return vals

    def _add_ids_and_phones(self, vals, info):
        reg_ids = self._process_ids(info)
        if reg_ids:
            vals["reg_ids"] = reg_ids
        phone_numbers, primary_phone = self._process_phones(info)
        if phone_numbers:
            vals["phone_number_ids"] = phone_numbers
            vals["phone"] = primary_phone
        return vals

    def _process_ids(self, info):
        """Create commands of ``reg_ids``; an unknown ID type is a UserError,
        an ID already registered (or repeated) a RegistrantIDConflict."""
        path = field_path(self._rest_field_path(), "ids")
        with self._unknown_reference_as_user_error():
            commands = registrant_vals.reg_id_commands(
                info.ids, self._id_type_lookup, path
            )
        self._check_ids_are_new(registrant_vals.reg_id_keys(commands, path))
        return commands

    def _check_ids_are_new(self, keys):
        """Raise RegistrantIDConflict for the first ``(path, (id_type, value))``
        repeated in ``keys`` or already registered."""
        repeated = registrant_vals.first_repeated(keys)
        if repeated:
            raise RegistrantIDConflict(
                _("%(field)s: this ID is given twice in the request.", field=repeated)
            )
        reg_ids = self.env["g2p.reg.id"].sudo()
        for path, (id_type_id, value) in keys:
            domain = [("id_type", "=", id_type_id), ("value", "=", value)]
            if reg_ids.search_count(domain, limit=1):
                raise RegistrantIDConflict(
                    _(
                        "%(field)s: %(id_type)s '%(value)s' is already registered.",
                        field=path,
                        id_type=self.env["g2p.id.type"].sudo().browse(id_type_id).name,
                        value=value,
                    )
                )

    def _process_phones(self, info):
        """Create commands of ``phone_number_ids`` and the primary phone."""
        return registrant_vals.phone_commands(info.phone_numbers)

    def _process_gender(self, info):
        """The value to store as the individual's gender: as sent (upstream
        maps a ``gender.type`` code; the base stand-in stores text)."""
        return info.gender or None

    def _id_type_lookup(self, name):
        return self._lookup_by_name("g2p.id.type", name)

    def _lookup_by_name(self, model, name):
        return self.env[model].sudo().search([("name", "=", name)], limit=1).id or None

    def _rest_field_path(self):
        return self.env.context.get(FIELD_PATH_CONTEXT_KEY, "")

    def _unknown_reference_as_user_error(self):
        return unknown_reference_as_user_error()


@contextmanager
def unknown_reference_as_user_error():
    """Turn the pure mapping's UnknownReferenceError into a UserError (HTTP 400
    through the fastapi error handling)."""
    try:
        yield
    except UnknownReferenceError as error:
        raise UserError(
            _(
                "%(field)s: %(label)s '%(value)s' is not present in the database.",
                field=error.field_path,
                label=error.label,
                value=error.value,
            )
        ) from error
