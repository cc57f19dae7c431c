#!/usr/bin/python3
"""Lints the Python a sandbox runs before the program (src/sandbox/inside/python).

The files are concatenated as the build does (python_startup.cc): receive.py
before site_hook.py (the sitecustomize hook) and before fallback_main.py (the
`-c` bootstrap); pyc_compiler.py stands alone. Each whole is compiled and
checked by pyflakes (undefined or unused names, redefinitions, syntax); any
warning fails. Exit status 0 when all are clean.
"""
import pathlib
import sys

from pyflakes import api, reporter

SOURCES = pathlib.Path(__file__).resolve().parents[2] / "src" / "sandbox" / "inside" / "python"
WHOLES = {
    "sitecustomize (receive.py + site_hook.py)": ["receive.py", "site_hook.py"],
    "fallback bootstrap (receive.py + fallback_main.py)": ["receive.py", "fallback_main.py"],
    "pyc compiler (pyc_compiler.py)": ["pyc_compiler.py"],
}


def main() -> int:
    problems = 0
    for whole, parts in WHOLES.items():
        text = "".join((SOURCES / p).read_text(encoding="utf-8") for p in parts)
        compile(text, whole, "exec")  # a SyntaxError fails loudly
        found = api.check(text, whole, reporter.Reporter(sys.stdout, sys.stderr))
        print(f"{whole}: {found} warning(s)")
        problems += found
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
