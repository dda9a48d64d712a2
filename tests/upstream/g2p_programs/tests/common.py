from odoo.tests import TransactionCase


class ProgramsCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.jane = cls.Partner.create(
            {"name": "H1 DOE, Jane", "is_registrant": True, "is_group": False}
        )
        cls.household = cls.Partner.create(
            {"name": "H1 DOE household", "is_registrant": True, "is_group": True}
        )
        cls.program = cls.env["g2p.program"].create(
            {"name": "H1 Cash Transfer", "target_type": "individual"}
        )
        cls.cycle = cls.env["g2p.cycle"].create(
            {
                "name": "H1 Cycle 1",
                "program_id": cls.program.id,
                "start_date": "2024-01-01",
                "end_date": "2024-03-31",
            }
        )
