#!/usr/bin/env bash
# SQL only through parameters or COPY: fails when a query string handed to
# PostgreSQL is assembled at run time instead of written in the source.
#
#   tools/check_sql.sh [DIR...]      (default: services lib)
#
# Every call that hands SQL text to libpq must pass string literals
# (adjacent literals and UPPER_CASE macros that expand to literals are
# fine, as is `condition ? "A" : "B"`); values travel as parameters of
# prepared statements or through COPY. A function that passes on SQL it
# was given as a parameter (ow_db_exec, a COPY helper, a lookup) is found
# by itself and becomes checked in turn: its callers must pass literals.
# ow_db's own functions keep SQL to run later, so they are named here; the
# two files that run SQL they did not get from a caller are listed below
# with the reason.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ $# -gt 0 ] || set -- services lib

python3 - "$@" <<'PYTHON'
import os, re, sys

# libpq's functions that take SQL text: the index of that argument.
LIBPQ = {
    "PQexec": 1, "PQexecParams": 1, "PQprepare": 2, "PQsendQuery": 1,
    "PQsendQueryParams": 1, "PQsendPrepare": 2,
}
ALLOWED = {
    "lib/common/ow_db.c": "runs statements its callers registered, and the SQL run on connect",
    "lib/common/ow_migrate.c": "runs the migration files in data/, and table names fixed in code",
}
LITERAL = r'"(?:[^"\\\n]|\\.)*"'

def strip_comments(text):
    out, i, n = [], 0, len(text)
    quoted = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'")
    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            end = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, end))
            i = end
        elif text[i] in "\"'":
            m = quoted.match(text, i)
            j = m.end() if m else i + 1
            out.append(text[i:j]); i = j
        else:
            out.append(text[i]); i += 1
    return "".join(out)

def arguments(text, start):
    """The arguments of the bracket opening at start."""
    depth, args, current, i = 0, [], [], start
    while i < len(text):
        c = text[i]
        if c == '"':
            m = re.compile(LITERAL).match(text, i)
            j = m.end() if m else i + 1
            current.append(text[i:j]); i = j; continue
        if c == "(":
            depth += 1
            if depth == 1:
                i += 1; continue
        elif c == ")":
            depth -= 1
            if depth == 0:
                args.append("".join(current).strip()); return args
        elif c == "," and depth == 1:
            args.append("".join(current).strip()); current = []; i += 1; continue
        current.append(c); i += 1
    return args

def fixed(argument):
    """True when the argument can only be text written in the source."""
    if re.fullmatch(r"[^?\"]*\?\s*(" + LITERAL + r")\s*:\s*(" + LITERAL + r")\s*", argument, re.S):
        return True
    rest = re.sub(LITERAL, "", argument)
    if not re.search(LITERAL, argument) and not re.fullmatch(r"[A-Z][A-Z0-9_]*(\s+[A-Z][A-Z0-9_]*)*", rest.strip()):
        return False
    return re.fullmatch(r"[\sA-Z0-9_(),]*", rest) is not None

class Function:
    def __init__(self, path, name, start, params, static):
        self.path, self.name, self.start, self.params, self.static = path, name, start, params, static

def definitions(path, text):
    """Functions defined in the file: the name opens its line (this tree's style)."""
    found = []
    for m in re.finditer(r"^([a-z_][a-z0-9_]*) \(", text, re.M):
        args = arguments(text, m.end() - 1)
        params = [re.findall(r"[A-Za-z_][A-Za-z0-9_]*", a)[-1] if re.findall(r"[A-Za-z_][A-Za-z0-9_]*", a) else "" for a in args]
        previous = text.rfind("\n", 0, m.start() - 1)
        static = text[previous + 1:m.start()].startswith("static")
        found.append(Function(path, m.group(1), m.start(), params, static))
    return found

files = {}
for root in sys.argv[1:]:
    for directory, _, names in os.walk(root):
        for name in sorted(names):
            if name.endswith(".c"):
                path = os.path.normpath(os.path.join(directory, name))
                files[path] = strip_comments(open(path, encoding="utf-8", errors="replace").read())
functions = {path: definitions(path, text) for path, text in files.items()}

# ow_db keeps the SQL it is given to run later (prepared on every
# reconnect, run on every connect), so it is not found by itself.
OW_DB = {"ow_db_exec": 1, "ow_db_statement": 2, "ow_db_on_connect": 1}

# (name, file or None for every file) -> SQL argument index
checked = {(name, None): index for name, index in {**LIBPQ, **OW_DB}.items()}

def enclosing(path, position):
    best = None
    for f in functions[path]:
        if f.start < position:
            best = f
    return best

def calls(path, text):
    names = {name for (name, scope) in checked if scope in (None, path)}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\s*\(")
    for m in pattern.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if m.start() == line_start:
            continue                    # a definition
        index = checked.get((m.group(1), path), checked.get((m.group(1), None)))
        args = arguments(text, m.end() - 1)
        if index < len(args):
            yield m, args[index]

# Wrappers first, until no new one turns up; then what is left is wrong.
changed = True
while changed:
    changed = False
    for path, text in files.items():
        if path in ALLOWED:
            continue
        for m, argument in list(calls(path, text)):
            function = enclosing(path, m.start())
            name = argument.strip()
            if function and name in function.params:
                key = (function.name, path if function.static else None)
                if key not in checked:
                    checked[key] = function.params.index(name)
                    changed = True

problems = 0
for path, text in files.items():
    if path in ALLOWED:
        continue
    for m, argument in calls(path, text):
        function = enclosing(path, m.start())
        if fixed(argument) or (function and argument.strip() in function.params):
            continue
        problems += 1
        line = text.count("\n", 0, m.start()) + 1
        print(f"{path}:{line}: {m.group(1)} is given SQL assembled at run time "
              f"({' '.join(argument.split())[:80]}); pass values as parameters", file=sys.stderr)
if problems:
    print(f"check_sql: {problems} quer{'y' if problems == 1 else 'ies'} assembled at run time", file=sys.stderr)
    sys.exit(1)
wrappers = sorted(name for (name, scope) in checked if name not in LIBPQ and name not in OW_DB)
print(f"check_sql: every query is fixed text (ow_db, and {', '.join(wrappers) or 'no other wrapper'}); "
      "values travel as parameters or COPY")
PYTHON
