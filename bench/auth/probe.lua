-- A light /healthz probe: each connection waits 2 ms between requests, so the probe measures
-- the loop's responsiveness instead of competing with the server for the CPU.
request = function()
  return wrk.format("GET", "/healthz")
end

delay = function()
  return 2
end
