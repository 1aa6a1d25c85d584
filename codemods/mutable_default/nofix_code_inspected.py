# a function whose code is disassembled (a bytecode fixture in a test) keeps its signature: reported only
import dis


def tricky(a, e=[]):
    yield a, e


def test_code_info():
    return dis.code_info(tricky)


def inner_code(g=[]):
    g.append(1)
    return g


CO = inner_code.__code__.co_consts
