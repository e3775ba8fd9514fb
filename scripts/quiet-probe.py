#!/usr/bin/env python3
"""Times each order one partner places over one keep-alive connection, without correcting for coordinated omission
(unlike wrk): prints p50, p99 and the maximum, then the slowest requests with the hub's Server-Timing.

Usage: scripts/quiet-probe.py HOST PORT KEY SECONDS [CHANNEL]
Places orders over the BENCH- master data that `crossdock bench --url … --key …` seeds; CHANNEL (default "quiet")
must be the key's partner when the key is bound to one. scripts/rate-limit-fairness.sh runs the same partner with wrk.
"""
import http.client
import json
import sys
import time

host, port, key, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
channel = sys.argv[5] if len(sys.argv) > 5 else "quiet"
connection = http.client.HTTPConnection(host, port)
results = []
start = time.time()
n = 0
while time.time() - start < seconds:
    n += 1
    external = f"probe-{int(start)}-{n}"
    body = json.dumps({
        "channel": channel, "externalId": external, "customerId": f"BENCH-CUST-{n % 20 + 1:03d}", "currency": "USD",
        "lines": [{"lineNo": 1, "sku": f"BENCH-SKU-{n % 23 + 1:04d}", "quantity": 2},
                  {"lineNo": 2, "sku": f"BENCH-SKU-{n % 23 + 25:04d}", "quantity": 1}],
    })
    sent = time.time()
    connection.request("POST", "/v1/orders", body, {
        "Content-Type": "application/json", "Authorization": "Bearer " + key, "Idempotency-Key": external,
    })
    response = connection.getresponse()
    response.read()
    results.append((sent - start, time.time() - sent, response.status, response.getheader("Server-Timing")))
latencies = sorted(r[1] for r in results)
print("%d requests (%d not 201): p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (
    len(results), sum(1 for r in results if r[2] != 201),
    latencies[len(latencies) // 2] * 1000, latencies[int(len(latencies) * 0.99)] * 1000, latencies[-1] * 1000))
for at, latency, status, timing in sorted(results, key=lambda r: -r[1])[:5]:
    print("  at %.3f s: %.1f ms, %d, Server-Timing %s" % (at, latency * 1000, status, timing))
