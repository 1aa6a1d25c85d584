# a module-level object named as a default and only read or passed on: the sharing is the point, no finding
import helpers

_running = {}


def wait(d, running=_running):
    if d in running:
        raise RuntimeError("re-entered")
    return helpers.run(d, running)
