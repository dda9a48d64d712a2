"""The steps a runner script runs (``run_bench.py``'s measurements,
``run_hardening.py``'s checks), chosen on its command line: ``--skip`` and
``--only``, each a comma-separated list of step names."""


def add_step_options(parser, steps):
    """``--skip`` and ``--only`` on ``parser``, for the names ``steps``."""
    names = ", ".join(steps)
    parser.add_argument("--skip", default="", help=f"comma-separated steps: {names}")
    parser.add_argument(
        "--only", default="", help="comma-separated steps to run (default all)"
    )


def skipped_steps(parser, args, steps):
    """The steps not to run: those ``--skip`` names, or all but ``--only``'s;
    an unknown name is ``parser``'s error."""
    skip, only = _names(args.skip), _names(args.only)
    for option, names in (("skip", skip), ("only", only)):
        unknown = names - set(steps)
        if unknown:
            parser.error(f"--{option}: unknown steps {', '.join(sorted(unknown))}")
    if args.only:
        skip |= set(steps) - only
    return skip


def _names(value):
    return {name for name in value.split(",") if name}
