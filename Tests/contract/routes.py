"""Every route the server registers (`router.add(...)` in Sources/PaceApp) is an operation of
openapi.yaml with the same method and path, and the other way round. Templates name their
parameters freely, so paths are compared with parameters blanked."""
import pathlib
import re
import sys

import yaml

root = pathlib.Path(__file__).resolve().parents[2]
ADD = re.compile(r'router\.add\(\.(\w+),\s*(?:"([^"]+)"|(\w+))')


def shape(path):
    return re.sub(r"\{[^}]+\}", "{}", path)


def code_routes():
    routes = set()
    for source in (root / "Sources" / "PaceApp").rglob("*.swift"):
        text = source.read_text()
        for match in ADD.finditer(text):
            method, literal, variable = match.groups()
            if literal:
                paths = [literal]
            else:
                before = text[:match.start()]
                loops = re.findall(rf'for {variable} in \[([^\]]+)\]', before)
                lets = re.findall(rf'let {variable} = "([^"]+)"', before)
                paths = re.findall(r'"([^"]+)"', loops[-1]) if loops else lets[-1:]
            if not paths:
                sys.exit(f"{source}: cannot tell the path of {match.group(0)}")
            routes |= {(method.upper(), shape(path)) for path in paths}
    return routes


def spec_routes():
    spec = yaml.safe_load((root / "openapi.yaml").read_text())
    return {(method.upper(), shape(path)) for path, item in spec["paths"].items()
            for method in item if method != "parameters"}


code, spec = code_routes(), spec_routes()
problems = [f"undocumented route: {m} {p}" for m, p in sorted(code - spec)]
problems += [f"documented but not routed: {m} {p}" for m, p in sorted(spec - code)]
if problems:
    sys.exit("\n".join(problems))
print(f"openapi.yaml documents all {len(code)} routes of the router")
