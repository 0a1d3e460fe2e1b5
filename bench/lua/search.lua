-- Search with a metadata filter that matches 1 % of the loaded store (one team of 1000), first 10.
function request()
  local body = string.format('{"metadata":{"team":"team-%d"},"limit":10}', math.random(0, 999))
  return wrk.format("POST", prefix .. "/assistants/search", json_headers, body)
end
