"""Checks project files against resources/schema/thornwood-project.schema.json, and that
the schema refuses what Thornwood's reader refuses (a few mutations of a valid file).

usage: check_schema.py SCHEMA FILE...   (exit 0 all as expected, 1 otherwise)"""
import copy
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is absent: skipped (scripts/setup.sh installs it)")
    sys.exit(0)

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failed = 0
for path in sys.argv[2:]:
    doc = json.load(open(path))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors:
        print(f"{path}:/{'/'.join(map(str, e.absolute_path))}: {e.message}")
    failed += bool(errors)
    print(f"{path}: {'invalid' if errors else 'valid'}")

# Each mutation must be refused by the schema, as the C++ reader refuses it.
base = json.load(open(sys.argv[2]))
mutations = {
    "unknown key": lambda d: d["system"]["components"][0].update(colour="red"),
    "unknown kind": lambda d: d["system"]["components"][0].update(kind="toaster"),
    "probability above 1": lambda d: d["fault_trees"][0]["events"][0].update(probability=1.5),
    "negative cost": lambda d: d["mitigations"][0].update(cost=-1),
    "string for a flag": lambda d: d["system"]["flows"][0].update(encrypted="yes"),
    "newer version": lambda d: d.update(format_version=2),
    "event with rate and probability": lambda d: d["fault_trees"][0]["events"][0].update(rate=1e-6),
    "bad CWE id": lambda d: d["threats"][0].update(cwe=["287"]),
}
for name, mutate in mutations.items():
    doc = copy.deepcopy(base)
    mutate(doc)
    if validator.is_valid(doc):
        print(f"schema accepts a file with {name}")
        failed += 1
sys.exit(1 if failed else 0)
