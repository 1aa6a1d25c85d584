# a function whose code is disassembled (a bytecode fixture in a test) keeps its signature: reported only
import dis


def tricky(a, e=[]):
    yield a, e


def test_code_info():
    return dis.code_info(tricky)
