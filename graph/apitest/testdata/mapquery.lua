-- wrk script: POSTs the community portal's map query (first: 100) to the
-- Hub, signed in when HUB_TOKEN holds a session token, and counts answers
-- that are not a 200 without GraphQL errors. HUB_NO_TOTAL=1 leaves out
-- totalCount (which counts every partnership). See bench_test.go.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("HUB_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
wrk.body = [[{"query":"query Map($first: Int) { partnerships(first: $first) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status startDate ukrainianMunicipality { id name latitude longitude region { name } country { code name } } europeanMunicipality { id name latitude longitude region { name } country { code name } } phase { name } } } } }","variables":{"first":100}}]]
if os.getenv("HUB_NO_TOTAL") == "1" then
  wrk.body = string.gsub(wrk.body, "totalCount ", "")
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  failed = 0
end

function response(status, headers, body)
  if status ~= 200 or string.sub(body, 1, 9) == '{"errors"' then
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local failures = 0
  for _, thread in ipairs(threads) do
    failures = failures + thread:get("failed")
  end
  io.write(string.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, %d requests, %d failed\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    summary.requests, failures))
end
