from odoo.tests import HttpCase, tagged

from odoo.addons.spp_api_base.tests.docs_pages import DocsPagesChecks


@tagged("post_install", "-at_install")
class TestDocsPages(DocsPagesChecks, HttpCase):
    """The registry app's docs pages and OpenAPI document (``spp_api_base``'s
    checks)."""

    ROOT = "/api/v1/registry"
    OPERATION_IDS = {
        ("get", "/program_membership"): "searchProgramMemberships",
        ("post", "/program_membership"): "createProgramMembership",
        ("get", "/program_membership/{_id}"): "readProgramMembership",
        ("patch", "/program_membership/{_id}"): "updateProgramMembership",
        ("delete", "/program_membership/{_id}"): "deleteProgramMembership",
        # upstream's, named by the app after their functions
        ("get", "/individual/{_id}"): "getIndividual",
        ("get", "/group"): "searchGroups",
        ("post", "/individual"): "createIndividual",
    }

    def _documents_error_schema(self, key):
        return "program_membership" in key[1]  # upstream's as upstream has them

    def _check_document(self, spec, operations):
        # one schema per model (no "X-Input" next to "X-Output")
        self.assertFalse(
            [n for n in spec["components"]["schemas"] if n.endswith("put")]
        )
        member = spec["components"]["schemas"]["GroupMembersInfoResponse"]
        self.assertIsNone(member["properties"]["individual"].get("default"))
