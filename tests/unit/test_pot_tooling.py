"""The translation templates: every addon has one, and the staleness check
(tests/tooling/pot.py, run by the odoo tier) compares texts, not dates."""

from tooling import pot
from tooling.addons import PRODUCTION_ADDONS

POT = """# Translation of Odoo Server.
msgid ""
msgstr ""
"Project-Id-Version: Odoo Server 17.0\\n"
"POT-Creation-Date: \\n"

#. module: spp_api_v2
#: model:ir.model.fields,help:spp_api_v2.field_spp_api_client__scope_ids
msgid ""
"The OAuth 2.0 scopes the client may request, "
"chosen among the declared API scopes"
msgstr ""

#. module: spp_api_v2
#: model:ir.ui.menu,name:spp_api_v2.menu_spp_api_v2
msgid "OpenSPP API"
msgstr ""

msgctxt "button"
msgid "Say \\"yes\\""
msgstr "Dire \\"oui\\""
"""


def test_every_production_addon_has_its_template():
    for addon in PRODUCTION_ADDONS:
        path = pot.pot_path(addon)
        assert path.exists(), f"{path} missing: run setup/gen_pot.py"
        assert pot.msgids(path), f"{path} holds no text"


def test_msgids_joins_continued_lines_and_skips_the_header(tmp_path):
    path = tmp_path / "a.pot"
    path.write_text(POT)
    assert pot.msgids(path) == {
        (
            None,
            "The OAuth 2.0 scopes the client may request, "
            "chosen among the declared API scopes",
        ),
        (None, "OpenSPP API"),
        ("button", 'Say "yes"'),
    }


def test_stale_names_what_differs_and_ignores_comments(tmp_path):
    committed, fresh = tmp_path / "committed.pot", tmp_path / "fresh.pot"
    committed.write_text(POT)
    # other references, dates and order: the same texts
    fresh.write_text(
        POT.replace("#: model:ir.ui.menu", "#: code:x.py:3\n#: model:ir.ui.menu")
    )
    assert pot.stale(committed, fresh) == ""
    fresh.write_text(POT.replace('msgid "OpenSPP API"', 'msgid "OpenSPP REST API"'))
    problem = pot.stale(committed, fresh)
    assert "1 text(s) of the code missing, 1 no longer in the code" in problem
    assert "'OpenSPP REST API'" in problem
    assert pot.stale(tmp_path / "none.pot", fresh).endswith("none.pot is missing")
