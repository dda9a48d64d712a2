"""Every curl example of every readme, run as written against the running demo.

With `make demo` running in another terminal:

    .venv/bin/python tests/demo/check_readme_examples.py [--verbose]

It reads the repository's README.md and, for each addon of
tests/tooling/addons.py, its readme/DESCRIPTION.md, CONFIGURE.md and USAGE.md.
Every fenced shell block (```sh, ```bash, ```shell) that calls curl is an
example; the other shell blocks (e.g. `R=...`) run in their place,
unreported. The examples of one file run in order in one bash session (a
reader follows one readme from the top), so that a variable an example sets (`TOKEN`,
`BASE`, ...) serves the next ones. The session starts with what a reader of
the demo has: the variables of example_variables() (`$CLIENT_ID`, `$SECRET`,
...), filled from the credentials `make demo` printed, the words of
placeholders() (`API_KEY`) replaced by their demo values, and
`http://localhost:8069` (or `127.0.0.1:8069`) served on the demo's port
(`DEMO_PORT`; curl's `--connect-to`, so the URLs are not rewritten).

What the readme shows after an example is what it must answer: the next
fenced block that is not a shell block (before the next shell example), JSON
or an HTTP answer (`HTTP/1.1 201 ...`, headers, body), with at most
MAX_PROSE_LINES lines of text in between. Compared:

- the status of the example's last curl call: the one the HTTP answer shows,
  else a 2xx for a JSON answer or when the readme shows nothing; every earlier
  curl call of the example must answer 2xx or 3xx;
- the headers the HTTP answer shows must be present;
- the JSON body the readme shows: every key it shows must be present
  (`"..."` stands for more), with the same value for the fields that do not
  depend on the instance or the moment (KEY_FIELDS: states, programme names,
  amounts, currency, ...); in lists (search results), whose items depend
  on the data and the moment, the keys that every item shown has.

The examples that create registrants can be run again: before the registry
examples run, registrants with an ID that a POST /individual or POST /group
example of the readmes creates are deleted from the demo's database
(with their memberships), through an Odoo shell.

Prints one line per example (file:line, method and URL of its last call,
status, expected status, OK or what differs) and exits non-zero when one fails.
"""

import argparse
import json
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import run_demo
from demo_api import odoo_shell
from tooling.addons import PRODUCTION_ADDONS

REPO = run_demo.REPO
READMES = ("DESCRIPTION.md", "CONFIGURE.md", "USAGE.md")
SHELL_LANGS = {"sh", "bash", "shell", "console"}
KEY_FIELDS = {
    "token_type",
    "scope",
    "state",
    "status",
    "program",
    "cycle",
    "entitlement_type",
    "currency",
    "amount",
    "balance",
    "unit_price",
    "total_amount",
    "product",
    "unit",
    "qty",
    "entitlement",
    "entitlement_state",
    "reference",
    "reason",
    "name",
    "given_name",
    "is_group",
    "registrant",
    "registrant_name",
    "beneficiary",
    "beneficiary_name",
    "enrollment_date",
    "exit_date",
    "detail",
    "error",
}
STATUS_MARK = "@@STATUS"
# what a readme shows after an example is its answer when at most this many
# lines of text come between them ("The answer is ...:")
MAX_PROSE_LINES = 4
BLOCK_MARK = "@@BLOCK"


def placeholders(creds):
    """Words the readmes ask the reader to replace with what `make demo`
    prints, and their values on the demo (replaced where they stand as a
    word in an example)."""
    registry = creds["registry_user"]
    return {"API_KEY": registry["api_key"]} if "api_key" in registry else {}


def example_variables(creds):
    """The shell variables the readmes expect a reader of the demo to have."""
    provider = creds["payment_provider"]
    registry = creds["registry_user"]
    variables = {
        "CLIENT_ID": provider["client_id"],
        "SECRET": provider["client_secret"],
        "LOGIN": registry["login"],
        "PASSWORD": registry["password"],
    }
    if "api_key" in registry:
        variables["API_KEY"] = registry["api_key"]
    if "registry_client" in creds:
        variables["REGISTRY_CLIENT_ID"] = creds["registry_client"]["client_id"]
        variables["REGISTRY_CLIENT_SECRET"] = creds["registry_client"]["client_secret"]
    return variables


def readme_files():
    files = [REPO / "README.md"]
    for addon in PRODUCTION_ADDONS:
        files += [REPO / addon / "readme" / name for name in READMES]
    return [path for path in files if path.exists()]


FENCE = re.compile(r"^```(\S*)\s*$")


def fenced_blocks(text):
    """``(line, lang, content)`` of every fenced block of a markdown text."""
    blocks, lang, start, lines = [], None, 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        match = FENCE.match(stripped)
        if lang is None and match:
            lang, start, lines = match.group(1).lower(), number, []
            indent = len(line) - len(line.lstrip())
        elif lang is not None and stripped == "```":
            blocks.append((start, lang, "\n".join(lines)))
            lang = None
        elif lang is not None:
            lines.append(line[indent:] if line[:indent].strip() == "" else line)
    return blocks


def is_curl_example(lang, content):
    return lang in SHELL_LANGS and re.search(r"(^|[\s$(|])curl\s", content)


def examples(path):
    """``(line, shell code, expected block or None)`` of a readme."""
    text = path.read_text()
    blocks, lines = fenced_blocks(text), text.splitlines()
    found = []
    for index, (line, lang, content) in enumerate(blocks):
        if not is_curl_example(lang, content):
            continue
        expected = None
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following and following[1] not in SHELL_LANGS | {"python"}:
            end = line + content.count("\n") + 2
            prose = [text for text in lines[end : following[0] - 1] if text.strip()]
            if len(prose) <= MAX_PROSE_LINES:
                expected = following[2]
        found.append((line, content, expected))
    return found


def parse_expected(block):
    """``(status or None, header names, JSON body or None)`` of what a readme shows."""
    if block is None:
        return None, [], None
    text = block.strip()
    status, headers = None, []
    match = re.match(r"HTTP/[\d.]+ (\d{3})", text)
    if match:
        status = int(match.group(1))
        head, _sep, text = text.partition("\n\n")
        for header in head.splitlines()[1:]:
            if ":" in header:
                headers.append(header.split(":", 1)[0].strip().lower())
        text = text.strip()
    try:
        body = json.loads(text) if text else None
    except ValueError:
        body = None
    return status, headers, body


def compare(expected, actual, path="$"):
    """What differs between the JSON a readme shows and the answer (a list)."""
    if isinstance(expected, dict):
        return _compare_object(expected, actual, path)
    if isinstance(expected, list):
        return _compare_list(expected, actual, path)
    return []


def _compare_object(expected, actual, path):
    if not isinstance(actual, dict):
        return [f"{path}: expected an object, got {type(actual).__name__}"]
    problems = []
    for key, value in expected.items():
        if key == "...":
            continue
        if key not in actual:
            problems.append(f"{path}.{key}: missing")
        elif key in KEY_FIELDS and not isinstance(value, dict | list):
            if value != actual[key] and str(value) != str(actual[key]):
                problems.append(f"{path}.{key}: readme {value!r}, demo {actual[key]!r}")
        else:
            problems += compare(value, actual[key], f"{path}.{key}")
    return problems


def _compare_list(expected, actual, path):
    if not isinstance(actual, list):
        return [f"{path}: expected a list, got {type(actual).__name__}"]
    if expected and not actual:
        return [f"{path}: empty, the readme shows {len(expected)} item(s)"]
    problems = []
    if expected and all(isinstance(e, dict) for e in expected):
        # which items a list holds depends on the data and the moment
        # (order, payments made): only the keys every item shows
        keys = set.intersection(*(set(e) for e in expected)) - {"..."}
        for n, item in enumerate(actual):
            missing = sorted(keys - set(item)) if isinstance(item, dict) else keys
            if missing:
                problems.append(f"{path}[{n}]: missing {', '.join(missing)}")
    return problems


def split_answer(stdout):
    """``(header names, JSON body or None)`` of the output of an example."""
    text = stdout.replace("\r\n", "\n")
    headers = []
    # `curl -i`: the last header block (after 100 Continue), then the body
    while re.match(r"HTTP/[\d.]+ \d{3}", text):
        head, _sep, text = text.partition("\n\n")
        headers = [
            h.split(":", 1)[0].strip().lower()
            for h in head.splitlines()[1:]
            if ":" in h
        ]
    text = text.strip()
    body = None
    if text:
        try:
            body = json.loads(text)
        except ValueError:
            lines = text.splitlines()
            try:
                body = json.loads(lines[-1])
            except ValueError:
                body = None
    return headers, body


def cleanup_registrants(files):
    """Delete the registrants the registry examples create, so that they can
    be created again; returns the IDs looked for."""
    values = set()
    for path in files:
        for _line, code, _expected in examples(path):
            if re.search(r"/(individual|group)\b", code) and re.search(
                r"(-d|--data\S*)\s+'", code
            ):
                values.update(re.findall(r'"value":\s*"([^"]+)"', code))
    if not values:
        return values
    odoo_shell(
        f"""
ids = env["g2p.reg.id"].search([("value", "in", {sorted(values)!r})])
people = ids.partner_id
groups = people.filtered("is_group")
members = groups.group_membership_ids.individual
everyone = (people | members).sudo()
# never the demo's own registrants: those have entitlements or consents
seeded = env["g2p.entitlement"].sudo().search([("partner_id", "in", everyone.ids)])
seeded = seeded.partner_id | env["spp.consent"].sudo().search(
    ["|", ("signatory_id", "in", everyone.ids), ("group_id", "in", everyone.ids)]
).signatory_id
everyone -= seeded
memberships = env["g2p.program_membership"].sudo()
memberships.search([("partner_id", "in", everyone.ids)]).unlink()
env["g2p.group.membership"].sudo().search(
    ["|", ("group", "in", everyone.ids), ("individual", "in", everyone.ids)]
).unlink()
env["g2p.reg.id"].sudo().search([("partner_id", "in", everyone.ids)]).unlink()
everyone.unlink()
env.cr.commit()
print("DELETED", len(everyone))
""",
        "DELETED",
    )
    return values


def setup_blocks(path):
    """``(line, shell code)`` of the shell blocks without curl (``R=...``):
    they run in their place, unreported."""
    return [
        (line, content)
        for line, lang, content in fenced_blocks(path.read_text())
        if lang in SHELL_LANGS and not is_curl_example(lang, content)
    ]


def _fill(code, words):
    for word, value in (words or {}).items():
        code = re.sub(rf"(?<![$\w]){word}\b", value, code)
    return code


def run_file(path, variables, port, workdir, words=None):
    """Run the examples of one readme in one bash session; their results."""
    found = [(line, _fill(code, words), exp) for line, code, exp in examples(path)]
    setups = [(line, _fill(code, words)) for line, code in setup_blocks(path)]
    if not found:
        return []
    script = [
        "set +e",
        f"curl() {{ command curl --connect-to localhost:8069:127.0.0.1:{port} "
        f"--connect-to 127.0.0.1:8069:127.0.0.1:{port} "
        f"-w '%{{stderr}}{STATUS_MARK} %{{http_code}} %{{method}} %{{url_effective}}"
        '\\n\' "$@"; }',
    ]
    script += [f"{name}={shlex.quote(value)}" for name, value in variables.items()]
    for n, (line, code, _expected) in enumerate(found):
        while setups and setups[0][0] < line:
            script.append(setups.pop(0)[1])
        script.append(f"printf '\\n{BLOCK_MARK} {n}\\n'; echo '{BLOCK_MARK} {n}' >&2")
        script.append(code)
    done = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        capture_output=True,
        text=True,
        cwd=workdir,
        timeout=600,
        check=False,
    )
    outs = re.split(rf"^{BLOCK_MARK} \d+\n", done.stdout, flags=re.M)[1:]
    errs = re.split(rf"^{BLOCK_MARK} \d+\n", done.stderr, flags=re.M)[1:]
    results = []
    for n, (line, _code, expected_block) in enumerate(found):
        stdout = outs[n] if n < len(outs) else ""
        stderr = errs[n] if n < len(errs) else ""
        calls = [
            err.split(" ", 3)[1:]
            for err in stderr.splitlines()
            if err.startswith(STATUS_MARK)
        ]
        noise = [e for e in stderr.splitlines() if not e.startswith(STATUS_MARK)]
        where = f"{path.relative_to(REPO)}:{line}"
        results.append((*check(where, expected_block, calls, stdout, noise), stdout))
    return results


def check(where, expected_block, calls, stdout, noise):
    exp_status, exp_headers, exp_body = parse_expected(expected_block)
    problems = []
    if not calls:
        return where, "-", "-", "-", ["no curl call ran", *noise[-3:]]
    for status, method, url in calls[:-1]:
        if not 200 <= int(status) < 400:
            problems.append(f"earlier call {method} {url} answered {status}")
    status, method, url = calls[-1]
    status = int(status)
    if exp_status is not None:
        ok = status == exp_status
        shown = str(exp_status)
    else:
        ok = 200 <= status < 300
        shown = "2xx"
    if not ok:
        problems.append(f"status {status}, readme {shown}")
    headers, body = split_answer(stdout)
    if exp_headers and headers:
        missing = [h for h in exp_headers if h not in headers]
        if missing:
            problems.append(f"headers missing: {', '.join(missing)}")
    if exp_body is not None and ok:
        if body is None:
            problems.append("the readme shows JSON, the answer is not JSON")
        else:
            problems += compare(exp_body, body)
    if problems and noise:
        problems += noise[-3:]
    return where, f"{method} {url}", status, shown, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print the answers")
    args = parser.parse_args()
    creds = json.loads(run_demo.CREDENTIALS.read_text())
    variables = example_variables(creds)
    files = readme_files()
    cleaned = cleanup_registrants(files)
    if cleaned:
        print(f"reset: registrants with IDs {', '.join(sorted(cleaned))} deleted")
    failures = total = 0
    with tempfile.TemporaryDirectory(prefix="readme-examples-") as workdir:
        for path in files:
            for where, call, status, shown, problems, stdout in run_file(
                path, variables, run_demo.PORT, workdir, placeholders(creds)
            ):
                total += 1
                verdict = "OK" if not problems else "FAIL"
                failures += bool(problems)
                print(f"{verdict:4} {where:48} {call}  -> {status} (readme {shown})")
                for problem in problems:
                    print(f"       {problem}")
                if args.verbose:
                    print(
                        "       | " + stdout.strip()[:2000].replace("\n", "\n       | ")
                    )
    print(f"{total} examples, {total - failures} OK, {failures} failed")
    return 1 if failures or not total else 0


if __name__ == "__main__":
    sys.exit(main())
