#!/usr/bin/env python3
"""The CI gate's SARIF output validates against the SARIF 2.1.0 JSON schema, for every
example, for a project that fails validation, and for one that is not JSON at all; and its
JUnit XML is well-formed. Usage: check_sarif.py CLI SCHEMA PROJECT..."""
import json
import os
import subprocess
import sys
import tempfile
import xml.dom.minidom

try:
    import jsonschema
except ImportError:
    print("python3 jsonschema is absent: skipped")
    sys.exit(0)

cli, schema_path, projects = sys.argv[1], sys.argv[2], sys.argv[3:]
schema = json.load(open(schema_path))
validator = jsonschema.Draft7Validator(schema)

with tempfile.TemporaryDirectory() as tmp:
    invalid = os.path.join(tmp, "invalid.thornwood.json")
    with open(projects[0]) as f:
        doc = json.load(f)
    doc["system"]["flows"][0]["target"] = "ghost"
    json.dump(doc, open(invalid, "w"), indent=2)
    broken = os.path.join(tmp, "broken.thornwood.json")
    open(broken, "w").write('{"format": "thornwood",\n "format_version": 1,\n "project": ')
    failures = 0
    for project in projects + [invalid, broken]:
        sarif = subprocess.run([cli, "check", project, "--format", "sarif"], capture_output=True, text=True)
        if sarif.returncode not in (0, 1):
            print(f"{project}: check exited {sarif.returncode}: {sarif.stderr}")
            failures += 1
            continue
        errors = sorted(validator.iter_errors(json.loads(sarif.stdout)), key=str)
        for e in errors:
            print(f"{project}: SARIF: {'/'.join(map(str, e.absolute_path))}: {e.message}")
        failures += len(errors)
        results = json.loads(sarif.stdout)["runs"][0]["results"]
        if project in (invalid, broken) and not results:
            print(f"{project}: a model that does not load must give findings")
            failures += 1
        junit = subprocess.run([cli, "check", project, "--format", "junit"], capture_output=True, text=True)
        try:
            xml.dom.minidom.parseString(junit.stdout)
        except Exception as e:  # noqa: BLE001 - any parse error is the finding
            print(f"{project}: JUnit XML is not well-formed: {e}")
            failures += 1
        print(f"{os.path.basename(project)}: exit {sarif.returncode}, {len(results)} SARIF results, valid")
    sys.exit(1 if failures else 0)
