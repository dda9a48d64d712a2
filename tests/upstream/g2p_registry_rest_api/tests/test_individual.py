from datetime import date

from odoo.tests import tagged

from .common import RegistryApiCase


@tagged("post_install", "-at_install")
class TestIndividualApi(RegistryApiCase):
    def test_create_individual(self):
        with self.client() as client:
            response = client.post(
                "/individual", json=self.individual_payload(), auth=self.auth
            )
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        partner = self.Partner.browse(body["id"])
        self.assertTrue(partner.exists())
        self.assertTrue(partner.is_registrant)
        self.assertFalse(partner.is_group)
        self.assertEqual(partner.given_name, "Jane")
        self.assertEqual(partner.birthdate, date(1990, 5, 1))
        self.assertEqual(
            sorted((r.id_type.name, r.value) for r in partner.reg_ids),
            [("H3 National ID", "NID-0001"), ("H3 Passport", "P-0001")],
        )
        self.assertEqual(partner.phone_number_ids.phone_no, "+15551234567")

        self.assertEqual(body["name"], "H3 DOE, Jane")
        self.assertEqual(body["given_name"], "Jane")
        self.assertEqual(body["family_name"], "Doe")
        self.assertEqual(body["birthdate"], "1990-05-01")
        self.assertIs(body["is_group"], False)
        self.assertEqual(
            sorted((i["id_type"], i["value"], i["expiry_date"]) for i in body["ids"]),
            [
                ("H3 National ID", "NID-0001", None),
                ("H3 Passport", "P-0001", "2030-12-31"),
            ],
        )
        self.assertEqual(body["phone_numbers"][0]["phone_no"], "+15551234567")

    def test_unknown_id_type_is_400_and_writes_nothing(self):
        payload = self.individual_payload()
        payload["ids"][1]["id_type"] = "H3 Voter card"
        reg_ids_before = self.env["g2p.reg.id"].search_count([])
        with self.client() as client:
            response = client.post("/individual", json=payload, auth=self.auth)
        self.assertEqual(response.status_code, 400, response.text)
        detail = response.json()["detail"]
        self.assertIn("ids[1].id_type", detail)
        self.assertIn("H3 Voter card", detail)
        self.assertFalse(self.Partner.search([("name", "=", "H3 DOE, Jane")]))
        self.assertEqual(self.env["g2p.reg.id"].search_count([]), reg_ids_before)

    def test_already_registered_id_is_409_and_writes_nothing(self):
        self.create_individual(
            "H3 First holder",
            reg_ids=[(0, 0, {"id_type": self.passport.id, "value": "P-0001"})],
        )
        with self.client() as client:
            response = client.post(
                "/individual", json=self.individual_payload(), auth=self.auth
            )
        self.assertEqual(response.status_code, 409, response.text)
        self.assertIn("ids[1].value", response.json()["detail"])
        self.assertIn("P-0001", response.json()["detail"])
        self.assertFalse(self.Partner.search([("name", "=", "H3 DOE, Jane")]))

    def test_invalid_body_is_422_naming_the_field(self):
        payload = self.individual_payload()
        del payload["given_name"]
        with self.client() as client:
            response = client.post("/individual", json=payload, auth=self.auth)
        self.assertEqual(response.status_code, 422, response.text)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "given_name"])
        self.assertFalse(self.Partner.search([("name", "=", "H3 DOE, Jane")]))

    def test_get_individual(self):
        jane = self.create_individual(
            "H3 Jane",
            reg_ids=[(0, 0, {"id_type": self.national_id.id, "value": "N-7"})],
        )
        group = self.create_group("H3 Household")
        with self.client() as client:
            found = client.get(f"/individual/{jane.id}", auth=self.auth)
            as_group = client.get(f"/individual/{group.id}", auth=self.auth)
            missing = client.get("/individual/999999999", auth=self.auth)
        self.assertEqual(found.status_code, 200, found.text)
        self.assertEqual(found.json()["id"], jane.id)
        self.assertEqual(found.json()["ids"][0]["value"], "N-7")
        self.assertEqual(found.json()["ids"][0]["id_type"], "H3 National ID")
        self.assertIsNone(found.json()["birthdate"])
        self.assertEqual(as_group.status_code, 404)
        self.assertEqual(missing.status_code, 404)
        self.assertIn("999999999", missing.json()["detail"])

    def test_search_individuals(self):
        first = self.create_individual("H3 Search Alpha")
        second = self.create_individual("H3 search Beta")
        self.create_individual("H3 Other")
        self.create_group("H3 Search group")
        with self.client() as client:
            by_name = client.get(
                "/individual", params={"name": "h3 search"}, auth=self.auth
            )
            page = client.get(
                "/individual",
                params={"name": "h3 search", "_count": 1, "_offset": 1},
                auth=self.auth,
            )
            by_id = client.get("/individual", params={"_id": first.id}, auth=self.auth)
            none = client.get(
                "/individual", params={"name": "h3 nobody"}, auth=self.auth
            )
            bad_count = client.get("/individual", params={"_count": 0}, auth=self.auth)
        self.assertEqual(by_name.status_code, 200, by_name.text)
        self.assertEqual([p["id"] for p in by_name.json()], [first.id, second.id])
        self.assertEqual(by_name.headers["X-Total-Count"], "2")
        self.assertEqual([p["id"] for p in page.json()], [second.id])
        self.assertEqual(page.headers["X-Total-Count"], "2")
        self.assertEqual([p["id"] for p in by_id.json()], [first.id])
        self.assertEqual(none.status_code, 200)
        self.assertEqual(none.json(), [])
        self.assertEqual(bad_count.status_code, 422)
        self.assertEqual(bad_count.json()["detail"][0]["loc"], ["query", "_count"])
