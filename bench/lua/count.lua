-- Count the assistants matching a metadata filter that matches 1 % of the loaded store.
function request()
  local body = string.format('{"metadata":{"team":"team-%d"}}', math.random(0, 999))
  return wrk.format("POST", prefix .. "/assistants/count", json_headers, body)
end
