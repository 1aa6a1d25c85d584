# a script opening a file at module level
import sys

log = open("/tmp/pyfix-demo.log", "a")
log.write("started\n")
log.write(" ".join(sys.argv) + "\n")
log.close()
print("done")
