-- PATCH a random loaded assistant: a new name and one more metadata key, i.e. a new version.
local n = 0
function request()
  n = n + 1
  local body = string.format('{"name":"patched assistant %d","metadata":{"rev":%d}}', n, n)
  return wrk.format("PATCH", prefix .. "/assistants/" .. random_id(), json_headers, body)
end
