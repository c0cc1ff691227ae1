-- exit: 1
-- An uncaught error whose value is a table with a __tostring metamethod: lua.c prints that string.
io.stdout:setvbuf("full")
io.write("buffered output is flushed at exit\n")
error(setmetatable({ code = 7 }, { __tostring = function(e) return "custom error object, code " .. e.code end }))
