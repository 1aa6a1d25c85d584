# pyfix trace bootstrap: written by `pyfix trace` into a fresh directory put first on PYTHONPATH, so that every
# Python process of the traced command (subprocesses and multiprocessing children included) imports it at start.
# Standard library only; prints nothing; chains to the `sitecustomize` it shadows. Each process writes one part
# file (JSON) into $PYFIX_TRACE_DIR when it exits; `pyfix trace` merges the parts (schema: README, Runtime evidence).
import os
import sys


def _pyfix_trace_install():
    import atexit
    import gc
    import signal
    import tracemalloc
    import warnings
    import weakref

    # Whether the user traces too (`-X tracemalloc`): if not, warnings are shown as without tracemalloc.
    # Each frame costs on every allocation (deep recursion pays most): `pyfix trace --frames`, default 8.
    frames = int(os.environ.get("PYFIX_TRACE_FRAMES") or 8)
    user_tracing = tracemalloc.is_tracing()
    if not user_tracing:
        tracemalloc.start(frames)
    elif tracemalloc.get_traceback_limit() < frames:
        tracemalloc.stop()
        tracemalloc.start(frames)

    out_dir = os.environ["PYFIX_TRACE_DIR"]
    cwd = os.getcwd()
    try:
        with open(os.environ.get("PYFIX_TRACE_PLAN", ""), encoding="utf-8") as f:
            import json

            plan = json.load(f)
    except (OSError, ValueError):
        plan = {}
    roots = plan.get("roots", [])
    interval = float(os.environ.get("PYFIX_TRACE_INTERVAL") or 0)
    import sysconfig

    stdlib = tuple(
        os.path.join(os.path.realpath(p), "") for p in {sysconfig.get_path("stdlib"), sysconfig.get_path("platstdlib")}
    )

    real_cache = {}

    def real(path):
        # Code filenames are as Python was given them (`app.py`, relative to the start directory) or pseudo
        # files (`<frozen ...>`, `<string>`): only real paths are resolved.
        r = real_cache.get(path)
        if r is None:
            if path.startswith("<"):
                r = path
            else:
                r = os.path.realpath(os.path.join(cwd, path))
            real_cache[path] = r
        return r

    def ours(path):
        return any(path == r or path.startswith(os.path.join(r, "")) for r in roots)

    def file_of(mod):
        # A script's `__main__` loses `__file__` when it ends (before atexit); its loader still knows the path.
        path = getattr(mod, "__file__", None) or getattr(getattr(mod, "__loader__", None), "path", None)
        return real(path) if isinstance(path, str) else None

    def site_of(frames):
        # frames: innermost first. The allocating line in the code being traced, else outside the standard
        # library, else the innermost frame.
        if not frames:
            return None
        for pick in (ours, lambda p: not p.startswith(stdlib) and not p.startswith("<")):
            for fr in frames:
                if pick(fr["path"]):
                    return fr
        return frames[0]

    def frames_of(tb):
        if tb is None:
            return []
        return [{"path": real(f.filename), "line": f.lineno} for f in reversed(list(tb))]

    state = {}

    def fresh(parent):
        # Also a fork child's first act: cheap (the start snapshot is grouped by line only when the part is
        # written), and the state is swapped whole, so a signal arriving meanwhile finds a consistent one.
        new = dict(
            pid=os.getpid(),
            parent=parent,
            started=_now(),
            warnings={},
            cycles={},
            samples=[],
            written=False,
            writing=False,
            term=False,
            start=tracemalloc.take_snapshot(),
        )
        state.clear()
        state.update(new)
        # While this file exists, `pyfix trace` waits (a while) for this process's part after the command exits.
        try:
            open(os.path.join(out_dir, "live-%d" % new["pid"]), "w").close()
        except OSError:
            pass

    skip_files = {__file__, tracemalloc.__file__}

    def top_lines(snapshot=None):
        # By the allocating line; no `filter_traces`, which costs seconds on a large heap: our own lines are left
        # out of the top instead.
        rows = []
        for st in (snapshot or tracemalloc.take_snapshot()).statistics("lineno"):
            fr = st.traceback[0]
            if fr.filename in skip_files:
                continue
            rows.append({"path": real(fr.filename), "line": fr.lineno, "bytes": st.size, "count": st.count})
            if len(rows) == 200:
                break
        return rows

    managed_dict = sys.version_info[:2] == (3, 11)
    pythonapi = []

    def object_frames(obj):
        tb = tracemalloc.get_object_traceback(obj)
        if tb is not None:
            return frames_of(tb)
        # Python 3.11 misses instances of classes with a managed `__dict__`: their memory block starts
        # two pointers before the GC header. Ask tracemalloc's C API for that block.
        if not (managed_dict and type(obj).__flags__ & (1 << 4)):
            return []
        if not pythonapi:
            try:
                import ctypes

                f = ctypes.pythonapi._PyTraceMalloc_GetTraceback
                f.restype = ctypes.py_object
                f.argtypes = [ctypes.c_uint, ctypes.c_size_t]
                gc_head = sys.getsizeof([]) - [].__sizeof__()
                pythonapi.append((f, 2 * ctypes.sizeof(ctypes.c_void_p) + gc_head))
            except Exception:
                pythonapi.append(None)
        if pythonapi[0] is None:
            return []
        f, before = pythonapi[0]
        raw = f(0, id(obj) - before)
        return [{"path": real(name), "line": line} for name, line in raw or ()]

    # --- ResourceWarning: one filter of ours, always first, sees every ResourceWarning; whether it is shown is then
    # decided by the user's own filters, by warning again with ours taken out.
    ALWAYS = ("always", None, ResourceWarning, None, 0)
    import _warnings

    def keep_first():
        filters = warnings.filters
        if filters and filters[0] is ALWAYS:
            return
        ours = [i for i, f in enumerate(filters) if f is ALWAYS]
        if not ours:
            # Code that rebuilds the list (test.support's clear_ignored_deprecations) copies ours as an equal
            # tuple: that copy is ours, or the program would count one filter more than it made.
            ours = [i for i, f in enumerate(filters) if f == ALWAYS][:1]
        for i in reversed(ours):
            del filters[i]
        filters.insert(0, ALWAYS)

    mutated = warnings._filters_mutated

    def filters_mutated():
        keep_first()
        mutated()

    warnings._filters_mutated = filters_mutated
    keep_first()
    mutated()

    import re
    import threading

    ADDRESS = re.compile(r"0x[0-9a-fA-F]+|\bfd=\d+|\bladdr=\S+|\braddr=\S+")
    NAME = re.compile(r"name=('[^']*'|\"[^\"]*\"|\S+)")
    local = threading.local()
    show = warnings._showwarnmsg

    def showwarnmsg(msg):
        if not issubclass(msg.category, ResourceWarning):
            return show(msg)
        if getattr(local, "again", False):
            if user_tracing:
                return show(msg)
            # "Enable tracemalloc to get the object allocation traceback", as the user would have seen.
            saved = tracemalloc.is_tracing, tracemalloc.get_object_traceback
            tracemalloc.is_tracing, tracemalloc.get_object_traceback = (lambda: False), (lambda obj: None)
            try:
                return show(msg)
            finally:
                tracemalloc.is_tracing, tracemalloc.get_object_traceback = saved
        record_warning(msg)
        # Warn again with our filter out: the user's filters decide (ignore, show, once, error) as they would have.
        frame = sys._getframe(1)
        while frame is not None and not (frame.f_code.co_filename == msg.filename and frame.f_lineno == msg.lineno):
            frame = frame.f_back
        registry = module = None
        if frame is not None:
            registry = frame.f_globals.setdefault("__warningregistry__", {})
            module = frame.f_globals.get("__name__")
        filters = warnings.filters
        at = next((i for i, f in enumerate(filters) if f is ALWAYS), None)
        if at is not None:
            del filters[at]
        local.again = True
        try:
            _warnings.warn_explicit(
                msg.message, msg.category, msg.filename, msg.lineno, module, registry, None, msg.source
            )
        finally:
            local.again = False
            if at is not None:
                filters.insert(at, ALWAYS)

    warnings._showwarnmsg = showwarnmsg

    def record_warning(msg):
        try:
            frames = object_frames(msg.source) if msg.source is not None else []
            text = ADDRESS.sub("", str(msg.message)).replace("  ", " ")
            kind = type(msg.source).__name__ if msg.source is not None else None
            site = site_of(frames)
            # One entry per site, not per file name: the message kept is the first one's.
            key = (site and (site["path"], site["line"]), kind, NAME.sub("", text))
            entry = state["warnings"].get(key)
            if entry is None:
                state["warnings"][key] = {"message": text, "type": kind, "site": site, "traceback": frames, "count": 1}
            else:
                entry["count"] += 1
        except Exception:
            pass

    # --- Cycle garbage: at the start of a collection, weak references (with a counting callback) to the instances of
    # the traced code's classes in the generations collected; a callback that fires before the collection stops
    # means the object died in it. Finalizers run when they would have: weak references do not delay them.
    # (Keeping each reference and site for the instance's life instead measured slower on test_json: a callback
    # at every death.)
    class Ref(weakref.ref):
        __slots__ = ("key", "size")

    watching = []
    class_cache = {}

    bases_of = {}

    def traced_class(cls):
        hit = class_cache.get(cls)
        if hit is None:
            hit = False
            if cls.__weakrefoffset__ and cls.__flags__ & (1 << 9):  # Py_TPFLAGS_HEAPTYPE: a class of Python code
                path = file_of(sys.modules.get(getattr(cls, "__module__", None)))
                if path and ours(path):
                    hit = (cls.__qualname__, cls.__module__, path)
                    # A finding names the class that holds the link, often a base of the instances' class
                    # (minidom's `Node` for `Element` and `Text`).
                    bases_of[hit] = [k.__name__ for k in cls.__mro__[1:] if k is not object]
            class_cache[cls] = hit
        return hit

    def died(ref):
        cycles = state["cycles"]
        hit = cycles.get(ref.key)
        if hit is None:
            cycles[ref.key] = [1, ref.size]
        else:
            hit[0] += 1
            hit[1] += ref.size

    def on_gc(phase, info):
        if phase != "start":
            watching.clear()
            return
        try:
            for gen in range(info["generation"] + 1):
                for obj in gc.get_objects(generation=gen):
                    hit = traced_class(type(obj))
                    if not hit:
                        continue
                    site = site_of(object_frames(obj))
                    ref = Ref(obj, died)
                    ref.key = hit + ((site["path"], site["line"]) if site else None,)
                    # A managed `__dict__` (3.11+) is not asked for: asking would build a dict object.
                    d = None if type(obj).__flags__ & (1 << 4) else getattr(obj, "__dict__", None)
                    ref.size = sys.getsizeof(obj) + (sys.getsizeof(d) if isinstance(d, dict) else 0)
                    watching.append(ref)
        except Exception:
            watching.clear()

    gc.callbacks.append(on_gc)

    # --- The targets: pyfix's own findings in the code being traced, measured at exit.
    def deep_size(obj, depth=3, seen=None, budget=None):
        seen = set() if seen is None else seen
        budget = [200_000] if budget is None else budget
        if id(obj) in seen or budget[0] <= 0:
            return 0
        seen.add(id(obj))
        budget[0] -= 1
        try:
            size = sys.getsizeof(obj)
        except Exception:
            return 0
        if depth > 0:
            if isinstance(obj, dict):
                for k, v in list(obj.items()):
                    size += deep_size(k, depth - 1, seen, budget) + deep_size(v, depth - 1, seen, budget)
            elif isinstance(obj, (list, tuple, set, frozenset)):
                for v in list(obj):
                    size += deep_size(v, depth - 1, seen, budget)
        return size

    def modules_by_path():
        out = {}
        for mod in list(sys.modules.values()):
            path = file_of(mod)
            if path:
                out.setdefault(path, mod)
        return out

    # Every file whose module code ran, also modules the program unloaded before exit (regrtest drops each test
    # module after running it): the import system runs a module's code with `exec`, which raises an audit event.
    executed = set()

    def on_audit(event, args):
        if event == "exec" and args:
            name = getattr(args[0], "co_filename", None)
            if isinstance(name, str) and name.endswith(".py"):
                executed.add(name)

    sys.addaudithook(on_audit)

    def lookup(mod, qualname):
        obj = mod
        for part in qualname.split("."):
            if part == "<locals>":
                return None
            d = getattr(obj, "__dict__", None)
            obj = d.get(part) if isinstance(d, dict) and part in d else getattr(obj, part, None)
            if isinstance(obj, (classmethod, staticmethod)):
                obj = obj.__func__
            if obj is None:
                return None
        return obj

    def default_of(func, param):
        func = getattr(func, "__func__", func)
        while not hasattr(func, "__code__") and hasattr(func, "__wrapped__"):
            func = func.__wrapped__
        code = getattr(func, "__code__", None)
        if code is None:
            return None
        kw = getattr(func, "__kwdefaults__", None) or {}
        if param in kw:
            return kw[param]
        names = code.co_varnames[: code.co_argcount]
        defaults = getattr(func, "__defaults__", None) or ()
        if param in names:
            i = names.index(param) - (len(names) - len(defaults))
            if 0 <= i < len(defaults):
                return defaults[i]
        return None

    def measure(mods):
        out = []
        for t in plan.get("targets", []):
            row = dict(t, ran=False, len=None, bytes=None)
            mod = mods.get(t["path"])
            if mod is not None:
                row["ran"] = True
                try:
                    if t["kind"] == "global":
                        value = vars(mod).get(t["name"])
                    elif t["kind"] == "defaults":
                        value = default_of(lookup(mod, t["qualname"]), t["param"])
                    else:
                        value = None
                        info = getattr(lookup(mod, t["qualname"]), "cache_info", None)
                        if info is not None:
                            row["len"] = info().currsize
                    if value is not None:
                        try:
                            row["len"] = len(value)
                        except TypeError:
                            pass
                        row["bytes"] = deep_size(value)
                except Exception:
                    pass
            out.append(row)
        return out

    # --- Writing this process's part.
    def write_part(why):
        if state.get("written") or state.get("pid") != os.getpid():
            return
        state["written"] = state["writing"] = True
        try:
            gc.collect()
            gc.callbacks.remove(on_gc)
            watching.clear()
            end = top_lines()
            mods = modules_by_path()
            import json

            part = {
                "pid": state["pid"],
                "parent": state["parent"],
                "argv": list(sys.argv),
                "python": sys.version.split()[0],
                "started": state["started"],
                "exit": why,
                "modules": sorted(
                    p
                    for p in set(mods) | {real(p) for p in list(executed)}
                    if p.endswith(".py") and os.path.isabs(p) and p != real(__file__)
                ),
                "resource_warnings": list(state["warnings"].values()),
                "cycle_garbage": [
                    {
                        "class": k[0],
                        "module": k[1],
                        "module_path": k[2],
                        "bases": bases_of.get(k[:3], []),
                        "site": {"path": k[3][0], "line": k[3][1]} if k[3] else None,
                        "count": v[0],
                        "bytes": v[1],
                    }
                    for k, v in state["cycles"].items()
                ],
                "memory": {"start": top_lines(state["start"]), "end": end, "samples": state["samples"]},
                "targets": measure(mods),
            }
            name = os.path.join(out_dir, "part-%d-%d" % (state["pid"], id(state)))
            with open(name + ".tmp", "w", encoding="utf-8") as f:
                json.dump(part, f)
            os.replace(name + ".tmp", name + ".json")
        except Exception:
            pass
        finally:
            state["writing"] = False
            try:
                os.remove(os.path.join(out_dir, "live-%d" % state["pid"]))
            except OSError:
                pass
        if state.get("term"):
            die_of_sigterm()

    atexit.register(write_part, "exit")

    # A fork child (multiprocessing's fork and forkserver) starts a part of its own and leaves by `os._exit`, which
    # skips atexit: write the part there too.
    # SIGTERM is held back across the fork: a child that received it before Python re-armed its signal handling
    # would lose it (the child then outlives a pool's terminate() and the parent waits for it forever).
    term = {signal.SIGTERM}

    def before_fork():
        signal.pthread_sigmask(signal.SIG_BLOCK, term)

    def after_in_parent():
        signal.pthread_sigmask(signal.SIG_UNBLOCK, term)

    def after_in_child():
        try:
            fresh(state.get("pid"))
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, term)

    if hasattr(signal, "pthread_sigmask"):
        os.register_at_fork(before=before_fork, after_in_parent=after_in_parent, after_in_child=after_in_child)
    else:
        os.register_at_fork(after_in_child=lambda: fresh(state.get("pid")))
    real_exit = os._exit

    def _exit(code):
        write_part("os._exit")
        real_exit(code)

    os._exit = _exit

    # SIGTERM where it would end the process (the default action): write the part, then die of it as before.
    def on_term(signum, frame):
        if state.get("writing"):
            # Arrived while the part is being written (at exit): the writer dies of it when done.
            state["term"] = True
            return
        if state.get("pid") != os.getpid():
            # A fork child stopped before its first part was started (the signal ran ahead of the fork hook).
            fresh(os.getppid())
        write_part("SIGTERM")
        die_of_sigterm()

    def die_of_sigterm():
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)

    try:
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, on_term)
    except (ValueError, OSError, AttributeError):
        pass

    parent = os.getppid()
    fresh(None if str(parent) == os.environ.get("PYFIX_TRACE_PARENT") else parent)

    if interval > 0:

        def sample():
            import time

            while True:
                time.sleep(interval)
                if state.get("written"):
                    return
                try:
                    state["samples"].append({"t": round(_now() - state["started"], 3), "top": top_lines()})
                except Exception:
                    pass

        threading.Thread(target=sample, name="pyfix-trace-sampler", daemon=True).start()


def _now():
    import time

    return time.time()


def _pyfix_chain():
    # The `sitecustomize` this one shadows (a virtualenv's, a distribution's): import it with our directory off
    # the search path, as Python would have. Our directory stays off: the program sees the path it would have
    # (children find us again through PYTHONPATH).
    here = os.path.dirname(os.path.abspath(__file__))
    me = sys.modules.pop("sitecustomize", None)
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    try:
        import sitecustomize  # noqa: F401
    except ImportError as exc:
        if exc.name != "sitecustomize":
            raise
        if me is not None:
            sys.modules["sitecustomize"] = me


if os.environ.get("PYFIX_TRACE_DIR"):
    try:
        _pyfix_trace_install()
    except Exception:
        # Tracing is lost for this process (an unreadable working directory, tracemalloc refused), but the program
        # and the `sitecustomize` this one shadows run as they would have.
        pass
_pyfix_chain()
