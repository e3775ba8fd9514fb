#!/usr/bin/env bash
# Checks the shipped Prometheus alerting rules: `promtool check rules` (syntax, templates) and `promtool test rules`
# (each rule fires when it should and stays quiet when it should not, on the series in crossdock-alerts.test.yml).
# promtool comes with Debian's `prometheus` package. Usage: bash scripts/alert-rules.sh
set -euo pipefail
cd "$(dirname "$0")/../ops/prometheus"
promtool check rules crossdock-alerts.yml
promtool test rules crossdock-alerts.test.yml
