"""Every registered rule has a failing case (``expect``) and a passing case (``refute``) somewhere in tests/.

A new rule without tests fails here. The rule id must be written literally: as the rule argument of
``expect``/``refute``, or in the ``parametrize`` table of a test that passes its rule through to them.
"""

from __future__ import annotations

import ast
from pathlib import Path

from patientvoice.rules import all_rules

TESTS = Path(__file__).parent


def _rule_arg(call: ast.Call):
    if len(call.args) >= 2:
        return call.args[1]
    return next((k.value for k in call.keywords if k.arg == "rule"), None)


def _strings(node) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def asserted_rules() -> dict[str, set[str]]:
    """{'expect': rule ids, 'refute': rule ids} written in the test files."""
    found: dict[str, set[str]] = {"expect": set(), "refute": set()}
    for path in sorted(TESTS.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {t.id: a.value for a in tree.body if isinstance(a, ast.Assign)
                     for t in a.targets if isinstance(t, ast.Name)}

        def strings(node) -> set[str]:
            # Strings in the node, and in the module-level tables it names (e.g. a CASES list).
            named = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in constants}
            return _strings(node).union(*(_strings(constants[n]) for n in named))

        for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            params = set().union(*(strings(d) for d in fn.decorator_list
                                   if isinstance(d, ast.Call) and "parametrize" in ast.unparse(d.func)))
            loops = {}
            for loop in (n for n in ast.walk(fn) if isinstance(n, ast.For) and isinstance(n.target, ast.Name)):
                loops.setdefault(loop.target.id, set()).update(strings(loop.iter))
            for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)):
                if call.func.id not in found:
                    continue
                arg = _rule_arg(call)
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found[call.func.id].add(arg.value)
                elif isinstance(arg, ast.Name):
                    # The rule comes from a `for rule in (...)` loop or from the test's parametrize table.
                    found[call.func.id] |= loops.get(arg.id, params)
    return found


def test_every_rule_has_a_failing_case():
    ids = {r.id for r in all_rules()}
    missing = sorted(ids - asserted_rules()["expect"])
    assert not missing, f"rules with no failing case (expect(problems, rule, path, line)): {missing}"


def test_every_rule_has_a_passing_case():
    ids = {r.id for r in all_rules()}
    missing = sorted(ids - asserted_rules()["refute"])
    assert not missing, f"rules with no passing case (refute(problems, rule)): {missing}"


def test_tests_name_only_registered_rules():
    ids = {r.id for r in all_rules()}
    found = asserted_rules()
    literal = {s for s in found["expect"] | found["refute"] if s.count(".") == 1 and " " not in s
               and s.split(".")[0] in {r.family for r in all_rules()}}
    assert literal <= ids, f"tests assert rules that do not exist: {sorted(literal - ids)}"
