-- Create an assistant like the loaded ones (bench/loader.py's make_assistant); server-chosen id.
local n = 0
function request()
  n = n + 1
  local prompt = string.format("You are support assistant number %d. Answer briefly and politely.", n)
  local body = string.format(
    '{"graph_id":"agent","name":"created assistant %d","description":"An assistant created by the benchmark",' ..
    '"config":{"tags":["bench"],"recursion_limit":25},' ..
    '"context":{"model":"gpt-4o-mini","system_prompt":"%s"},' ..
    '"metadata":{"team":"team-%d","env":"prod","seq":%d}}',
    n, prompt, n % 1000, n)
  return wrk.format("POST", prefix .. "/assistants", json_headers, body)
end
