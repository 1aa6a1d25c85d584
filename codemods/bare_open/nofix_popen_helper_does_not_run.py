# a helper that would close the pipes and wait, but does not run where it is called: a generator (calling it runs
# nothing), an `async def` not awaited, or a module function shadowed by a local one that only reads the process;
# reported without a fix
import subprocess
import sys


def finish_gen(p):
    p.stdin.close()
    p.stdout.close()
    p.wait()
    yield p.returncode


async def finish_async(p):
    p.stdin.close()
    p.stdout.close()
    p.wait()


def finish(p):
    p.stdin.close()
    p.wait()


def run_gen():
    p = subprocess.Popen([sys.executable, "-c", "pass"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    finish_gen(p)


def run_async():
    p = subprocess.Popen([sys.executable, "-c", "pass"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    finish_async(p)


def run_shadowed():
    def finish(p):
        return p.pid

    p = subprocess.Popen([sys.executable, "-c", "pass"], stdin=subprocess.PIPE)
    finish(p)
