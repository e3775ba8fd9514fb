"""Schemathesis hooks for scripts/schemathesis.sh: a check that every problem+json the hub answers with carries a
`code` the OpenAPI document lists in `x-problem-types`, and a serializer for the raw partner formats (X12, CSV)."""
import schemathesis

_codes = None


def _documented(case):
    global _codes
    if _codes is None:
        raw = case.operation.schema.raw_schema
        _codes = set((raw.get("x-problem-types") or {}).keys())
    return _codes


@schemathesis.check
def problem_code_documented(ctx, response, case):
    if not response.headers.get("content-type", [""])[0].startswith("application/problem+json"):
        return None
    code = response.json().get("code", "")
    if code not in _documented(case):
        raise AssertionError(f"problem code {code!r} is not listed in x-problem-types")
    return None


@schemathesis.serializer("application/edi-x12", "text/csv")
def raw_text(ctx, value):
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")
