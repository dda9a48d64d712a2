"""The app's routes are served by its streaming dispatcher; other fastapi
apps keep the OCA one."""

from odoo.http import _dispatchers
from odoo.tests import HttpCase, tagged

from odoo.addons.endpoint_route_handler.registry import EndpointRegistry
from odoo.addons.fastapi.fastapi_dispatcher import FastApiDispatcher

from ..fastapi_dispatcher import ROUTING_TYPE, SppApiV2Dispatcher

ROOT = "/api/v2/spp"


@tagged("post_install", "-at_install")
class TestStreamingDispatcher(HttpCase):
    def _stored_types(self, endpoint):
        keys = endpoint._registered_endpoint_rule_keys()
        rules = EndpointRegistry.registry_for(self.env.cr).get_rules(keys=keys)
        return {rule.routing["type"] for rule in rules}

    def test_the_app_is_registered_with_its_dispatcher(self):
        endpoint = self.env.ref("spp_api_v2.endpoint_spp_api_v2")
        self.assertEqual(self._stored_types(endpoint), {ROUTING_TYPE})
        self.assertIs(_dispatchers[ROUTING_TYPE], SppApiV2Dispatcher)
        # other apps keep theirs: OCA's, or extendable_fastapi's subclass of it
        # where that addon is installed (OpenG2P's registry API needs it)
        self.assertIsNot(_dispatchers["fastapi"], SppApiV2Dispatcher)
        self.assertTrue(issubclass(_dispatchers["fastapi"], FastApiDispatcher))

    def test_other_apps_keep_the_oca_dispatcher(self):
        other = self.env["fastapi.endpoint"].new(
            {
                "name": "Demo",
                "app": "demo",
                "root_path": "/test_streaming_dispatcher_demo",
                "user_id": self.env.ref("base.user_admin").id,
            }
        )
        self.assertEqual(other._get_routing_info()["type"], "fastapi")

    def test_buffered_answers_are_unchanged(self):
        response = self.url_open(f"{ROOT}/openapi.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/json")
        self.assertEqual(int(response.headers["Content-Length"]), len(response.content))
        self.assertIn("/oauth/token", response.json()["paths"])
