//! What a method call does, by the method's name: to the object it is called on (grows it, shrinks it, reads it)
//! and with its arguments (keeps the object, keeps its elements, registers it, manages it, reads it). One table and
//! its lookups; which callee a call runs, and what a codemod concludes from an effect, live elsewhere.

/// What a method does to the object it is called on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Receiver {
    /// Adds to it: `xs.append(x)`, `d.update(e)`, `d[k] = v` (`__setitem__`).
    Grows,
    /// Changes it in place without adding to it: `xs.pop()`, `s.discard(x)`, `xs.sort()`.
    Shrinks,
    /// Adds to it and removes from it: `s.symmetric_difference_update(t)` adds what `s` lacks, drops what both hold.
    Toggles,
    /// Only looks at it: `d.keys()`, `xs.count(x)`, `d.get(k)`.
    Reads,
}

/// What a method does with the object passed as its argument (the value argument, for `insert(i, x)` and
/// `setdefault(k, v)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Argument {
    /// The argument object itself is stored and outlives the call: `xs.append(x)`, `d.__setitem__(k, x)`.
    KeepsIt,
    /// Handed to whoever takes it out of a queue (`queue.Queue`, `asyncio.Queue`), at a time the caller does not
    /// know: `q.put(x)`. It escapes the call, but the queue does not hold it for good, so it proves nothing about
    /// the object being kept alive.
    HandsOff,
    /// The argument is iterated and its elements are stored, never the argument object itself:
    /// `xs.extend(it)`, `s.update(it)`, `d.update(other)`. (Its elements may be the object a codemod follows when
    /// the argument is a display holding it: `xs.extend([x])`.)
    KeepsElements,
    /// Kept as a callback or a source to use later, by a registry, an event loop or a logger: `bus.subscribe(cb)`,
    /// `loop.call_later(1, cb)`, `logger.addHandler(h)`.
    Registers,
    /// Owned from now on and closed (or exited) when the owner is: `stack.enter_context(f)`, `ctx.wrap_socket(s)`.
    Manages,
    /// Only looked at (compared, formatted, written out) and not kept: `", ".join(xs)`, `s.issubset(t)`.
    Reads,
}

/// What one method does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MethodEffect {
    /// `None`: the method is known for what it does with its argument only (`register`, `put`, `join`).
    pub receiver: Option<Receiver>,
    /// `None`: it takes no argument worth following (`pop`, `clear`, `keys`).
    pub argument: Option<Argument>,
    /// The result is, or holds, an element of the object: `d.get(k)`, `xs.pop()`, `d.setdefault(k, [])`, `d.copy()`.
    pub gives_element: bool,
}

const fn on(receiver: Receiver, argument: Option<Argument>, gives_element: bool) -> MethodEffect {
    MethodEffect { receiver: Some(receiver), argument, gives_element }
}

const fn with(argument: Argument) -> MethodEffect {
    MethodEffect { receiver: None, argument: Some(argument), gives_element: false }
}

use Argument::{HandsOff, KeepsElements, KeepsIt, Manages, Reads as ReadsIt, Registers};
use Receiver::{Grows, Reads, Shrinks, Toggles};

/// Every method pyfix knows, by name. The names are those of `list`, `dict`, `set`, `collections.deque`,
/// `collections.Counter`, `queue.Queue`, `contextlib.ExitStack`, `str`, files and loggers, and the registration
/// methods of event loops, signal and logging libraries; a name means the same on every receiver pyfix meets.
const METHODS: &[(&str, MethodEffect)] = &[
    // Containers that grow by their argument object.
    ("append", on(Grows, Some(KeepsIt), false)),
    ("appendleft", on(Grows, Some(KeepsIt), false)),
    ("insert", on(Grows, Some(KeepsIt), false)),
    ("add", on(Grows, Some(KeepsIt), false)),
    ("__setitem__", on(Grows, Some(KeepsIt), false)),
    // `d.setdefault(k, v)` keeps `v` when `k` is new, and returns what is stored under `k`.
    ("setdefault", on(Grows, Some(KeepsIt), true)),
    // Containers that grow by the elements of their argument: `list.extend`, `deque.extend(left)`, `set.update`,
    // `dict.update` and `Counter.update/subtract` iterate it (or its keys and values) and store what they get.
    ("extend", on(Grows, Some(KeepsElements), false)),
    ("extendleft", on(Grows, Some(KeepsElements), false)),
    ("update", on(Grows, Some(KeepsElements), false)),
    ("subtract", on(Grows, Some(KeepsElements), false)),
    ("symmetric_difference_update", on(Toggles, Some(KeepsElements), false)),
    ("__iadd__", on(Grows, Some(KeepsElements), false)),
    ("__ior__", on(Grows, Some(KeepsElements), false)),
    // Changed in place without growing.
    ("pop", on(Shrinks, None, true)),
    ("popitem", on(Shrinks, None, true)),
    ("popleft", on(Shrinks, None, true)),
    ("remove", on(Shrinks, Some(ReadsIt), false)),
    ("discard", on(Shrinks, Some(ReadsIt), false)),
    ("clear", on(Shrinks, None, false)),
    ("sort", on(Shrinks, None, false)),
    ("reverse", on(Shrinks, None, false)),
    ("rotate", on(Shrinks, None, false)),
    ("intersection_update", on(Shrinks, Some(ReadsIt), false)),
    ("difference_update", on(Shrinks, Some(ReadsIt), false)),
    ("__delitem__", on(Shrinks, None, false)),
    // Only read.
    ("get", on(Reads, None, true)),
    ("__getitem__", on(Reads, None, true)),
    ("copy", on(Reads, None, true)),
    ("keys", on(Reads, None, false)),
    ("values", on(Reads, None, false)),
    ("items", on(Reads, None, false)),
    ("count", on(Reads, Some(ReadsIt), false)),
    ("index", on(Reads, Some(ReadsIt), false)),
    // A stack's `push`, a queue's `put`: the object waits in the container for whoever takes it out.
    ("push", with(KeepsIt)),
    ("put", with(HandsOff)),
    ("put_nowait", with(HandsOff)),
    // Registries and signals. (Not `connect`: a signal's keeps its receiver, but a socket's takes an address and
    // `proactor.connect(sock, addr)` only uses the socket; strong-backref, which follows bound methods, asks for it.)
    ("register", with(Registers)),
    ("subscribe", with(Registers)),
    ("add_listener", with(Registers)),
    ("add_handler", with(Registers)),
    ("add_callback", with(Registers)),
    ("add_observer", with(Registers)),
    // logging and Twisted's logging.
    ("addHandler", with(Registers)),
    ("addObserver", with(Registers)),
    ("startLogging", with(Registers)),
    ("setStream", with(Registers)),
    // Twisted's Deferred callback chain, producers and reactor.
    ("addCallback", with(Registers)),
    ("addCallbacks", with(Registers)),
    ("addErrback", with(Registers)),
    ("addBoth", with(Registers)),
    ("beginFileTransfer", with(Registers)),
    ("registerProducer", with(Registers)),
    ("addReader", with(Registers)),
    ("addWriter", with(Registers)),
    ("callLater", with(Registers)),
    ("callFromThread", with(Registers)),
    ("callInThread", with(Registers)),
    // asyncio's event loop keeps the callback (and its arguments) until it runs, the pipe for the transport's life.
    ("add_reader", with(Registers)),
    ("add_writer", with(Registers)),
    ("call_soon", with(Registers)),
    ("call_soon_threadsafe", with(Registers)),
    ("call_later", with(Registers)),
    ("call_at", with(Registers)),
    ("add_signal_handler", with(Registers)),
    ("add_done_callback", with(Registers)),
    // Executors and pools keep the function and its arguments until the task has run.
    ("submit", with(Registers)),
    ("run_in_executor", with(Registers)),
    ("apply_async", with(Registers)),
    ("map_async", with(Registers)),
    // unittest's cleanups run when the test ends.
    ("addCleanup", with(Registers)),
    ("connect_read_pipe", with(Registers)),
    ("connect_write_pipe", with(Registers)),
    // `contextlib.ExitStack`, unittest's `TestCase.enterContext` (3.11+): exited with the stack or the test.
    ("enter_context", with(Manages)),
    ("enter_async_context", with(Manages)),
    ("callback", with(Manages)),
    ("push_async_callback", with(Manages)),
    ("enterContext", with(Manages)),
    ("enterClassContext", with(Manages)),
    ("enterAsyncContext", with(Manages)),
    // An SSL socket takes over the socket it wraps (it detaches it).
    ("wrap_socket", with(Manages)),
    // Strings, sets, files and loggers that only read their argument (or copy what they read into a new object).
    ("join", with(ReadsIt)),
    ("format", with(ReadsIt)),
    ("startswith", with(ReadsIt)),
    ("endswith", with(ReadsIt)),
    ("issubset", with(ReadsIt)),
    ("issuperset", with(ReadsIt)),
    ("isdisjoint", with(ReadsIt)),
    ("union", with(ReadsIt)),
    ("intersection", with(ReadsIt)),
    ("difference", with(ReadsIt)),
    ("symmetric_difference", with(ReadsIt)),
    ("__contains__", with(ReadsIt)),
    ("write", with(ReadsIt)),
    ("writelines", with(ReadsIt)),
    ("debug", with(ReadsIt)),
    ("info", with(ReadsIt)),
    ("warning", with(ReadsIt)),
    ("error", with(ReadsIt)),
    ("exception", with(ReadsIt)),
];

/// What the method `name` does, if pyfix knows.
pub fn method_effect(name: &str) -> Option<MethodEffect> {
    // Asked for every method call of every module: a hash lookup, not a walk down the table.
    static BY_NAME: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, MethodEffect>> = std::sync::OnceLock::new();
    BY_NAME.get_or_init(|| METHODS.iter().copied().collect()).get(name).copied()
}

/// What the method `name` does to the object it is called on.
pub fn receiver_effect(name: &str) -> Option<Receiver> {
    method_effect(name).and_then(|e| e.receiver)
}

/// What the method `name` does with its argument.
pub fn argument_effect(name: &str) -> Option<Argument> {
    method_effect(name).and_then(|e| e.argument)
}

/// The method changes the object it is called on in place: it grows, shrinks or toggles it.
pub fn changes_receiver(name: &str) -> bool {
    matches!(receiver_effect(name), Some(Grows | Shrinks | Toggles))
}

/// The method's result is, or holds, an element of the object it is called on.
pub fn gives_element(name: &str) -> bool {
    method_effect(name).is_some_and(|e| e.gives_element)
}

/// `unittest.TestCase`'s own assertions: they call or read what they are given there and keep nothing of it. (Other
/// checks still take any `assert*` method as one: bare-open's `flow`, `mod.rs` and `plan::result_outlives`,
/// mutable-default's `flow`; a test class's own `assertEventually(cb)` may keep its argument.)
const UNITTEST_ASSERTIONS: &[&str] = &[
    "assertEqual",
    "assertNotEqual",
    "assertTrue",
    "assertFalse",
    "assertIs",
    "assertIsNot",
    "assertIsNone",
    "assertIsNotNone",
    "assertIn",
    "assertNotIn",
    "assertIsInstance",
    "assertNotIsInstance",
    "assertRaises",
    "assertRaisesRegex",
    "assertWarns",
    "assertWarnsRegex",
    "assertAlmostEqual",
    "assertNotAlmostEqual",
    "assertGreater",
    "assertGreaterEqual",
    "assertLess",
    "assertLessEqual",
    "assertRegex",
    "assertNotRegex",
    "assertCountEqual",
    "assertListEqual",
    "assertTupleEqual",
    "assertSetEqual",
    "assertDictEqual",
    "assertSequenceEqual",
    "assertMultiLineEqual",
];

/// The older spellings `unittest.TestCase` kept (until 3.12), and the assertions of Django's test cases: each
/// compares or reads its arguments there and keeps none of them.
const OTHER_ASSERTIONS: &[&str] = &[
    "assertEquals",
    "assertNotEquals",
    "assertAlmostEquals",
    "assertNotAlmostEquals",
    "assertRegexpMatches",
    "assertNotRegexpMatches",
    "assertRaisesRegexp",
    "assertDictContainsSubset",
    "assert_",
    "assertContains",
    "assertNotContains",
    "assertHTMLEqual",
    "assertHTMLNotEqual",
    "assertInHTML",
    "assertJSONEqual",
    "assertJSONNotEqual",
    "assertXMLEqual",
    "assertXMLNotEqual",
    "assertQuerySetEqual",
    "assertQuerysetEqual",
];

/// The assertions of `unittest.mock`'s mocks: they compare the calls recorded with what they are given.
const MOCK_ASSERTIONS: &[&str] = &[
    "assert_called_with",
    "assert_called_once_with",
    "assert_any_call",
    "assert_has_calls",
    "assert_awaited_with",
    "assert_awaited_once_with",
    "assert_any_await",
    "assert_has_awaits",
];

/// `name` is one of `unittest.TestCase`'s own assertion methods (also an older spelling, or one Django's test cases
/// add): called on `self` of a test, it reads its arguments there. Whether the class (or a base) defines its own
/// is `analyze::classes::assertion_reads_only`'s question.
pub fn unittest_assertion(name: &str) -> bool {
    UNITTEST_ASSERTIONS.contains(&name) || OTHER_ASSERTIONS.contains(&name)
}

/// `name` is an assertion of `unittest.mock`'s mocks (called on any mock).
pub fn mock_assertion(name: &str) -> bool {
    MOCK_ASSERTIONS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_once() {
        let mut names: Vec<&str> = METHODS.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "a method listed twice");
    }

    #[test]
    fn extend_keeps_elements_append_keeps_the_object() {
        assert_eq!(argument_effect("extend"), Some(Argument::KeepsElements));
        assert_eq!(argument_effect("update"), Some(Argument::KeepsElements));
        assert_eq!(argument_effect("append"), Some(Argument::KeepsIt));
        assert_eq!(receiver_effect("extend"), Some(Receiver::Grows));
        assert!(changes_receiver("pop") && gives_element("pop"));
    }
}
