"""One pool of apps per endpoint, whatever the request's path: a new path
(a lookup of another code) builds no app, leaves nothing behind and looks up
no endpoint (``spp_api_base/models/upstream_fixes.py``, ``EndpointAppPool``
and ``get_uid``)."""

from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from odoo.addons.fastapi.pools import fastapi_app_pool

ROOT = "/api/v2/spp"
PATHS = 5


@tagged("post_install", "-at_install")
class TestAppPool(HttpCase):
    def test_distinct_paths_share_the_endpoints_apps(self):
        Endpoint = type(self.env["fastapi.endpoint"])
        original = Endpoint.get_app
        built = []

        def get_app(endpoint, path):
            built.append(path)
            return original(endpoint, path)

        original_endpoint = Endpoint._get_endpoint
        looked_up = []

        def get_endpoint(endpoint, path):
            looked_up.append(path)
            return original_endpoint(endpoint, path)

        self.url_open(f"{ROOT}/no-such-route")  # what the first request caches
        with (
            patch.object(Endpoint, "get_app", get_app),
            patch.object(Endpoint, "_get_endpoint", get_endpoint),
        ):
            for n in range(PATHS):
                response = self.url_open(f"{ROOT}/no-such-route-{n}")
                self.assertEqual(response.status_code, 404, response.text)
        # upstream: one app built per path, each kept in a queue of its own,
        # and the endpoint (its user) looked up again for each path (at most
        # one each here: should Odoo's caches be cleared meanwhile)
        self.assertLessEqual(len(built), 1, built)
        self.assertLessEqual(len(looked_up), 1, looked_up)
        root_paths = set(self.env["fastapi.endpoint"].search([]).mapped("root_path"))
        pooled = set(fastapi_app_pool._queue_by_db_by_root_path[self.env.cr.dbname])
        self.assertLessEqual(pooled, root_paths)
        self.assertIn(ROOT, pooled)
