-- GET one loaded assistant by id, chosen at random.
function request()
  return wrk.format("GET", prefix .. "/assistants/" .. random_id())
end
