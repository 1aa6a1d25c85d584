# a tab-indented file: the block is indented with a tab
def read(path):
	f = open(path)
	for line in f:
		print(line)
	f.close()
