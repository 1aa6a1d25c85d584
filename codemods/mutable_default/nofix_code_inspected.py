# a function whose code is disassembled and which is also called keeps its signature: reported only
import dis


def tricky(a, e=[]):
    e.append(a)
    return e


def test_code_info():
    tricky(1)
    return dis.code_info(tricky)
