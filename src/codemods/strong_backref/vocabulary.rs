//! The words strong-backref recognises: methods that keep or register their argument (asked of `analyze::effects`),
//! weak containers and signal libraries, class-like parameter names, back-link names, gc probes and copy hooks.

use crate::codemods::analyze::effects::{argument_effect, Argument};

/// Container methods that keep their argument: `owner.children.append(child)`, `owner.by_name.__setitem__(k, child)`.
/// (A queue's `put` hands it off: the queue does not keep it alive.)
pub(super) fn keeps(method: &str) -> bool {
    argument_effect(method) == Some(Argument::KeepsIt)
}

/// Container methods that keep the elements of their argument, not the argument: `owner.children.extend([child])`
/// keeps `child`, `owner.children.extend(child)` keeps what `child` iterates over.
pub(super) fn keeps_elements(method: &str) -> bool {
    argument_effect(method) == Some(Argument::KeepsElements)
}

/// Methods that register a callback with a registry: `bus.subscribe(self.on_event)`, `handlers.append(self.m)`,
/// `signal.connect(self.on_event)` (a bound method handed to `connect` is a receiver: `effects` leaves `connect` out,
/// since a socket's takes an address).
pub(super) fn registers(method: &str) -> bool {
    match argument_effect(method) {
        Some(Argument::KeepsIt) => matches!(method, "append" | "add"),
        Some(Argument::Registers) => true,
        _ => method == "connect",
    }
}

/// Containers that hold their entries (or keys) weakly.
pub(super) const WEAK_CONTAINERS: &[&str] =
    &["weakref.WeakSet", "weakref.WeakValueDictionary", "weakref.WeakKeyDictionary"];

/// Libraries whose signals hold receivers weakly by default (`connect(weak=True)`).
pub(super) const WEAK_SIGNAL_LIBRARIES: &[&str] = &["django.", "scrapy.", "blinker.", "pydispatch.", "weakref."];

/// Methods Python calls with the class, not an instance.
pub(super) const IMPLICIT_CLASS_METHODS: &[&str] = &["__new__", "__init_subclass__", "__class_getitem__"];

/// A parameter that conventionally holds a class (`cls`, `klass`, `model_class`). Classes are in reference cycles
/// of their own (`C.__mro__` holds `C`), so weakening a reference to one frees nothing.
pub(super) fn is_class_name(name: &str) -> bool {
    matches!(name, "cls" | "klass" | "kls" | "mcs" | "mcls" | "metacls" | "cls_")
        || name.ends_with("_cls")
        || name.ends_with("_class")
}

/// Calls that run or inspect the cyclic collector: a test module making them (a test of `gc`) builds cycles on
/// purpose. Outside tests they say nothing (servers call `gc.disable()` for speed, which is when these cycles leak for
/// good; `trace` asks `gc.get_referrers` to find functions).
pub(super) const GC_PROBES: &[&str] =
    &["gc.collect", "gc.disable", "gc.get_objects", "gc.is_tracked", "gc.is_finalized", "gc.freeze"];

/// Hooks that pickle or copy an object's attributes: a weak reference cannot be pickled. On an owner, all but
/// `__copy__` (a shallow copy shares the children, whose back-reference stays the original's either way).
pub(super) const COPY_HOOKS: &[&str] =
    &["__getstate__", "__setstate__", "__reduce__", "__reduce_ex__", "__copy__", "__deepcopy__"];

/// Names of the backward link of a doubly linked pair.
pub(super) fn is_back_name(attr: &str) -> bool {
    let a = attr.trim_start_matches('_').to_ascii_lowercase();
    a.starts_with("prev") || a.starts_with("pred") || a == "back" || a == "parent" || a == "previous_sibling"
}

/// The codemod's id, as `--select` and findings spell it.
pub(super) const NAME: &str = "strong-backref";

/// Calls that pickle or deep-copy objects: a module making them may pickle or copy the classes it defines, and a weak
/// reference cannot be pickled (a deep copy's would refer to the original). A shallow `copy.copy` shares the weak
/// reference as it shared the strong one; exceptions and constants (`pickle.PicklingError`) are not calls that pickle.
pub(super) fn pickles_or_copies(qualified: &str) -> bool {
    let Some((module, name)) = qualified.rsplit_once('.') else { return false };
    if !pickling_name(name) {
        return false;
    }
    match module {
        "copy" => name == "deepcopy",
        "pickle" | "_pickle" | "cPickle" | "dill" | "cloudpickle" => {
            matches!(name, "dump" | "dumps" | "Pickler" | "_Pickler")
        }
        "copyreg" | "copy_reg" => name == "pickle",
        "shelve" => matches!(name, "open" | "Shelf" | "DbfilenameShelf"),
        _ => false,
    }
}

/// The last parts of the names `pickles_or_copies` accepts (every one of them ends so): a cheap test before a
/// call's qualified name is built.
pub(super) fn pickling_name(last: &str) -> bool {
    matches!(
        last,
        "deepcopy" | "dump" | "dumps" | "Pickler" | "_Pickler" | "pickle" | "open" | "Shelf" | "DbfilenameShelf"
    )
}
