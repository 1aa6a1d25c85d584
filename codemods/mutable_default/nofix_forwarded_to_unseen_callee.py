# a grown default also passed as it is to a callee pyfix cannot see, where `env=None` may mean "inherit": no fix
from twisted.internet import reactor


def spawn(proto, cmd, env={}):
    env.setdefault("LANG", "C")
    return reactor.spawnProcess(proto, cmd, env=env)
