"""Find the interpreter that runs Odoo 17, and prepare it for our addons."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
UPSTREAM_STANDINS = REPO / "tests" / "upstream"

PRODUCTION_ADDONS = ["spp_api_v2_entitlements", "g2p_programs_rest_api"]
STANDIN_ADDONS = sorted(
    p.parent.name for p in UPSTREAM_STANDINS.glob("*/__manifest__.py")
)

# What the Odoo interpreter needs beyond Odoo itself: the OCA fastapi addon
# (a PyPI wheel for 17.0) and the libraries our manifests declare.
ODOO_SIDE_REQUIREMENTS = [
    "odoo-addon-fastapi>=17.0,<17.1dev",
    "-r",
    str(REPO / "requirements.txt"),
]

_PROBE = """
import json, os, sys
try:
    import odoo
except Exception as exc:
    print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
    sys.exit(0)
info = {"version": list(odoo.release.version_info[:2]),
        "package": os.path.dirname(odoo.__file__)}
missing = []
for mod in ("fastapi", "jwt", "extendable_pydantic", "httpx"):
    try:
        __import__(mod)
    except ImportError:
        missing.append(mod)
import importlib.util
if importlib.util.find_spec("odoo.addons.fastapi") is None:
    missing.append("odoo.addons.fastapi")
info["missing"] = missing
print(json.dumps(info))
"""


def candidate_interpreters():
    """ODOO_PYTHON if set; otherwise this interpreter, then python3 on PATH."""
    explicit = os.environ.get("ODOO_PYTHON")
    if explicit:
        return [explicit]
    found = [sys.executable, shutil.which("python3")]
    return [p for i, p in enumerate(found) if p and p not in found[:i]]


def probe(python):
    try:
        out = subprocess.run(
            [python, "-c", _PROBE], capture_output=True, text=True, check=False
        )
    except OSError as exc:
        return {"error": str(exc)}
    lines = out.stdout.strip().splitlines()
    if not lines:
        return {"error": out.stderr.strip()[-300:] or "no answer"}
    return json.loads(lines[-1])


def find_odoo_python():
    """Return (python, info) for Odoo 17, or (None, reason)."""
    reasons = []
    for python in candidate_interpreters():
        info = probe(python)
        if "error" in info:
            reasons.append(f"{python}: {info['error']}")
            continue
        if info["version"] != [17, 0]:
            reasons.append(f"{python}: Odoo {info['version']} is not 17.0")
            continue
        return python, info
    return None, "; ".join(reasons)


def ensure_requirements(python, info):
    """Install the OCA fastapi addon and our libraries where they are missing."""
    if not info["missing"]:
        return
    print(
        f"odoo tier: installing into {python}: fastapi addon and requirements.txt "
        f"(missing: {', '.join(info['missing'])})",
        flush=True,
    )
    subprocess.run(
        [python, "-m", "pip", "install", "-q", *ODOO_SIDE_REQUIREMENTS], check=True
    )


def addons_path(info):
    """Our addons and the stand-ins, plus a source checkout's addons folder."""
    paths = []
    extra = os.environ.get("ODOO_ADDONS_PATH")
    if extra:
        paths += [p for p in extra.split(",") if p]
    checkout_addons = Path(info["package"]).parent / "addons"
    if (checkout_addons / "web" / "__manifest__.py").exists():
        paths.append(str(checkout_addons))
    paths += [str(REPO), str(UPSTREAM_STANDINS)]
    return ",".join(paths)
