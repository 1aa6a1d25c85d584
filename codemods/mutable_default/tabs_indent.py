# tab-indented code gets tab-indented guards
class Box:
	def put(self, item, items=[]):
		items.append(item)
		return items


def ident(x={}): return x
