#!/usr/bin/env python3
"""Generate each addon's Odoo Apps description from its readme fragments.

For every addon of the repository (a folder with ``__manifest__.py`` and
``readme/DESCRIPTION.md``) this writes, OCA style:

- ``README.rst``: title, text badges, the description, a table of contents and
  the sections Installation, Configuration, Usage, Development, Known issues /
  Roadmap, Changelog, Bug Tracker and Credits, from the fragments
  ``readme/*.md`` that exist and the manifest;
- ``static/description/index.html``, for an application only: that README
  rendered by docutils, without a stylesheet (Odoo's Apps page drops
  ``<head>``, ``<style>`` and ``<link>``: ``tools.html_sanitize``). Odoo 17
  renders the README.rst of any other addon itself (``ir.module.module``'s
  ``description_html``: the manifest's description, read from README.rst) but
  shows no description of an application without this page; a page generated
  for every addon would be a second copy of each README.

Markdown is converted by pandoc (the ``pypandoc-binary`` wheel ships it), HTML
by docutils; the versions are pinned in constraints.txt, so the output is the
same on every machine and ``--check`` can compare it with the committed files
(tests/unit/test_addon_readmes.py does).

    python setup/gen_addon_readme.py            # write the files
    python setup/gen_addon_readme.py --check    # exit 1 if a file is stale
    python setup/gen_addon_readme.py --icons    # also draw the icon.png (Pillow)

The icons are drawn once and committed: they do not depend on the fragments.
"""

import argparse
import ast
import json
import sys
from pathlib import Path

import pypandoc
from docutils.core import publish_string

REPO = Path(__file__).resolve().parents[1]
FRAGMENTS_DIR = "readme"
GENERATOR = "setup/gen_addon_readme.py"

# (fragment, section title); None: the description, right under the title.
SECTIONS = (
    ("DESCRIPTION", None),
    ("INSTALL", "Installation"),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("DEVELOP", "Development"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
)
CREDIT_FRAGMENTS = (("CONTRIBUTORS", "Contributors"), ("CREDITS", "Other credits"))

LICENSES = {
    "LGPL-3": "https://www.gnu.org/licenses/lgpl-3.0-standalone.html",
    "AGPL-3": "https://www.gnu.org/licenses/agpl-3.0-standalone.html",
    "GPL-3": "https://www.gnu.org/licenses/gpl-3.0-standalone.html",
}

# pandoc: GitHub-flavoured Markdown without turning bare URLs (localhost examples)
# into links; source line breaks kept so that the README diffs like the fragments.
PANDOC_FROM = "gfm-autolink_bare_uris"
PANDOC_ARGS = ["--wrap=preserve", "--columns=88"]

# docutils, as OCA (from pypa/readme_renderer): no file insertion, no raw HTML,
# any warning is an error (a fragment the converter got wrong fails loudly).
RST2HTML_SETTINGS = {
    "file_insertion_enabled": False,
    "raw_enabled": False,
    "halt_level": 2,
    "report_level": 2,
    "smart_quotes": True,
    "syntax_highlight": "short",
    "embed_stylesheet": False,
    "stylesheet_path": "",
    "stylesheet": "",
    "output_encoding": "utf-8",
    "_disable_config": True,
}

ICONS = {
    # addon: (label, background colour)
    "spp_api_base": ("BASE", (73, 80, 87)),
    "spp_api_v2": ("API v2", (0, 110, 120)),
    "spp_api_v2_entitlements": ("ENT", (176, 92, 20)),
    "g2p_programs_rest_api": ("G2P", (44, 84, 160)),
    "spp_api_v2_registry": ("REG", (96, 60, 150)),
}
GREY = (73, 80, 87)
ICON_SIZE = 128


# --------------------------------------------------------------------- Markdown


def _pandoc(text, source, target):
    extra = PANDOC_ARGS if target == "rst" else []
    return pypandoc.convert_text(text, target, format=source, extra_args=extra)


def _walk(node, inline_fn):
    """Apply inline_fn to every list of inlines found under node (in place)."""
    if isinstance(node, dict):
        for value in node.values():
            _walk(value, inline_fn)
    elif isinstance(node, list):
        if node and all(isinstance(n, dict) and "t" in n for n in node):
            inline_fn(node)
        for value in node:
            _walk(value, inline_fn)


def _plain_code_in_markup(inlines):
    """reStructuredText cannot nest markup: **`x`** becomes **x**."""
    for node in inlines:
        if node.get("t") in ("Strong", "Emph", "Underline", "Strikeout"):
            _flatten_code(node["c"])
        elif node.get("t") == "Link":
            _flatten_code(node["c"][1])


def _flatten_code(inlines):
    for i, node in enumerate(inlines):
        if node.get("t") == "Code":
            inlines[i] = {"t": "Str", "c": node["c"][1]}
        elif node.get("t") in ("Strong", "Emph", "Underline", "Strikeout"):
            _flatten_code(node["c"])


def md_to_rst(text, *, in_section):
    """One Markdown fragment as reStructuredText.

    in_section: the fragment is the body of a section of the README, its headings
    become subsections (highest level first); otherwise (the description, above
    the table of contents) its headings become bold paragraphs, so that they do
    not start sections that would swallow the table of contents.
    """
    doc = json.loads(_pandoc(text, PANDOC_FROM, "json"))
    levels = sorted({b["c"][0] for b in doc["blocks"] if b["t"] == "Header"})
    blocks = []
    for block in doc["blocks"]:
        new = block
        if block["t"] == "Header":
            level, attr, inlines = block["c"]
            if in_section:
                new = {"t": "Header", "c": [2 + levels.index(level), attr, inlines]}
            else:
                new = {"t": "Para", "c": [{"t": "Strong", "c": inlines}]}
        blocks.append(new)
    doc["blocks"] = blocks
    _walk(doc["blocks"], _plain_code_in_markup)
    rst = _pandoc(json.dumps(doc), "json", "rst")
    return rst.strip() + "\n"


# ------------------------------------------------------------------------ README


def read_manifest(addon_dir):
    return ast.literal_eval((addon_dir / "__manifest__.py").read_text(encoding="utf-8"))


def _fragment(addon_dir, name, *, in_section):
    md = addon_dir / FRAGMENTS_DIR / f"{name}.md"
    rst = addon_dir / FRAGMENTS_DIR / f"{name}.rst"
    if md.is_file() and md.read_text(encoding="utf-8").strip():
        return md_to_rst(md.read_text(encoding="utf-8"), in_section=in_section)
    if rst.is_file() and rst.read_text(encoding="utf-8").strip():
        return rst.read_text(encoding="utf-8").strip() + "\n"
    return None


def _heading(text, char, overline=False):
    line = char * len(text)
    return f"{line}\n{text}\n{line}\n" if overline else f"{text}\n{line}\n"


def _authors(manifest):
    return [a.strip() for a in manifest.get("author", "").split(",") if a.strip()]


def render_readme(addon_dir):
    manifest = read_manifest(addon_dir)
    addon = addon_dir.name
    series = ".".join(manifest["version"].split(".")[:2])
    status = manifest.get("development_status", "Beta")
    license_ = manifest.get("license", "LGPL-3")
    website = manifest.get("website", "")

    out = [
        "..\n"
        f"   !! Generated by {GENERATOR} from readme/*.md and __manifest__.py:\n"
        "   !! edit those and regenerate, changes made here are overwritten.\n",
        _heading(manifest["name"], "=", overline=True),
        ".. role:: badge\n   :class: badge\n",
        *(
            f".. role:: badge-{kind}\n   :class: badge badge-{kind}\n"
            for kind in ("maturity", "license", "odoo", "version")
        ),
        ".. class:: badges\n\n"
        f":badge-maturity:`Maturity: {status}`\n"
        f":badge-license:`License: {license_}`\n"
        f":badge-odoo:`Odoo {series}`\n"
        f":badge-version:`Version {manifest['version']}`\n"
        f":badge:`Technical name: {addon}`\n",
    ]
    if manifest.get("summary"):
        out.append(f".. class:: summary\n\n{manifest['summary']}\n")

    description = _fragment(addon_dir, "DESCRIPTION", in_section=False)
    if description:
        out.append(description)
    out.append("**Table of contents**\n\n.. contents::\n   :local:\n")

    for name, title in SECTIONS[1:]:
        body = _fragment(addon_dir, name, in_section=True)
        if body:
            out.append(_heading(title, "="))
            out.append(body)

    if "github.com/" in website:
        out.append(_heading("Bug Tracker", "="))
        out.append(
            "Bugs are tracked on `GitHub Issues "
            f"<{website.rstrip('/')}/issues>`_. In case of trouble, please check "
            "there if your issue has already been reported.\n"
        )

    out.append(_heading("Credits", "="))
    out.append(_heading("Authors", "-"))
    out.append("".join(f"* {a}\n" for a in _authors(manifest)))
    for name, title in CREDIT_FRAGMENTS:
        body = _fragment(addon_dir, name, in_section=True)
        if body:
            out.append(_heading(title, "-"))
            out.append(body)
    out.append(_heading("Maintainers", "-"))
    maintainers = manifest.get("maintainers") or _authors(manifest)
    text = "This module is maintained by " + ", ".join(maintainers) + "."
    if website:
        text += f"\nIt is part of the project `{website} <{website}>`_."
    license_url = LICENSES.get(license_)
    if license_url:
        text += f"\nLicense: `{license_} <{license_url}>`_."
    else:
        text += f"\nLicense: {license_}."
    out.append(text + "\n")
    return "\n".join(out)


# ------------------------------------------------------------------------- HTML


def render_index(readme_rst):
    html = publish_string(
        source=readme_rst,
        writer_name="html4css1",
        settings_overrides=RST2HTML_SETTINGS,
    ).decode("utf-8")
    # Odoo 17 deprecates XML declarations in module descriptions.
    if html.startswith("<?xml"):
        html = html.split("\n", 1)[1]
    return html


# ------------------------------------------------------------------------ files


def addon_dirs(root=REPO):
    return sorted(
        p.parent
        for p in root.glob("*/__manifest__.py")
        if (p.parent / FRAGMENTS_DIR / "DESCRIPTION.md").is_file()
        or (p.parent / FRAGMENTS_DIR / "DESCRIPTION.rst").is_file()
    )


def generated_files(addon_dir):
    """{path: text} of the files generated for one addon; text None: a file
    that must not exist (the description page of an addon that is not an
    application)."""
    readme = render_readme(addon_dir)
    is_application = read_manifest(addon_dir).get("application", False)
    return {
        addon_dir / "README.rst": readme,
        addon_dir / "static" / "description" / "index.html": (
            render_index(readme) if is_application else None
        ),
    }


def draw_icon(label, colour, size=ICON_SIZE):
    """A rounded square of colour with braces and label in white (Pillow)."""
    from PIL import Image, ImageDraw, ImageFont  # noqa: PLC0415 (only for --icons)

    scale = 4  # drawn large, then reduced: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (0, 0, big - 1, big - 1), radius=22 * scale, fill=(*colour, 255)
    )
    white = (255, 255, 255, 255)
    braces = ImageFont.load_default(size=62 * scale)
    draw.text((big / 2, 46 * scale), "{ }", font=braces, fill=white, anchor="mm")
    font = ImageFont.load_default(size=(30 if len(label) <= 3 else 26) * scale)
    draw.text((big / 2, 98 * scale), label, font=font, fill=white, anchor="mm")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def write_icons(dirs):
    for addon_dir in dirs:
        label, colour = ICONS.get(addon_dir.name, (addon_dir.name[:3].upper(), GREY))
        path = addon_dir / "static" / "description" / "icon.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        draw_icon(label, colour).save(path, format="PNG", optimize=True)
        print(f"wrote {path.relative_to(REPO)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("addons", nargs="*", help="addon folders (default: all)")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if stale"
    )
    parser.add_argument("--icons", action="store_true", help="also draw icon.png")
    args = parser.parse_args(argv)
    dirs = [Path(a).resolve() for a in args.addons] or addon_dirs()

    stale = []
    for addon_dir in dirs:
        for path, text in generated_files(addon_dir).items():
            current = path.read_text(encoding="utf-8") if path.is_file() else None
            if current == text:
                continue
            stale.append(path)
            if args.check:
                continue
            if text is None:
                path.unlink()
                print(f"removed {path.relative_to(REPO)}")
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                print(f"wrote {path.relative_to(REPO)}")
    if args.icons and not args.check:
        write_icons(dirs)
    if args.check and stale:
        for path in stale:
            print(f"stale: {path.relative_to(REPO)}", file=sys.stderr)
        print(f"regenerate with: python {GENERATOR}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
