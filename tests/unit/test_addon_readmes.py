"""Every addon has an Odoo Apps description page, generated and up to date.

README.rst (and, for an application, static/description/index.html) are
generated from readme/*.md and the manifest by setup/gen_addon_readme.py;
icon.png is drawn by it (--icons). Odoo renders the README.rst of an addon that
is not an application itself; it shows nothing for an application without
index.html.
"""

import ast
import importlib.util
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from tooling.addons import PRODUCTION_ADDONS

REPO = Path(__file__).resolve().parents[2]
GENERATOR = REPO / "setup" / "gen_addon_readme.py"
REGENERATE = "python setup/gen_addon_readme.py"
INDEX = "static/description/index.html"


def is_application(addon):
    manifest = ast.literal_eval((REPO / addon / "__manifest__.py").read_text())
    return manifest.get("application", False)


APPLICATIONS = [addon for addon in PRODUCTION_ADDONS if is_application(addon)]


def _generator():
    spec = importlib.util.spec_from_file_location("gen_addon_readme", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator():
    return _generator()


@pytest.mark.parametrize("addon", PRODUCTION_ADDONS)
def test_addon_has_an_apps_description(addon):
    addon_dir = REPO / addon
    for name in ("README.rst", "static/description/icon.png"):
        assert (addon_dir / name).is_file(), f"{addon}/{name}: run {REGENERATE}"
    # Odoo shows an application's index.html, another addon's README.rst
    assert (addon_dir / INDEX).is_file() == is_application(addon), (
        f"{addon}/{INDEX}: run {REGENERATE}"
    )


def test_the_core_is_an_application_with_its_page():
    assert APPLICATIONS == ["spp_api_v2"]


def test_generator_finds_every_addon(generator):
    assert [d.name for d in generator.addon_dirs()] == sorted(PRODUCTION_ADDONS)


@pytest.mark.parametrize("addon", PRODUCTION_ADDONS)
def test_committed_files_are_what_the_generator_writes(generator, addon):
    addon_dir = REPO / addon
    for path, text in generator.generated_files(addon_dir).items():
        name = path.relative_to(REPO)
        if text is None:
            assert not path.exists(), f"{name} must not exist: run {REGENERATE}"
            continue
        assert path.is_file(), f"{name} is missing: run {REGENERATE}"
        current = path.read_text(encoding="utf-8")
        assert current == text, f"{name} is stale: run {REGENERATE}"


REMOTE_PREFIXES = ("http://", "https://", "//")
# Tags whose attribute makes the browser load something.
LOADING_ATTRS = {
    "img": ("src", "srcset"),
    "script": ("src",),
    "link": ("href",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
}


class _RemoteResources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.remote = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"
        for name, raw in attrs:
            value = (raw or "").strip().lower()
            if name in LOADING_ATTRS.get(tag, ()) and value.startswith(REMOTE_PREFIXES):
                self.remote.append(f"<{tag} {name}={value!r}>")
            if name == "style" and "url(" in value:
                self.remote.append(f"<{tag} style={value!r}>")

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style and ("url(" in data or "@import" in data):
            self.remote.append("a stylesheet that imports or loads a url()")


def remote_resources(html):
    parser = _RemoteResources()
    parser.feed(html)
    parser.close()
    return parser.remote


@pytest.mark.parametrize("addon", APPLICATIONS)
def test_description_page_loads_nothing_from_outside(addon):
    html = (REPO / addon / INDEX).read_text(encoding="utf-8")
    assert remote_resources(html) == []


def test_remote_resource_check_sees_images_scripts_and_stylesheets():
    assert remote_resources('<img src="https://img.shields.io/x.png">')
    assert remote_resources('<script src="//cdn.example/x.js"></script>')
    assert remote_resources('<link rel="stylesheet" href="http://x/y.css">')
    assert remote_resources("<style>@import 'x.css';</style>")
    assert not remote_resources('<a href="https://github.com/x">repo</a>')
    assert not remote_resources('<img src="icon.png">')


def png_size(data):
    """(width, height) of a well-formed PNG; AssertionError otherwise."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    pos, chunks, idat = 8, [], b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        chunks.append(kind)
        if kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND", chunks
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    zlib.decompress(idat)  # the image data is complete
    assert depth == 8 and colour in (2, 6), (depth, colour)  # RGB(A), 8 bits
    return width, height


@pytest.mark.parametrize("addon", PRODUCTION_ADDONS)
def test_icon_is_a_square_png(addon):
    data = (REPO / addon / "static/description/icon.png").read_bytes()
    width, height = png_size(data)
    assert width == height >= 64
