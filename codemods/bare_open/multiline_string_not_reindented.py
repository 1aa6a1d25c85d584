# a triple-quoted string inside the block keeps its contents byte for byte
def write_report(path, name):
    out = open(path, "w")
    out.write("""Report
  for: %s
end
""" % name)
    out.close()
