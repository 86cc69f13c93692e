-- A search no one has asked before on every request: what a crawler or a curious crowd costs,
-- with nothing for the page cache to answer from.
local counter = 0

request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "?q=%E7%94%9F%E5%A2%83" .. counter)
end
