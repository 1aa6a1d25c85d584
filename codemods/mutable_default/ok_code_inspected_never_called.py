# a function only disassembled, never called (a bytecode specimen): its default never runs as state
import dis


def tricky(a, e=[]):
    yield a, e


def test_code_info():
    return dis.code_info(tricky)


def inner_code(g=[]):
    g.append(1)
    return g


CO = inner_code.__code__.co_consts
