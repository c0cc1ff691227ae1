-- exit: 3
-- os.exit with a status code, with a file still open and output still buffered: both are
-- flushed and closed on the way out (os.exit(code, true) closes the state first).
local f = assert(io.open("exit-file.txt", "w"))
f:write("written before os.exit\n")
io.stdout:setvbuf("full")
io.write("stdout before os.exit\n")
io.stderr:write("stderr before os.exit\n")
os.exit(3, true)
