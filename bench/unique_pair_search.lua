-- A two-character Chinese search no one has asked before on every request: two characters are
-- a whole word in Chinese, and a trigram index cannot serve them.
local counter = 0

-- One CJK character (U+4E00 onwards) as percent-encoded UTF-8.
local function character(code)
  local b1 = 0xE0 + math.floor(code / 4096)
  local b2 = 0x80 + math.floor(code / 64) % 64
  local b3 = 0x80 + code % 64
  return string.format("%%%02X%%%02X%%%02X", b1, b2, b3)
end

request = function()
  counter = counter + 1
  local first = 0x4E00 + math.floor(counter / 2000) % 2000
  local second = 0x4E00 + counter % 2000
  return wrk.format("GET", wrk.path .. "?q=" .. character(first) .. character(second))
end
