-- wrk script: POST /v1/orders with a unique external id and Idempotency-Key per request, over the
-- BENCH- master data that `crossdock bench --url … --key …` seeds. The key comes from CROSSDOCK_KEY; the channel
-- from CROSSDOCK_CHANNEL (default "wrk"; a partner-bound key's orders must name its partner).
local key = os.getenv("CROSSDOCK_KEY")
local channel = os.getenv("CROSSDOCK_CHANNEL") or "wrk"
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  prefix = os.time() .. "-" .. tid
  non201 = 0
end

function request()
  counter = counter + 1
  local id = prefix .. "-" .. counter
  local customer = string.format("BENCH-CUST-%03d", (counter % 20) + 1)
  local sku1 = string.format("BENCH-SKU-%04d", (counter % 23) + 1)
  local sku2 = string.format("BENCH-SKU-%04d", (counter % 23) + 25)
  local body = '{"channel":"' .. channel .. '","externalId":"' .. id .. '","customerId":"' .. customer ..
    '","currency":"USD","lines":[{"lineNo":1,"sku":"' .. sku1 .. '","quantity":2},{"lineNo":2,"sku":"' ..
    sku2 .. '","quantity":1}]}'
  return wrk.format("POST", "/v1/orders",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key, ["Idempotency-Key"] = id}, body)
end

function response(status, headers, body)
  if status ~= 201 then non201 = non201 + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("non201") end
  io.write(string.format("non-201 responses: %d\n", total))
end
