-- exit: 1
-- An uncaught error("boom"): lua.c reports "lua: <script>:<line>: boom" and a traceback on stderr
-- and exits with status 1. The error unwinds through nested calls and a pcall-free path (Lua's
-- longjmp). Output written before it must still come out.
io.write("before the error\n")
local function inner(n)
  if n == 0 then error("boom") end
  return inner(n - 1) + 1
end
local function outer() return inner(3) end
print(pcall(outer))
outer()
print("not reached")
