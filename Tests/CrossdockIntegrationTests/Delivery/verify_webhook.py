#!/usr/bin/env python3
"""Verifies a Standard Webhooks signature, written from the spec (https://www.standardwebhooks.com/) with
Python's hmac, independently of the hub's Swift implementation.

usage: verify_webhook.py SECRET WEBHOOK_ID TIMESTAMP SIGNATURE_HEADER BODY_FILE
exits 0 when one of the space-separated v1 signatures matches HMAC-SHA256(base64decode(secret without
"whsec_"), "{id}.{timestamp}.{body}"), 1 otherwise.
"""
import base64
import hashlib
import hmac
import sys


def main() -> int:
    secret, webhook_id, timestamp, header, body_file = sys.argv[1:6]
    key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
    with open(body_file, "rb") as f:
        body = f.read()
    signed = webhook_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for candidate in header.split(" "):
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
