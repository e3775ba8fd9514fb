"""Validates events' `data` against the hub's published JSON Schemas with the `jsonschema` package (draft 2020-12).

Usage: python validate_events.py INPUT.json

INPUT holds {"schemas": {type: schema}, "events": [{"type": ..., "id": ..., "data": ...}]}. Each schema is checked
twice: as published (what receivers use), and strictly, with every object schema that lists properties closed
(`unevaluatedProperties: false`), so a member the hub emits but the schema does not document is found.

Prints one JSON line: {"checked": N, "errors": [{"id", "type", "path", "message"}], "unknownTypes": [...]}.
Exit 0 when the harness ran (whatever the verdict), non-zero when it could not.
"""
import copy
import importlib.metadata
import json
import sys

from jsonschema import Draft202012Validator


def closed(schema):
    """A copy of `schema` in which every object schema with `properties` refuses members it does not list."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if "properties" in node and "additionalProperties" not in node and "unevaluatedProperties" not in node:
                node["unevaluatedProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        document = json.load(handle)
    validators = {}
    for event_type, schema in document["schemas"].items():
        Draft202012Validator.check_schema(schema)
        validators[event_type] = (
            Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER),
            Draft202012Validator(closed(schema), format_checker=Draft202012Validator.FORMAT_CHECKER),
        )
    errors = []
    unknown = set()
    checked = 0
    for event in document["events"]:
        pair = validators.get(event["type"])
        if pair is None:
            unknown.add(event["type"])
            continue
        checked += 1
        seen = set()
        for mode, validator in zip(("published", "strict"), pair):
            for error in validator.iter_errors(event["data"]):
                path = "/".join(str(p) for p in error.absolute_path)
                key = (path, error.message)
                if key in seen:
                    continue
                seen.add(key)
                errors.append({"id": event["id"], "type": event["type"], "mode": mode, "path": path, "message": error.message[:300]})
    print(json.dumps({"checked": checked, "errors": errors, "unknownTypes": sorted(unknown), "jsonschema": importlib.metadata.version("jsonschema")}))


if __name__ == "__main__":
    main()
