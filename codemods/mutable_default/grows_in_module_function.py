# a default grown by a function of the module it is handed to leaks like a direct append: safe fix
def _push(stack, item):
    stack.append(item)


def visit(node, stack=[]):
    _push(stack, node)
    return len(stack)
