//! `bare-open`: a file opened without `with` and never reliably closed.
//! Finds `open()`, `io.open()`, `codecs.open()` and `<Path>.open()` whose handle is not managed, and wraps the code
//! that uses it in a `with` block. What users read (examples, fix safety, known misses) is in codemods/bare_open/README.md.

use std::cell::OnceCell;
use std::collections::HashSet;
use std::rc::Rc;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::codemods::{Codemod, Context, Finding};
use crate::edit::{Edit, Fix};
use crate::semantic::{BindingKind, ReferenceKind, ScopeId, ScopeKind, ScopeNode, Semantic, StmtId};

pub struct BareOpen;

const NAME: &str = "bare-open";

impl Codemod for BareOpen {
    fn name(&self) -> &'static str {
        NAME
    }
    fn summary(&self) -> &'static str {
        "a file, socket, connection, archive or process opened without `with` and never reliably closed -> a `with` block (or `closing`, `async with`) [fix: safe; unsafe when the object is passed to unknown code]"
    }
    fn docs(&self) -> &'static str {
        include_str!("../../codemods/bare_open/README.md")
    }
    fn check(&self, cx: &Context) -> Vec<Finding> {
        let mut out = Vec::new();
        if cx.is_stub {
            return out;
        }
        // Found on first use: most files open nothing.
        let quiet = Rc::new(OnceCell::new());
        let scope = Scope {
            id: Semantic::MODULE,
            kind: ScopeKind::Module,
            body: &cx.module.body,
            class_closes: None,
            quiet,
            may_open: may_open(cx, Semantic::MODULE),
        };
        check_scope(cx, &scope, &mut out);
        out
    }
}

// ---------------------------------------------------------------------------------------------------------------
// What the codemod knows about Python's standard library.

/// Calls that return a new open file.
const OPENERS: &[(&str, &str)] =
    &[("builtins.open", "open"), ("io.open", "io.open"), ("_io.open", "io.open"), ("codecs.open", "codecs.open")];

/// How a resource must be closed, by what its `__exit__` does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Exit {
    /// `__exit__` closes it: `with X as x:`.
    With,
    /// It has no `__exit__`, or one that does not close (`sqlite3`'s commits): `with contextlib.closing(X) as x:`.
    Closing,
    /// An asynchronous resource: `async with X as x:`, only inside `async def`.
    AsyncWith,
    /// `__enter__` returns something else (`TemporaryDirectory` gives its path): `x = X` stays, `with x:` follows.
    WithName,
    /// `__exit__` does more than the code did unless the code already calls one of `methods` on the normal path
    /// (`Popen` waits, `Pool` terminates, executors wait for pending work); otherwise no fix, for `reason`.
    /// `on_error`: why the fix is unsafe even then (what `__exit__` does when an exception leaves the block).
    WithIf { methods: &'static [&'static str], reason: &'static str, on_error: Option<&'static str> },
}

/// `Pool.__exit__` terminates what is still running: a fix only where the code joins the pool.
const POOL_JOINED: Exit = Exit::WithIf {
    methods: &["join"],
    reason: "the pool's `__exit__` terminates pending work, and the code never joins the pool",
    on_error: None,
};

/// An executor's `__exit__` waits for every pending task: a fix only where the code shuts it down, and unsafe.
const EXECUTOR_SHUT_DOWN: Exit = Exit::WithIf {
    methods: &["shutdown"],
    reason: "the executor's `__exit__` waits for every pending task, and the code never shuts it down",
    on_error: Some("if an exception leaves the block, the executor's `__exit__` waits for every pending task"),
};

/// Factories of resources other than files: qualified name, how to close, names for a new `with` target.
const RESOURCES: &[(&str, Exit, &[&str])] = &[
    ("socket.socket", Exit::With, &["sock"]),
    ("socket.create_connection", Exit::With, &["sock", "conn"]),
    ("socket.fromfd", Exit::With, &["sock"]),
    ("ssl.wrap_socket", Exit::With, &["ssock", "sock"]),
    ("sqlite3.connect", Exit::Closing, &["conn", "db"]),
    ("sqlite3.dbapi2.connect", Exit::Closing, &["conn", "db"]),
    ("sqlite3.Connection", Exit::Closing, &["conn", "db"]),
    ("psycopg2.connect", Exit::Closing, &["conn", "db"]),
    ("pymysql.connect", Exit::Closing, &["conn", "db"]),
    ("MySQLdb.connect", Exit::Closing, &["conn", "db"]),
    ("urllib.request.urlopen", Exit::With, &["response", "resp"]),
    ("http.client.HTTPConnection", Exit::Closing, &["conn"]),
    ("http.client.HTTPSConnection", Exit::Closing, &["conn"]),
    ("zipfile.ZipFile", Exit::With, &["archive", "zf"]),
    ("tarfile.open", Exit::With, &["archive", "tar"]),
    ("tarfile.TarFile", Exit::With, &["archive", "tar"]),
    ("gzip.open", Exit::With, &["f", "fh"]),
    ("gzip.GzipFile", Exit::With, &["f", "fh"]),
    ("bz2.open", Exit::With, &["f", "fh"]),
    ("bz2.BZ2File", Exit::With, &["f", "fh"]),
    ("lzma.open", Exit::With, &["f", "fh"]),
    ("lzma.LZMAFile", Exit::With, &["f", "fh"]),
    ("tempfile.TemporaryFile", Exit::With, &["tmp"]),
    ("tempfile.SpooledTemporaryFile", Exit::With, &["tmp"]),
    (
        "tempfile.NamedTemporaryFile",
        Exit::WithIf {
            methods: &["close"],
            reason:
                "closing a `NamedTemporaryFile` deletes it, and the code never closes it: its name may be used later",
            on_error: None,
        },
        &["tmp"],
    ),
    ("tempfile.TemporaryDirectory", Exit::WithName, &["tmpdir"]),
    ("shelve.open", Exit::With, &["shelf", "db"]),
    ("dbm.open", Exit::With, &["db"]),
    ("mmap.mmap", Exit::With, &["mm"]),
    ("selectors.DefaultSelector", Exit::With, &["selector", "sel"]),
    ("selectors.EpollSelector", Exit::With, &["selector", "sel"]),
    ("selectors.KqueueSelector", Exit::With, &["selector", "sel"]),
    ("selectors.DevpollSelector", Exit::With, &["selector", "sel"]),
    (
        "subprocess.Popen",
        Exit::WithIf {
            methods: &["wait", "communicate"],
            reason: "`Popen.__exit__` waits for the process, and the code never waits for it",
            on_error: Some(
                "if an exception leaves the block, `Popen.__exit__` waits for the process, which may never end",
            ),
        },
        &["proc"],
    ),
    ("multiprocessing.Pool", POOL_JOINED, &["pool"]),
    ("multiprocessing.pool.Pool", POOL_JOINED, &["pool"]),
    ("multiprocessing.pool.ThreadPool", POOL_JOINED, &["pool"]),
    ("concurrent.futures.ThreadPoolExecutor", EXECUTOR_SHUT_DOWN, &["executor"]),
    ("concurrent.futures.ProcessPoolExecutor", EXECUTOR_SHUT_DOWN, &["executor"]),
    ("requests.Session", Exit::With, &["session"]),
    ("requests.session", Exit::With, &["session"]),
    ("requests.sessions.Session", Exit::With, &["session"]),
    ("aiohttp.ClientSession", Exit::AsyncWith, &["session"]),
];

/// Methods that make a resource, on objects built by a factory: `ssl.create_default_context().wrap_socket(sock)`.
const RESOURCE_METHODS: &[(&str, &str, Exit, &[&str])] = &[
    ("ssl.create_default_context", "wrap_socket", Exit::With, &["ssock", "sock"]),
    ("ssl.SSLContext", "wrap_socket", Exit::With, &["ssock", "sock"]),
];

/// Objects that hold no connection until one of these methods runs: an `HTTPConnection` connects on its first
/// request, a `requests` session opens sockets only to send. One that never gets that far leaks nothing.
const LAZY_RESOURCES: &[(&str, &[&str])] = &[
    ("http.client.HTTPConnection", HTTP_CONNECTING),
    ("http.client.HTTPSConnection", HTTP_CONNECTING),
    ("requests.Session", SESSION_SENDING),
    ("requests.session", SESSION_SENDING),
    ("requests.sessions.Session", SESSION_SENDING),
];
const HTTP_CONNECTING: &[&str] =
    &["connect", "request", "putrequest", "putheader", "endheaders", "send", "getresponse", "set_tunnel"];
const SESSION_SENDING: &[&str] =
    &["request", "get", "post", "put", "patch", "delete", "head", "options", "send", "resolve_redirects"];

/// Archives and compressed files that wrap a file object they are given (`fileobj=`, or a file object as the first
/// argument) close only their own state, never that object: they own no descriptor. Over an in-memory buffer
/// (`io.BytesIO`) nothing leaks; over an open file, the file is the leak, reported for its own `open`.
const WRAPPING_ARCHIVES: &[&str] = &[
    "zipfile.ZipFile",
    "tarfile.open",
    "tarfile.TarFile",
    "gzip.open",
    "gzip.GzipFile",
    "bz2.open",
    "bz2.BZ2File",
    "lzma.open",
    "lzma.LZMAFile",
];

const FILE_NAMES: &[&str] = &["f", "fh", "fp", "fobj"];

/// Kinds whose fixes are safe like a file's: every fix of theirs on the corpus was read (and the stdlib test modules
/// they touch run) after the misses found were mended; see the bare-open README's "Corpus results".
const PROVEN: &[&str] = &[
    "sqlite3.connect",
    "sqlite3.dbapi2.connect",
    "sqlite3.Connection",
    "urllib.request.urlopen",
    "http.client.HTTPConnection",
    "http.client.HTTPSConnection",
    "requests.Session",
    "requests.session",
    "requests.sessions.Session",
    "zipfile.ZipFile",
    "tarfile.open",
    "tarfile.TarFile",
    "gzip.open",
    "gzip.GzipFile",
    "bz2.open",
    "bz2.BZ2File",
    "lzma.open",
    "lzma.LZMAFile",
    "tempfile.TemporaryFile",
    "tempfile.SpooledTemporaryFile",
    "tempfile.NamedTemporaryFile",
    "dbm.open",
    "mmap.mmap",
];

/// What an opening call makes and how it is closed.
#[derive(Clone, Debug)]
struct Resource {
    /// How the call is shown in messages: `open`, `sqlite3.connect`.
    shown: String,
    closing: Exit,
    /// Names for a new `with` target, best first.
    names: &'static [&'static str],
}

impl Resource {
    fn file(shown: &str) -> Self {
        Resource { shown: shown.to_string(), closing: Exit::With, names: FILE_NAMES }
    }
    /// Why a fix for this kind is not `Safe` yet: a kind is proven once every one of its fixes on the corpus has been
    /// read and the misses found were mended (see `PROVEN`). Sockets, processes, pools, selectors and a project's
    /// own factories are not: their close order is often what the code (or its test) is about.
    fn unproven(&self) -> Option<String> {
        (self.names != FILE_NAMES && !PROVEN.contains(&self.shown.as_str())).then(|| {
            format!(
                "the `{}()` object is now closed when the block ends; for this kind pyfix has not proven that nothing \
                 uses it later or depends on when it is closed",
                self.shown
            )
        })
    }
    /// An explicit `x.close()` does what the new block's end does, so the block replaces it.
    fn exit_closes(&self) -> bool {
        match self.closing {
            Exit::With | Exit::Closing => true,
            Exit::WithIf { methods, .. } => methods.contains(&"close"),
            Exit::AsyncWith | Exit::WithName => false,
        }
    }
}
const PATH_TYPES: &[&str] = &["pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath"];
/// Methods of a path that return a path.
const PATH_METHODS: &[&str] =
    &["joinpath", "with_name", "with_suffix", "with_stem", "resolve", "absolute", "expanduser", "relative_to"];

/// Functions that use a file they are given and keep no reference to it.
const CONSUMERS: &[&str] = &[
    "builtins.list",
    "builtins.tuple",
    "builtins.sorted",
    "builtins.set",
    "builtins.frozenset",
    "builtins.dict",
    "builtins.len",
    "builtins.sum",
    "builtins.max",
    "builtins.min",
    "builtins.any",
    "builtins.all",
    "builtins.next",
    "builtins.print",
    "builtins.isinstance",
    "builtins.hasattr",
    "builtins.getattr",
    "builtins.repr",
    "builtins.bool",
    "json.load",
    "json.dump",
    "pickle.load",
    "pickle.dump",
    "marshal.load",
    "marshal.dump",
    "tomllib.load",
    "plistlib.load",
    "plistlib.dump",
    "shutil.copyfileobj",
    "hashlib.file_digest",
    "yaml.safe_load",
    "yaml.load",
    "yaml.safe_dump",
    "yaml.dump",
    "os.fstat",
    "fcntl.lockf",
    "fcntl.flock",
    "fcntl.fcntl",
    "fcntl.ioctl",
    "os.fsync",
    "os.fdatasync",
    "base64.encode",
    "base64.decode",
    "quopri.encode",
    "quopri.decode",
    "pprint.pprint",
    "traceback.print_exc",
    "traceback.print_exception",
    "traceback.print_stack",
    "traceback.print_tb",
    "dis.dis",
    "email.message_from_file",
    "email.message_from_binary_file",
    "xml.etree.ElementTree.parse",
    "xml.dom.minidom.parse",
    "xml.sax.parse",
    "numpy.loadtxt",
    "numpy.savetxt",
    "numpy.genfromtxt",
    "numpy.save",
    "numpy.fromfile",
];

/// Methods that read or write a whole file before they return, on objects built by the given factory:
/// `parser = configparser.ConfigParser(); parser.read_file(f)`.
const CONSUMER_METHODS: &[(&str, &str)] = &[
    ("configparser.ConfigParser", "read_file"),
    ("configparser.ConfigParser", "write"),
    ("configparser.RawConfigParser", "read_file"),
    ("configparser.RawConfigParser", "write"),
    ("configparser.SafeConfigParser", "read_file"),
    ("configparser.SafeConfigParser", "readfp"),
    ("xml.sax.make_parser", "parse"),
    ("xml.sax.expatreader.create_parser", "parse"),
    ("xml.etree.ElementTree.ElementTree", "parse"),
    ("xml.etree.ElementTree.ElementTree", "write"),
    ("xml.etree.ElementTree.XMLParser", "feed"),
    ("email.parser.Parser", "parse"),
    ("email.parser.BytesParser", "parse"),
    ("email.generator.Generator", "flatten"),
];

/// Functions and classes that keep the file they are given for use after they return.
const KEEPERS: &[&str] = &[
    "logging.StreamHandler",
    "logging.FileHandler",
    "logging.handlers.WatchedFileHandler",
    "twisted.python.log.startLogging",
    "twisted.python.log.FileLogObserver",
    "twisted.python.log.addObserver",
    "twisted.logger.textFileLogObserver",
    "twisted.logger.jsonFileLogObserver",
    "twisted.logger.FileLogObserver",
    "twisted.logger.globalLogBeginner.beginLoggingTo",
    "twisted.protocols.basic.FileSender",
    "twisted.web.client.FileBodyProducer",
    "twisted.web.static.NoRangeStaticProducer",
    "twisted.web.static.SingleRangeStaticProducer",
    "twisted.web.static.MultipleRangeStaticProducer",
    "sys.settrace",
];

/// Methods that keep their argument for later use (a registry, a callback chain, an event loop, a transport).
const KEEPING_METHODS: &[&str] = &[
    "addHandler",
    "addObserver",
    "startLogging",
    "addCallback",
    "addCallbacks",
    "addErrback",
    "addBoth",
    "register",
    "subscribe",
    "connect_read_pipe",
    "connect_write_pipe",
    "beginFileTransfer",
    "registerProducer",
    "add_reader",
    "add_writer",
    "addReader",
    "addWriter",
    "call_soon",
    "call_soon_threadsafe",
    "call_later",
    "callLater",
    "callFromThread",
    "callInThread",
    "setStream",
];

/// The first word of a callee that registers or installs what it is given, by common naming:
/// `bus.subscribe_file(f)`, `registerSink(f)`, `loop.add_signal_handler(..., f)`.
const REGISTERING_PREFIXES: &[&str] = &["register", "subscribe", "attach", "install", "listen", "watch", "hook"];

/// Functions whose result wraps the file and keeps it: the result must be used inside the `with` too.
const WRAPPERS: &[&str] = &[
    "builtins.iter",
    "builtins.enumerate",
    "builtins.zip",
    "builtins.map",
    "builtins.filter",
    "builtins.reversed",
    "csv.reader",
    "csv.writer",
    "csv.DictReader",
    "csv.DictWriter",
    "io.TextIOWrapper",
    "io.BufferedReader",
    "io.BufferedWriter",
    "pickle.Pickler",
    "pickle.Unpickler",
    "itertools.islice",
    "itertools.chain",
    "itertools.groupby",
    "itertools.takewhile",
    "itertools.dropwhile",
    "itertools.zip_longest",
    "itertools.tee",
];

/// Methods that store their argument somewhere that outlives the call.
const STORING_METHODS: &[&str] =
    &["append", "appendleft", "add", "extend", "insert", "setdefault", "put", "put_nowait", "push", "update"];

/// Methods that take ownership of a file and close it later: the file is managed.
const MANAGING_METHODS: &[&str] = &[
    "enter_context",
    "enter_async_context",
    "callback",
    "push_async_callback",
    // unittest.TestCase (3.11+)
    "enterContext",
    "enterClassContext",
    "enterAsyncContext",
    // An SSL socket takes over the socket it wraps (it detaches it).
    "wrap_socket",
];
const MANAGING_FUNCS: &[&str] = &["contextlib.closing", "weakref.finalize", "atexit.register", "ssl.wrap_socket"];

/// Attributes of a file that are (or return) the same underlying file.
const SAME_FILE_ATTRS: &[&str] = &["buffer", "raw", "detach", "__enter__", "__iter__"];

// ---------------------------------------------------------------------------------------------------------------
// Scopes and the names used in them: all answered by the semantic model.

/// A module, function or class body being checked.
struct Scope<'a> {
    id: ScopeId,
    kind: ScopeKind,
    body: &'a [Stmt],
    /// In a method: the `self.<attr>` names that some method of the class closes.
    class_closes: Option<Rc<ClassCloses<'a>>>,
    /// Where opens are left alone: `open` is mocked, or the code tests that it raises or warns (`quiet_ranges`).
    quiet: Rc<OnceCell<Vec<TextRange>>>,
    /// Some call in the scope's own statements may open something (`may_open`); if not, they are not walked.
    may_open: bool,
}

/// The `self.<attr>` names closed in a class body, found on first use: few classes store an open resource.
struct ClassCloses<'a> {
    body: &'a [Stmt],
    names: OnceCell<HashSet<String>>,
}

impl ClassCloses<'_> {
    fn closes(&self, attr: &str) -> bool {
        let names = self.names.get_or_init(|| self_attrs_closed(self.body));
        names.contains(attr) || names.contains(ANY_ATTR)
    }
}

/// One use (load, `del`) or binding of a name, from the model.
struct Occ {
    range: TextRange,
    kind: OccKind,
    /// The innermost statement holding it.
    stmt: Option<StmtId>,
    /// Inside a nested function, lambda, class or generator expression: it may run later.
    captured: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum OccKind {
    Load,
    Store,
    Del,
}

impl Occ {
    /// The statement holding the occurrence (`fallback` for the rare binding made outside any statement).
    fn stmt<'a>(&self, cx: &Context<'a>, fallback: &'a Stmt) -> &'a Stmt {
        self.stmt.map_or(fallback, |id| cx.semantic.stmt(id))
    }

    /// Enclosing expressions, outermost first (not the name itself).
    fn exprs<'a>(&self, cx: &Context<'a>) -> Vec<&'a Expr> {
        match self.stmt {
            Some(id) => cx.semantic.expr_path(cx.semantic.stmt(id), self.range),
            None => Vec::new(),
        }
    }

    /// The statement holding it and the statements around it.
    fn within<'c>(&self, cx: &'c Context) -> impl Iterator<Item = &'c Stmt> + 'c {
        let model = cx.semantic;
        self.stmt
            .into_iter()
            .flat_map(move |id| std::iter::once(id).chain(model.ancestors(id)))
            .map(|id| model.stmt(id))
    }
}

impl<'a> Scope<'a> {
    /// `range` lies where opens are left alone (`quiet_ranges`, found on first use).
    fn is_quiet(&self, cx: &Context, range: TextRange) -> bool {
        self.quiet.get_or_init(|| quiet_ranges(cx)).iter().any(|q| q.contains_range(range))
    }

    /// Every binding of `name` in this scope and every use of those bindings (also from nested scopes), in source
    /// order.
    fn uses(&self, cx: &Context, name: &str) -> Vec<Occ> {
        let model = cx.semantic;
        let mut out = Vec::new();
        for &b in model.scope(self.id).bindings_of(name) {
            let binding = model.binding(b);
            // `del f` is both a binding and a use: the use is enough.
            if binding.kind != BindingKind::Deletion {
                let made_in = binding.stmt.map_or(self.id, |s| model.stmt_scope(s));
                out.push(Occ {
                    range: binding.range,
                    kind: OccKind::Store,
                    stmt: binding.stmt,
                    captured: self.runs_later(cx, made_in),
                });
            }
            for &r in &binding.references {
                let reference = model.reference(r);
                let kind = match reference.kind {
                    ReferenceKind::Del => OccKind::Del,
                    ReferenceKind::Load | ReferenceKind::AugLoad => OccKind::Load,
                };
                let captured = self.runs_later(cx, reference.scope);
                out.push(Occ { range: reference.range, kind, stmt: reference.stmt, captured });
            }
        }
        out.sort_by_key(|o| (o.range.start(), o.kind != OccKind::Store));
        out
    }

    /// True when code in `inner` (nested in this scope) may run after this scope's statements: inside a function,
    /// lambda, class or generator expression.
    fn runs_later(&self, cx: &Context, mut inner: ScopeId) -> bool {
        let model = cx.semantic;
        // A parameter is bound by its `def`, which stands in the enclosing scope.
        if !model.is_within(inner, self.id) {
            return false;
        }
        while inner != self.id {
            let s = model.scope(inner);
            let lazy = match s.node {
                ScopeNode::Comprehension(e) => e.is_generator_expr(),
                _ => true,
            };
            if lazy {
                return true;
            }
            match s.parent {
                Some(p) => inner = p,
                None => return false,
            }
        }
        false
    }

    /// `global`/`nonlocal`: the name is not local, so a handle bound to it escapes.
    fn is_declared(&self, cx: &Context, name: &str) -> bool {
        cx.semantic.scope(self.id).declaration(name).is_some()
    }

    /// A name for a new `with` target that clashes with nothing this scope can see.
    fn fresh_name(&self, cx: &Context, candidates: &[&str]) -> String {
        let model = cx.semantic;
        let scope = model.scope(self.id);
        let star = model.scope(Semantic::MODULE).star_import;
        if self.kind == ScopeKind::Function && !star {
            // Free here: not bound in this function, and no code in it reads a binding of that name from outside.
            let free = |c: &&&str| {
                !scope.binds(c)
                    && scope.declaration(c).is_none()
                    && model.lookup(c, self.id).is_none_or(|b| {
                        model.binding(b).references.iter().all(|r| !model.is_within(model.reference(*r).scope, self.id))
                    })
            };
            if let Some(c) = candidates.iter().find(free) {
                return (*c).to_string();
            }
        }
        cx.fresh_name(candidates)
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Walking blocks.

fn check_scope(cx: &Context, scope: &Scope, out: &mut Vec<Finding>) {
    visit_block(cx, scope, scope.body, &[], out);
}

/// Where a statement stands: `block[index]` of `scope`, inside the compound statements `stack` (outermost first).
#[derive(Clone, Copy)]
struct Site<'s, 'a> {
    scope: &'s Scope<'a>,
    block: &'a [Stmt],
    index: usize,
    stack: &'s [Frame<'a>],
}

/// A compound statement enclosing the block being checked: `block[index]`.
#[derive(Clone, Copy)]
struct Frame<'a> {
    block: &'a [Stmt],
    index: usize,
}

impl<'a> Frame<'a> {
    fn stmt(&self) -> &'a Stmt {
        &self.block[self.index]
    }
}

/// `stack`: the compound statements of this scope that enclose `block`, outermost first.
fn visit_block<'a>(cx: &Context, scope: &Scope<'a>, block: &'a [Stmt], stack: &[Frame<'a>], out: &mut Vec<Finding>) {
    for (i, stmt) in block.iter().enumerate() {
        check_statement(cx, Site { scope, block, index: i, stack }, out);
        // The frames for the blocks nested in `stmt`, built only for compound statements (most are simple).
        let inner = || {
            let mut inner: Vec<Frame> = stack.to_vec();
            inner.push(Frame { block, index: i });
            inner
        };
        match stmt {
            Stmt::FunctionDef(f) => {
                let Some(id) = cx.semantic.scope_of_def(stmt) else { continue };
                let class_closes = if scope.kind == ScopeKind::Class { scope.class_closes.clone() } else { None };
                let quiet = scope.quiet.clone();
                let may_open = may_open(cx, id);
                check_scope(
                    cx,
                    &Scope { id, kind: ScopeKind::Function, body: &f.body, class_closes, quiet, may_open },
                    out,
                );
            }
            Stmt::ClassDef(c) => {
                let Some(id) = cx.semantic.scope_of_def(stmt) else { continue };
                let class_closes = Some(Rc::new(ClassCloses { body: &c.body, names: OnceCell::new() }));
                let quiet = scope.quiet.clone();
                let may_open = may_open(cx, id);
                check_scope(
                    cx,
                    &Scope { id, kind: ScopeKind::Class, body: &c.body, class_closes, quiet, may_open },
                    out,
                );
            }
            Stmt::For(s) => {
                let inner = inner();
                visit_block(cx, scope, &s.body, &inner, out);
                visit_block(cx, scope, &s.orelse, &inner, out);
            }
            Stmt::While(s) => {
                let inner = inner();
                visit_block(cx, scope, &s.body, &inner, out);
                visit_block(cx, scope, &s.orelse, &inner, out);
            }
            Stmt::If(s) => {
                let inner = inner();
                visit_block(cx, scope, &s.body, &inner, out);
                for clause in &s.elif_else_clauses {
                    visit_block(cx, scope, &clause.body, &inner, out);
                }
            }
            Stmt::With(s) => visit_block(cx, scope, &s.body, &inner(), out),
            Stmt::Try(s) => {
                let inner = inner();
                visit_block(cx, scope, &s.body, &inner, out);
                for h in &s.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    visit_block(cx, scope, &h.body, &inner, out);
                }
                visit_block(cx, scope, &s.orelse, &inner, out);
                visit_block(cx, scope, &s.finalbody, &inner, out);
            }
            Stmt::Match(s) => {
                let inner = inner();
                for case in &s.cases {
                    visit_block(cx, scope, &case.body, &inner, out);
                }
            }
            _ => {}
        }
    }
}

/// `self.<attr>` names closed anywhere in a class body (`self.f.close()`), or `ANY_ATTR` for a class that closes
/// its resources itself.
fn self_attrs_closed(body: &[Stmt]) -> HashSet<String> {
    struct Closes(HashSet<String>);
    impl<'a> Visitor<'a> for Closes {
        fn visit_expr(&mut self, expr: &'a Expr) {
            // `self.f.close()`, or `self.f.close` handed over (`self.addCleanup(self.f.close)`).
            if let Expr::Attribute(method) = expr {
                if matches!(method.attr.as_str(), "close" | "__exit__") {
                    if let Expr::Attribute(field) = method.value.as_ref() {
                        if matches!(field.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self") {
                            self.0.insert(field.attr.to_string());
                        }
                    }
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut c = Closes(HashSet::new());
    c.visit_body(body);
    // A class with its own `close`/`__exit__`/`__del__` is a resource wrapper: it owns the files it stores.
    let owns = body.iter().any(|s| {
        matches!(s, Stmt::FunctionDef(f) if matches!(f.name.as_str(), "close" | "__exit__" | "__aexit__" | "__del__"))
    });
    if owns {
        c.0.insert(ANY_ATTR.to_string());
    }
    c.0
}

/// Where opens are left alone because no real file can leak there:
/// - `open` is mocked: a function or class decorated with `mock.patch("builtins.open")`, a class that patches it
///   anywhere (`patch(...).start()` in `setUp`), the body of `with patch("builtins.open", ...)`, a function that
///   uses `mock_open`;
/// - the code tests that the open raises: the body of `with self.assertRaises(...)`/`pytest.raises(...)`, or
///   `open(p)` alone in a `try` whose handlers catch its error and leave;
/// - a test that asserts on `ResourceWarning` (it leaks on purpose).
fn quiet_ranges(cx: &Context) -> Vec<TextRange> {
    struct Quiet<'c> {
        cx: &'c Context<'c>,
        /// Words that make a function leave its opens alone, among those the file contains at all.
        words: Vec<&'static str>,
        /// The file mentions `patch` at all.
        patches: bool,
        out: Vec<TextRange>,
    }
    impl<'a> Visitor<'a> for Quiet<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(f)
                    if f.decorator_list.iter().any(|d| patches_open(self.cx, &d.expression))
                        || self.words.iter().any(|w| self.cx.source.slice(f.range()).contains(w)) =>
                {
                    self.out.push(f.range());
                    return;
                }
                Stmt::ClassDef(c)
                    if c.decorator_list.iter().any(|d| patches_open(self.cx, &d.expression))
                        || (self.patches && calls_patch_open(self.cx, &c.body)) =>
                {
                    self.out.push(c.range());
                    return;
                }
                Stmt::With(w) => {
                    let items = w.items.iter().map(|i| &i.context_expr);
                    if items.clone().any(|e| patches_open(self.cx, e)) {
                        self.out.push(w.range());
                        return;
                    }
                    if items.clone().any(expects_raise) {
                        if let (Some(first), Some(last)) = (w.body.first(), w.body.last()) {
                            self.out.push(TextRange::new(first.start(), last.end()));
                        }
                    }
                }
                Stmt::Try(t) if !t.is_star && handlers_catch_open_errors(t) => {
                    for s in &t.body {
                        if is_open_to_raise(self.cx, s) {
                            self.out.push(s.range());
                        }
                    }
                }
                _ => {}
            }
            visitor::walk_stmt(self, stmt);
        }
        // Only statements matter here, and no statement nests in an expression.
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    let text = cx.source.text();
    let words = ["mock_open", "ResourceWarning", "resource_warning", "RESOURCE_WARNING"]
        .into_iter()
        .filter(|w| text.contains(w))
        .collect();
    let mut q = Quiet { cx, words, patches: text.contains("patch"), out: Vec::new() };
    q.visit_body(&cx.module.body);
    q.out
}

/// `open(p)` alone, or `f = open(p)` with `f` never used: the statement only tests that the file opens.
fn is_open_to_raise(cx: &Context, stmt: &Stmt) -> bool {
    let is_open = |e: &Expr| matches!(e, Expr::Call(c) if opener(cx, c).is_some());
    match stmt {
        Stmt::Expr(e) => is_open(&e.value),
        Stmt::Assign(a) => match a.targets.as_slice() {
            // Local, and no use of the name after the statement (whichever binding the model gives it).
            [Expr::Name(n)] => {
                let model = cx.semantic;
                is_open(&a.value)
                    && model.binding_of(n).is_some_and(|b| {
                        let binding = model.binding(b);
                        let local = binding.stmt.is_some_and(|s| model.stmt_scope(s) == binding.scope);
                        let scope = model.scope(binding.scope);
                        local
                            && scope.bindings_of(binding.name).iter().all(|other| {
                                let refs = &model.binding(*other).references;
                                refs.iter().all(|r| model.reference(*r).range.start() < stmt.end())
                            })
                    })
            }
            _ => false,
        },
        _ => false,
    }
}

/// `mock.patch("builtins.open", ...)`, `patch("mymod.open")`, `patch("%s.open" % name)`,
/// `patch.object(builtins, "open")`.
fn patches_open(cx: &Context, expr: &Expr) -> bool {
    let Expr::Call(call) = expr else { return false };
    let last = |e: &Expr| match e {
        Expr::Name(n) => Some(n.id.to_string()),
        Expr::Attribute(a) => Some(a.attr.to_string()),
        _ => None,
    };
    let string = |i: usize| match call.arguments.args.get(i) {
        Some(Expr::StringLiteral(s)) => Some(s.value.to_str().to_string()),
        _ => None,
    };
    // A target built at run time: its text names `.open`.
    let built = |i: usize| {
        call.arguments.args.get(i).is_some_and(|a| {
            matches!(a, Expr::BinOp(_) | Expr::FString(_) | Expr::Call(_))
                && cx.source.slice(a.range()).contains(".open")
        })
    };
    match last(&call.func).as_deref() {
        Some("patch") => string(0).is_some_and(|t| t == "open" || t.ends_with(".open")) || built(0),
        Some("object") => {
            matches!(call.func.as_ref(), Expr::Attribute(a) if last(&a.value).as_deref() == Some("patch"))
                && string(1).as_deref() == Some("open")
        }
        _ => false,
    }
}

/// Some call in `body` patches `open` (`self.patcher = mock.patch("builtins.open")` in `setUp`).
fn calls_patch_open(cx: &Context, body: &[Stmt]) -> bool {
    struct Finder<'c>(&'c Context<'c>, bool);
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_expr(&mut self, e: &'a Expr) {
            if patches_open(self.0, e) {
                self.1 = true;
            }
            if !self.1 {
                visitor::walk_expr(self, e);
            }
        }
    }
    let mut f = Finder(cx, false);
    f.visit_body(body);
    f.1
}

/// `self.assertRaises(E)`, `self.assertRaisesRegex(E, ...)`, `pytest.raises(E)` used as a context manager.
fn expects_raise(expr: &Expr) -> bool {
    let Expr::Call(call) = expr else { return false };
    match call.func.as_ref() {
        Expr::Attribute(a) => {
            let m = a.attr.as_str();
            m.starts_with("assertRaises")
                || (m == "raises" && matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "pytest"))
        }
        Expr::Name(n) => n.id.as_str() == "raises",
        _ => false,
    }
}

/// Every handler catches what `open` raises (`OSError` and its subclasses, `Exception`, bare `except`).
fn handlers_catch_open_errors(t: &ast::StmtTry) -> bool {
    const OPEN_ERRORS: &[&str] = &[
        "OSError",
        "IOError",
        "EnvironmentError",
        "FileNotFoundError",
        "PermissionError",
        "IsADirectoryError",
        "NotADirectoryError",
        "Exception",
        "BaseException",
    ];
    let catches = |e: &Expr| match e {
        Expr::Name(n) => OPEN_ERRORS.contains(&n.id.as_str()),
        _ => false,
    };
    !t.handlers.is_empty()
        && t.handlers.iter().all(|h| {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            let caught = match h.type_.as_deref() {
                None => true,
                Some(Expr::Tuple(tuple)) => tuple.elts.iter().any(catches),
                Some(e) => catches(e),
            };
            caught
        })
}

/// In `class_closes`: every attribute is closed by the class.
const ANY_ATTR: &str = "*";

/// The header expressions of a statement, in order: what it evaluates itself, not its nested blocks.
fn own_expressions<'a>(stmt: &'a Stmt, mut each: impl FnMut(&'a Expr)) {
    match stmt {
        Stmt::FunctionDef(_) | Stmt::ClassDef(_) | Stmt::Try(_) => {}
        Stmt::For(s) => each(&s.iter),
        Stmt::While(s) => each(&s.test),
        Stmt::If(s) => {
            each(&s.test);
            s.elif_else_clauses.iter().filter_map(|c| c.test.as_ref()).for_each(each);
        }
        Stmt::With(s) => s.items.iter().for_each(|i| each(&i.context_expr)),
        Stmt::Match(s) => each(&s.subject),
        _ => {
            struct Top<F>(F);
            impl<'a, F: FnMut(&'a Expr)> Visitor<'a> for Top<F> {
                fn visit_expr(&mut self, e: &'a Expr) {
                    (self.0)(e);
                }
            }
            visitor::walk_stmt(&mut Top(each), stmt);
        }
    }
}

/// Some call the model lists for scope `id`, or for a lambda or comprehension in it, may open something. Those are
/// all the calls `open_calls` can meet in the scope's statements (and more: decorators, defaults), so a scope where
/// none opens anything needs no walk of its statements; most scopes open nothing.
fn may_open(cx: &Context, id: ScopeId) -> bool {
    let scope = cx.semantic.scope(id);
    scope.facts.calls.iter().any(|call| opener(cx, call).is_some())
        || scope.children.iter().any(|&child| {
            matches!(cx.semantic.scope(child).kind, ScopeKind::Lambda | ScopeKind::Comprehension) && may_open(cx, child)
        })
}

/// Open calls in the header expressions of `stmt`, with their enclosing expressions (outermost first; the header
/// expression itself first unless it is the call).
fn open_calls<'a>(cx: &Context, stmt: &'a Stmt) -> Vec<(&'a ast::ExprCall, Vec<&'a Expr>, Resource)> {
    struct Finder<'a, 'c> {
        cx: &'c Context<'c>,
        stack: Vec<&'a Expr>,
        found: Vec<(&'a ast::ExprCall, Vec<&'a Expr>, Resource)>,
    }
    impl<'a> Visitor<'a> for Finder<'a, '_> {
        fn visit_expr(&mut self, e: &'a Expr) {
            if let Expr::Call(call) = e {
                if let Some(name) = opener(self.cx, call) {
                    self.found.push((call, self.stack.clone(), name));
                }
            }
            self.stack.push(e);
            visitor::walk_expr(self, e);
            self.stack.pop();
        }
    }
    let mut f = Finder { cx, stack: Vec::new(), found: Vec::new() };
    own_expressions(stmt, |e| f.visit_expr(e));
    f.found
}

/// What a call opens (`open`, `io.open`, `codecs.open`, `Path.open`, a resource factory of `RESOURCES`), resolved
/// through imports.
fn opener(cx: &Context, call: &ast::ExprCall) -> Option<Resource> {
    let func = call.func.as_ref();
    if let Expr::Attribute(attr) = func {
        if attr.attr.as_str() == "open" && is_path(cx, &attr.value, 0) {
            return Some(Resource::file("Path.open"));
        }
        let method = RESOURCE_METHODS.iter().any(|(_, m, ..)| *m == attr.attr.as_str());
        if let Some(factory) = method.then(|| receiver_factory(cx, &attr.value)).flatten() {
            if let Some((_, m, closing, names)) =
                RESOURCE_METHODS.iter().find(|(f, m, ..)| *f == factory && *m == attr.attr.as_str())
            {
                return Some(Resource { shown: m.to_string(), closing: *closing, names });
            }
        }
    }
    if !may_be_factory(cx, func) {
        return None;
    }
    let qualified = qualified_name(cx, func)?;
    if let Some((_, shown)) = OPENERS.iter().find(|(q, _)| *q == qualified) {
        return Some(Resource::file(shown));
    }
    let Some((q, closing, names)) = RESOURCES.iter().find(|(q, ..)| *q == qualified) else {
        // A project's own factory (`[tool.pyfix] resource-factories`).
        let (_, how) = cx.resource_factories.iter().find(|(f, _)| *f == qualified)?;
        let closing = match how.as_str() {
            "closing" => Exit::Closing,
            "async-with" => Exit::AsyncWith,
            _ => Exit::With,
        };
        return Some(Resource { shown: qualified, closing, names: &["conn", "resource"] });
    };
    // `sqlite3.connect(p, factory=MyConnection)`: the object is the project's own class, closed its own way.
    if q.starts_with("sqlite3.") && (call.arguments.find_keyword("factory").is_some() || call.arguments.args.len() >= 6)
    {
        return None;
    }
    let mut closing = *closing;
    // `NamedTemporaryFile(delete=False)` is a plain file once closed.
    if *q == "tempfile.NamedTemporaryFile"
        && call
            .arguments
            .find_keyword("delete")
            .is_some_and(|k| matches!(k.value, Expr::BooleanLiteral(ref b) if !b.value))
    {
        closing = Exit::With;
    }
    Some(Resource { shown: q.to_string(), closing, names })
}

/// A cheap test that `func` can name an opener or factory, before building its qualified name (which allocates, and
/// runs for every call in the file): the last segment of `a.b.connect` is `connect`; a bare name is a builtin (only
/// `open` is one) unless an import binds it.
fn may_be_factory(cx: &Context, func: &Expr) -> bool {
    fn last(q: &str) -> &str {
        q.rsplit('.').next().unwrap_or(q)
    }
    static LAST: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> = std::sync::OnceLock::new();
    let table = LAST
        .get_or_init(|| OPENERS.iter().map(|(q, _)| last(q)).chain(RESOURCES.iter().map(|(q, ..)| last(q))).collect());
    let known = |name: &str| table.contains(name) || cx.resource_factories.iter().any(|(q, _)| last(q) == name);
    match func {
        Expr::Attribute(a) => known(a.attr.as_str()),
        // Only an import names something else; a name bound by `name = import_module(...)` may too.
        Expr::Name(n) => match cx.semantic.resolve(n).map(|b| &cx.semantic.binding(b).kind) {
            Some(BindingKind::Import(q) | BindingKind::FromImport(q)) => known(last(q)),
            Some(BindingKind::Assignment) => true,
            Some(_) => false,
            None => known(n.id.as_str()),
        },
        _ => true,
    }
}

/// The factory that built the object `expr` refers to: `ctx` after `ctx = ssl.create_default_context()`, or a call.
fn receiver_factory(cx: &Context, expr: &Expr) -> Option<String> {
    let call = match expr {
        Expr::Call(c) => Some(c),
        Expr::Name(n) => match single_assignment(cx, n) {
            Some(Stmt::Assign(assign)) => assign.value.as_call_expr(),
            _ => None,
        },
        _ => None,
    }?;
    qualified_name(cx, &call.func)
}

/// `Path(...)`, or a name bound once in this scope to `Path(...)`.
fn is_path(cx: &Context, expr: &Expr, depth: u32) -> bool {
    // `p = q.parent` / `q = p.parent`: names can refer to each other; give up after a few steps.
    if depth > 8 {
        return false;
    }
    match expr {
        Expr::Call(call) => match call.func.as_ref() {
            // p.with_suffix(".txt"), p.joinpath("x"), p.resolve(): still a path.
            Expr::Attribute(a) if PATH_METHODS.contains(&a.attr.as_str()) => is_path(cx, &a.value, depth + 1),
            func => cx.semantic.resolve_qualified_name(func).is_some_and(|q| PATH_TYPES.contains(&q.as_str())),
        },
        // Path(d) / "name"
        Expr::BinOp(b) if b.op == ast::Operator::Div => is_path(cx, &b.left, depth + 1),
        Expr::Attribute(a) if a.attr.as_str() == "parent" => is_path(cx, &a.value, depth + 1),
        // Bound once, by a plain assignment, to a path; not `p = q`: following names could loop (`p = p`).
        Expr::Name(n) => match single_assignment(cx, n) {
            Some(Stmt::Assign(a)) => !a.value.is_name_expr() && is_path(cx, &a.value, depth + 1),
            _ => false,
        },
        _ => false,
    }
}

/// The qualified name `expr` refers to, through imports (the model) and through a module bound by
/// `name = import_module("mod")` (the test suites' `fcntl = import_module("fcntl")`).
fn qualified_name(cx: &Context, expr: &Expr) -> Option<String> {
    if let Some(q) = cx.semantic.resolve_qualified_name(expr) {
        return Some(q);
    }
    match expr {
        Expr::Attribute(a) => Some(format!("{}.{}", qualified_name(cx, &a.value)?, a.attr.as_str())),
        Expr::Name(n) => {
            let Stmt::Assign(assign) = single_assignment(cx, n)? else { return None };
            let Expr::Call(call) = assign.value.as_ref() else { return None };
            let importer = cx.semantic.resolve_qualified_name(&call.func)?;
            if !importer.ends_with("import_module") || call.arguments.len() != 1 {
                return None;
            }
            match call.arguments.args.first()? {
                Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The statement of the only binding of `name` where it is read, when that is a plain `name = ...` assignment
/// made in the scope that owns the name.
fn single_assignment<'a>(cx: &Context<'a>, name: &ast::ExprName) -> Option<&'a Stmt> {
    let model = cx.semantic;
    let binding = model.binding(model.resolve(name)?);
    let stmt = binding.stmt?;
    let alone = model.scope(binding.scope).bindings_of(binding.name).len() == 1;
    if binding.kind != BindingKind::Assignment || !alone || model.stmt_scope(stmt) != binding.scope {
        return None;
    }
    match model.stmt(stmt) {
        s @ Stmt::Assign(a) if a.targets.len() == 1 && a.targets[0].range() == binding.range => Some(s),
        _ => None,
    }
}

/// `parser.read_file` where `parser = configparser.ConfigParser()`, or `ConfigParser().read_file`.
fn is_consumer_method(cx: &Context, func: &Expr) -> bool {
    let Expr::Attribute(a) = func else { return false };
    let Some(factory) = receiver_factory(cx, &a.value) else { return false };
    CONSUMER_METHODS.iter().any(|(f, m)| *f == factory && *m == a.attr.as_str())
}

/// A callee pyfix cannot see whose name says it registers what it is given (`bus.subscribe(f)`).
fn is_registering(qualified: &str, method: Option<&str>, func: &Expr) -> bool {
    let last = match (method, func) {
        (Some(m), _) => m,
        (None, Expr::Name(n)) => n.id.as_str(),
        _ => qualified.rsplit('.').next().unwrap_or(qualified),
    };
    let last = last.trim_start_matches('_').to_ascii_lowercase();
    REGISTERING_PREFIXES.iter().any(|p| last.starts_with(p))
}

// ---------------------------------------------------------------------------------------------------------------
// Where a value goes.

/// What happens to a value (an open call's result, or a name holding one).
#[derive(Debug, PartialEq, Eq)]
enum Flow {
    /// Used up where it stands: a method call on it, an argument to a consumer, a comparison...
    Consumed,
    /// The `for` statement iterates it.
    Iterated,
    /// Closed (`.close()`) or handed to something that closes it (`with`, `enter_context`, `closing`).
    Managed,
    /// Bound to a local name (directly or through a wrapper such as `csv.reader`).
    Kept(String),
    /// Leaves the scope: returned, yielded, stored on an object or in a container.
    Escapes(String),
}

/// Follows the value of `node` (whose enclosing expressions are `exprs`) up to its statement `stmt`.
/// Also returns the first function pyfix cannot see that the value passed through (it may keep the file).
fn flow(cx: &Context, node: TextRange, exprs: &[&Expr], stmt: &Stmt) -> (Flow, Option<String>) {
    let mut unknown: Option<String> = None;
    let f = flow_inner(cx, node, exprs, stmt, &mut unknown);
    (f, unknown)
}

fn flow_inner(cx: &Context, node: TextRange, exprs: &[&Expr], stmt: &Stmt, unknown: &mut Option<String>) -> Flow {
    let mut cur = node;
    let mut i = exprs.len();
    while i > 0 {
        i -= 1;
        let parent = exprs[i];
        match parent {
            Expr::Attribute(a) if a.value.range() == cur => {
                let attr = a.attr.as_str();
                let called = i > 0 && matches!(exprs[i - 1], Expr::Call(c) if c.func.range() == parent.range());
                if attr == "close" && called {
                    return Flow::Managed;
                }
                if SAME_FILE_ATTRS.contains(&attr) {
                    cur = if called {
                        i -= 1;
                        exprs[i].range()
                    } else {
                        parent.range()
                    };
                    continue;
                }
                return Flow::Consumed;
            }
            Expr::Call(call) if call.func.range() == cur => return Flow::Consumed,
            Expr::Call(call) => {
                let callee = qualified_name(cx, &call.func);
                let callee_q = callee.as_deref().unwrap_or("");
                let method = match call.func.as_ref() {
                    Expr::Attribute(a) => Some(a.attr.as_str()),
                    _ => None,
                };
                // unittest's `self.assertEqual(f, ...)` and friends only look at their arguments.
                if CONSUMERS.contains(&callee_q)
                    || method.is_some_and(|m| m.starts_with("assert"))
                    || is_consumer_method(cx, &call.func)
                {
                    return Flow::Consumed;
                }
                if KEEPERS.contains(&callee_q) || method.is_some_and(|m| KEEPING_METHODS.contains(&m)) {
                    let shown = cx.source.slice(call.func.range());
                    return Flow::Escapes(format!("`{shown}()` keeps it for later use"));
                }
                if MANAGING_FUNCS.contains(&callee_q) || method.is_some_and(|m| MANAGING_METHODS.contains(&m)) {
                    return Flow::Managed;
                }
                if WRAPPERS.contains(&callee_q) {
                    cur = parent.range();
                    continue;
                }
                // "".join(f), b"".join(f): consumed at once.
                if method == Some("join")
                    && matches!(call.func.as_ref(), Expr::Attribute(a) if matches!(a.value.as_ref(), Expr::StringLiteral(_) | Expr::BytesLiteral(_)))
                {
                    return Flow::Consumed;
                }
                if let Some(m) = method.filter(|m| STORING_METHODS.contains(m)) {
                    return Flow::Escapes(format!("it is stored by `.{m}()`"));
                }
                if is_registering(callee_q, method, &call.func) {
                    let shown = cx.source.slice(call.func.range());
                    return Flow::Escapes(format!("`{shown}()` may register it to be used later"));
                }
                // `typing.cast(T, f)` is `f` itself.
                if callee_q == "typing.cast" {
                    cur = parent.range();
                    continue;
                }
                // Handed over for keeps: `self.set_socket(sock)`, `source.setByteStream(f)`,
                // `Shelf.__init__(self, db)`, `loop.create_server(sock=sock)`.
                let as_sock = call
                    .arguments
                    .keywords
                    .iter()
                    .any(|k| k.value.range() == cur && k.arg.as_ref().is_some_and(|a| a.as_str() == "sock"));
                if method.is_some_and(|m| is_setter(m) || m == "__init__") || as_sock {
                    let shown = cx.source.slice(call.func.range());
                    return Flow::Escapes(format!("`{shown}()` keeps it for later use"));
                }
                // Code pyfix cannot see: assume its result may hold the file, and follow it.
                unknown.get_or_insert_with(|| cx.source.slice(call.func.range()).to_string());
                cur = parent.range();
            }
            Expr::Tuple(_) | Expr::List(_) | Expr::Set(_) | Expr::Dict(_) | Expr::Starred(_) | Expr::BoolOp(_) => {
                cur = parent.range();
            }
            Expr::If(e) => {
                if e.test.range() == cur {
                    return Flow::Consumed;
                }
                cur = parent.range();
            }
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. }) => {
                if generators.first().is_some_and(|g| g.iter.range() == cur) {
                    return Flow::Consumed;
                }
                cur = parent.range();
            }
            Expr::Generator(_) => cur = parent.range(),
            Expr::Await(_) => cur = parent.range(),
            Expr::Yield(_) | Expr::YieldFrom(_) => return Flow::Escapes("it is yielded".into()),
            Expr::Named(_) => return Flow::Escapes("it is bound by `:=`".into()),
            Expr::Lambda(_) => return Flow::Escapes("a lambda captures it".into()),
            _ => return Flow::Consumed,
        }
    }
    match stmt {
        Stmt::Assign(a) if a.value.range() == cur => match a.targets.as_slice() {
            [Expr::Name(n)] => Flow::Kept(n.id.to_string()),
            [target] => Flow::Escapes(format!("it is stored in `{}`", cx.source.slice(target.range()))),
            _ => Flow::Escapes("it is assigned to several targets".into()),
        },
        Stmt::AnnAssign(a) if a.value.as_ref().is_some_and(|v| v.range() == cur) => match a.target.as_ref() {
            Expr::Name(n) => Flow::Kept(n.id.to_string()),
            target => Flow::Escapes(format!("it is stored in `{}`", cx.source.slice(target.range()))),
        },
        Stmt::AugAssign(a) if a.value.range() == cur => Flow::Escapes("it is stored by `+=`".into()),
        Stmt::Return(_) => Flow::Escapes("it is returned".into()),
        Stmt::For(f) if f.iter.range() == cur => Flow::Iterated,
        Stmt::With(w) if w.items.iter().any(|i| i.context_expr.range() == cur) => Flow::Managed,
        Stmt::Raise(_) => Flow::Escapes("it is raised".into()),
        _ => Flow::Consumed,
    }
}

/// Why evaluating `node` where it stands is conditional or deferred (so a `with` around the statement would open
/// it at another time), if it is.
fn deferred(node: TextRange, exprs: &[&Expr]) -> Option<&'static str> {
    let mut cur = node;
    for parent in exprs.iter().rev() {
        match parent {
            Expr::BoolOp(b) if b.values.first().is_some_and(|v| v.range() != cur) => {
                return Some("it is opened only when the `and`/`or` gets that far")
            }
            Expr::If(e) if e.test.range() != cur => return Some("it is opened only in one branch of a conditional"),
            Expr::Lambda(_) => return Some("it is opened inside a lambda"),
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. })
                if !generators.first().is_some_and(|g| g.iter.range() == cur) =>
            {
                return Some("it is opened once per item of a comprehension")
            }
            _ => {}
        }
        cur = parent.range();
    }
    None
}

// ---------------------------------------------------------------------------------------------------------------
// One statement.

fn check_statement(cx: &Context, site: Site, out: &mut Vec<Finding>) {
    let Site { scope, block, index: i, .. } = site;
    if !scope.may_open {
        return;
    }

    let stmt = &block[i];
    for (call, exprs, opener) in open_calls(cx, stmt) {
        if scope.is_quiet(cx, call.range()) {
            continue;
        }
        if let Some(f) = check_open(cx, site, call, &exprs, &opener) {
            out.push(f);
        }
    }
}

fn check_open(cx: &Context, site: Site, call: &ast::ExprCall, exprs: &[&Expr], resource: &Resource) -> Option<Finding> {
    let Site { scope, block, index: i, .. } = site;
    if wraps_file_object(cx, call, resource) || holds_nothing(cx, call, exprs, resource) {
        return None;
    }

    let stmt = &block[i];
    let range = call.range();
    let shown = format!("{}()", resource.shown);
    // "the file from `open()`", "the object from `sqlite3.connect()`"
    let what = if resource.names.first() == Some(&"f") { "file" } else { "object" };
    let (flow, unknown) = flow(cx, range, exprs, stmt);
    let unsafe_reason = unknown.as_ref().map(|callee| format!("`{callee}()` may keep the file for later use"));
    // `requests.session().get` alone (a test that the attribute exists): the object is dropped at once.
    if let (Stmt::Expr(e), [Expr::Attribute(a)]) = (stmt, exprs) {
        if e.value.range() == a.range && a.value.range() == range {
            return None;
        }
    }
    // Not a file, and dropped where it stands: `mmap.mmap(-1, n, tagname=t)[:]`, `urlopen(url, timeout=1)` as a
    // probe, `self.assertTrue(urlopen(url))`. Reference counting releases it at the end of the statement.
    if resource.names != FILE_NAMES {
        let dropped = match (stmt, exprs) {
            (Stmt::Expr(_), []) => true,
            (Stmt::Expr(e), [Expr::Subscript(x)]) => e.value.range() == x.range && x.value.range() == call.range(),
            (Stmt::Expr(e), [Expr::Call(c)]) => {
                e.value.range() == c.range()
                    && matches!(c.func.as_ref(), Expr::Attribute(a) if a.attr.as_str().starts_with("assert"))
                    && c.arguments.args.iter().any(|a| a.range() == call.range())
            }
            _ => false,
        };
        if dropped {
            return None;
        }
    }
    if let Some((_, connecting)) = LAZY_RESOURCES.iter().find(|(q, _)| *q == resource.shown) {
        // `requests.Session().headers`: never sends (a bare statement was left alone above).
        if matches!(exprs.last(), Some(Expr::Attribute(a)) if !connecting.contains(&a.attr.as_str())) {
            return None;
        }
    }
    match flow {
        Flow::Managed => None,
        Flow::Kept(name) if exprs.is_empty() => named_handle(cx, site, call, &name, resource),
        Flow::Kept(_) if unknown.as_deref().is_some_and(unknown_is_constructor) => {
            let callee = unknown.as_deref().unwrap_or_default();
            Some(Finding::without_fix(
                NAME,
                range,
                format!("the {what} from `{shown}` is never closed"),
                format!("`{callee}(...)` builds an object that likely keeps the file and uses it later"),
            ))
        }
        // `s = asyncore.dispatcher(socket.socket())`: a socket, connection or archive handed to unknown code whose
        // result is kept usually moves into that result (test_asyncore).
        Flow::Kept(name) if unknown.is_some() && resource.names != FILE_NAMES => {
            let callee = unknown.as_deref().unwrap_or_default();
            Some(Finding::without_fix(
                NAME,
                range,
                format!("the {what} from `{shown}` is never closed"),
                format!("`{callee}()` may keep it in what it returns, which `{name}` holds"),
            ))
        }
        Flow::Kept(_) if unsafe_reason.is_some() => {
            let message = format!("the {what} from `{shown}` is never closed");
            Some(inline_fix(cx, scope, stmt, call, exprs, resource, message, unsafe_reason))
        }
        Flow::Kept(name) => Some(Finding::without_fix(
            NAME,
            range,
            format!("the {what} from `{shown}` is kept open by `{name}`"),
            format!("`{name}` wraps the file; open it with `with` and use `{name}` inside the block"),
        )),
        Flow::Escapes(how) => escaping(scope, stmt, range, &format!("{what} from `{shown}`"), &how),
        Flow::Consumed | Flow::Iterated => {
            let message = format!("the {what} from `{shown}` is never closed");
            if let Some(why) = deferred(range, exprs) {
                return Some(Finding::without_fix(NAME, range, message, why));
            }
            Some(inline_fix(cx, scope, stmt, call, exprs, resource, message, unsafe_reason))
        }
    }
}

/// `return open(p)`, `self.f = open(p)`: the caller or the object owns the file; pyfix reports and does not fix,
/// unless the class closes that attribute somewhere.
fn escaping(scope: &Scope, stmt: &Stmt, range: TextRange, shown: &str, how: &str) -> Option<Finding> {
    if let Stmt::Assign(a) = stmt {
        if let [Expr::Attribute(attr)] = a.targets.as_slice() {
            let on_self = matches!(attr.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self");
            if on_self && scope.class_closes.as_ref().is_some_and(|c| c.closes(attr.attr.as_str())) {
                return None;
            }
        }
    }
    Some(Finding::without_fix(
        NAME,
        range,
        format!("the {shown} escapes: {how}"),
        "whoever receives the file must close it; pyfix cannot see that code",
    ))
}

/// `data = open(p).read()`, `for line in open(p):`, `json.load(open(p))`: wrap the statement in
/// `with open(p) as f:` and use `f` in place of the call.
#[allow(clippy::too_many_arguments)]
fn inline_fix(
    cx: &Context,
    scope: &Scope,
    stmt: &Stmt,
    call: &ast::ExprCall,
    exprs: &[&Expr],
    resource: &Resource,
    message: String,
    unsafe_reason: Option<String>,
) -> Finding {
    let range = call.range();
    let no_fix = |why: &str| Finding::without_fix(NAME, range, message.clone(), why.to_string());
    let allowed = matches!(
        stmt,
        Stmt::Expr(_)
            | Stmt::Assign(_)
            | Stmt::AugAssign(_)
            | Stmt::AnnAssign(_)
            | Stmt::Return(_)
            | Stmt::For(_)
            | Stmt::If(_)
            | Stmt::Assert(_)
            | Stmt::Delete(_)
            | Stmt::Raise(_)
    );
    if !allowed {
        return no_fix("pyfix cannot put a `with` around this kind of statement");
    }
    if let Stmt::If(s) = stmt {
        if !s.test.range().contains_range(range) {
            return no_fix("the call is in an `elif` test");
        }
    }
    let own_lines = match stmt {
        // A compound statement: its header starts a line and its body starts another.
        Stmt::For(ast::StmtFor { body, .. }) | Stmt::If(ast::StmtIf { body, .. }) => {
            cx.source.starts_line(stmt.start()) && body.first().is_some_and(|b| cx.source.starts_line(b.start()))
        }
        _ => cx.stands_alone(stmt.range()),
    };
    if !own_lines {
        return no_fix("the statement shares a line with another statement or with its body");
    }
    let mut inline_unsafe: Option<String> = None;
    let (head, import) = match resource.closing {
        Exit::WithName => {
            return no_fix("`with` would bind its path, not the object: name it and use `with name:`");
        }
        // `subprocess.Popen(cmd).wait()`: the code waits already.
        Exit::WithIf { methods, reason, on_error } => {
            if let Some(why) = on_error {
                inline_unsafe = Some(why.to_string());
            }
            let n = exprs.len();
            let waits = n >= 2
                && matches!(exprs[n - 1], Expr::Attribute(a) if a.value.range() == range && methods.contains(&a.attr.as_str()))
                && matches!(exprs[n - 2], Expr::Call(c) if c.func.range() == exprs[n - 1].range());
            if !waits {
                return no_fix(reason);
            }
            (format!("with {}", cx.source.slice(range)), None)
        }
        _ => match with_head(cx, scope, resource, call) {
            Ok(head) => head,
            Err(why) => return no_fix(&why),
        },
    };
    let mut unsafe_reason = unsafe_reason.or(inline_unsafe).or_else(|| resource.unproven());
    if contains_suspension(stmt) {
        unsafe_reason
            .get_or_insert_with(|| "the file now stays open while the code is suspended at `yield`/`await`".into());
    }
    if scope.kind == ScopeKind::Class {
        unsafe_reason.get_or_insert_with(|| "the `with` target becomes a class attribute".into());
    }
    let indent = cx.source.indent_at(stmt.start());
    let unit = cx.style.unit_below(indent).to_string();
    let le = cx.style.line_ending;
    // A lint comment asking for `with` on the line that held the call is now false.
    let same_line = cx.source.line_start(range.start()) == cx.source.line_start(stmt.end());
    let lint_edit = if same_line { lint_comment_edit(cx, stmt.end()) } else { None };
    // `open(p)` alone as a statement (tests of open's errors): `with open(p):` + `pass`.
    if matches!(stmt, Stmt::Expr(e) if e.value.range() == range) {
        // `pass` goes after the end of the line, so a trailing comment stays on the `with` line.
        let mut edits = vec![
            Edit::replace(range, format!("{head}:")),
            Edit::insert(cx.source.line_end(stmt.end()), format!("{le}{indent}{unit}pass")),
        ];
        edits.extend(lint_edit);
        edits.extend(import);
        return Finding::new(NAME, range, message, Fix::new("Open it in a `with` block", unsafe_reason, edits));
    }
    let name = scope.fresh_name(cx, resource.names);
    if let Some(fix) = hoisted(cx, scope, stmt, call, exprs, (&head, import.clone()), &name, unsafe_reason.clone()) {
        return Finding::new(NAME, range, message, fix);
    }
    let header = format!("{head} as {name}:{le}{indent}{unit}");
    // `(open(p)).read()`, `(open(p)\n .read())`: parentheses that only grouped the call chain go with it.
    let (replaced, text) = unparenthesized(cx, call, exprs, &name).unwrap_or((range, name.clone()));
    let mut edits = vec![Edit::insert(stmt.start(), header), Edit::replace(replaced, text)];
    edits.extend(lint_edit);
    edits.extend(import);
    // Re-indent the statement's other lines, but not the moved call's own lines.
    for e in cx.reindent(stmt.range(), &unit) {
        if !(replaced.start() < e.range.start() && e.range.start() <= replaced.end()) {
            edits.push(e);
        }
    }
    let title = format!("Wrap the statement in `with {} as {name}:`", short(cx.source.slice(range)));
    Finding::new(NAME, range, message, Fix::new(title, unsafe_reason, edits))
}

/// The start of the `with` line for `call` (`with X`, `with closing(X)`, `async with X`) and the import it needs;
/// `Err` with the reason when it cannot be written here.
fn with_head(
    cx: &Context,
    scope: &Scope,
    resource: &Resource,
    call: &ast::ExprCall,
) -> Result<(String, Option<Edit>), String> {
    let text = cx.source.slice(call.range());
    match resource.closing {
        Exit::Closing => {
            let (import, closing) = crate::imports::ensure_import(cx, "contextlib", Some("closing"))
                .ok_or("the name `closing` is taken, so `contextlib.closing` cannot be imported")?;
            Ok((format!("with {closing}({text})"), import))
        }
        Exit::AsyncWith => {
            let in_async = cx.semantic.scope(scope.id).function().is_some_and(|f| f.is_async);
            if in_async {
                Ok((format!("async with {text}"), None))
            } else {
                Err(format!("`{}()` is closed by `async with`, which needs an `async def`", resource.shown))
            }
        }
        Exit::With | Exit::WithName | Exit::WithIf { .. } => Ok((format!("with {text}"), None)),
    }
}

/// Methods that read what they need from the file at once and return plain data.
const READ_METHODS: &[&str] = &["read", "readlines", "readline", "read_text", "read_bytes"];

/// `setup(..., long_description=open("README.rst").read(), ...)` spanning several lines: rather than re-indent the
/// whole statement under a `with`, read the file into a fresh variable in a `with` block just before it. Only when
/// nothing the statement evaluates before the read can have side effects (the read now happens first).
#[allow(clippy::too_many_arguments)]
fn hoisted(
    cx: &Context,
    scope: &Scope,
    stmt: &Stmt,
    call: &ast::ExprCall,
    exprs: &[&Expr],
    (head, import): (&str, Option<Edit>),
    name: &str,
    unsafe_reason: Option<String>,
) -> Option<Option<Fix>> {
    let src = cx.source;
    let multi_line = src.line_start(stmt.start()) != src.line_start(stmt.end());
    let simple = matches!(stmt, Stmt::Expr(_) | Stmt::Assign(_) | Stmt::Return(_) | Stmt::AnnAssign(_));
    if !multi_line || !simple {
        return None;
    }
    // `open(p).read()`: the call, the attribute, the method call.
    let n = exprs.len();
    if n < 2 {
        return None;
    }
    let (Expr::Attribute(attr), Expr::Call(read)) = (exprs[n - 1], exprs[n - 2]) else { return None };
    if attr.value.range() != call.range()
        || read.func.range() != attr.range
        || !READ_METHODS.contains(&attr.attr.as_str())
        || !read.arguments.is_empty() && !read.arguments.args.iter().all(Expr::is_literal_expr)
    {
        return None;
    }
    // Only a multi-line call (not `x = open(p).read()` on several lines for another reason).
    if n < 3 || !matches!(exprs[n - 3], Expr::Call(_)) {
        return None;
    }
    if has_side_effects_before(stmt, read.range()) {
        return None;
    }
    let keyword = exprs
        .iter()
        .rev()
        .find_map(|e| match e {
            Expr::Call(c) => c.arguments.keywords.iter().find(|k| k.value.range() == read.range()),
            _ => None,
        })
        .and_then(|k| k.arg.as_ref().map(|a| a.as_str().to_string()));
    let candidates: Vec<&str> = keyword.as_deref().into_iter().chain(["content", "text_content"]).collect();
    let var = scope.fresh_name(cx, &candidates);
    if var == name {
        return None;
    }
    let indent = src.indent_at(stmt.start());
    let unit = cx.style.unit_below(indent);
    let le = cx.style.line_ending;
    let read_text = format!("{name}{}", src.slice(TextRange::new(call.end(), read.end())));
    let header = format!("{head} as {name}:{le}{indent}{unit}{var} = {read_text}{le}{indent}");
    let mut edits = vec![Edit::insert(stmt.start(), header), Edit::replace(read.range(), var.clone())];
    edits.extend(import);
    let title =
        format!("Read `{}` into `{var}` in a `with` block before the statement", short(src.slice(call.range())));
    Some(Fix::new(title, unsafe_reason, edits))
}

/// Something in `stmt` evaluated before `target` may have side effects (a call, an `await`, a walrus...).
fn has_side_effects_before(stmt: &Stmt, target: TextRange) -> bool {
    struct Effects {
        target: TextRange,
        found: bool,
    }
    impl<'a> Visitor<'a> for Effects {
        fn visit_expr(&mut self, e: &'a Expr) {
            if self.found || e.start() >= self.target.start() {
                return;
            }
            let encloses = e.range().contains_range(self.target);
            match e {
                Expr::Call(c) if encloses => {
                    // The call itself runs after its arguments; its callee and earlier arguments run before.
                    self.visit_expr(&c.func);
                    visitor::walk_arguments(self, &c.arguments);
                }
                Expr::Call(_) | Expr::Await(_) | Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Named(_) => {
                    self.found = true;
                }
                _ => visitor::walk_expr(self, e),
            }
        }
    }
    let mut v = Effects { target, found: false };
    visitor::walk_stmt(&mut v, stmt);
    v.found
}

/// When the call, or the chain of attribute accesses and calls on it, is wrapped in grouping parentheses:
/// the range from `(` to `)` and the text to put there (the chain with the call replaced by `name`, on one line).
fn unparenthesized(cx: &Context, call: &ast::ExprCall, exprs: &[&Expr], name: &str) -> Option<(TextRange, String)> {
    let src = cx.source;
    let text = src.text();
    // Parentheses that belong to a call's arguments or to a tuple/generator are not grouping ones.
    let owned = |open: usize| {
        exprs.iter().any(|e| match e {
            Expr::Call(c) => usize::from(c.arguments.start()) == open,
            Expr::Tuple(t) => t.parenthesized && usize::from(t.start()) == open,
            Expr::Generator(g) => g.parenthesized && usize::from(g.start()) == open,
            _ => false,
        })
    };
    let mut cur: TextRange = call.range();
    let mut found = None;
    for parent in exprs.iter().rev().map(|e| Some(*e)).chain([None]) {
        // Grouping parentheses around `cur`?
        let before = text[..usize::from(cur.start())].trim_end();
        let after = text[usize::from(cur.end())..].trim_start();
        if before.ends_with('(') && after.starts_with(')') && !owned(before.len() - 1) {
            let open = before.len() - 1;
            let close = text.len() - after.len();
            found = Some((cur, TextRange::new(TextSize::try_from(open).ok()?, TextSize::try_from(close + 1).ok()?)));
        }
        let Some(parent) = parent else { break };
        let chained = match parent {
            Expr::Attribute(a) => a.value.range() == cur,
            Expr::Call(c) => c.func.range() == cur,
            Expr::Subscript(s) => s.value.range() == cur,
            _ => false,
        };
        if !chained {
            break;
        }
        cur = parent.range();
    }
    let (inner, group) = found?;
    let chain = format!("{name}{}", src.slice(TextRange::new(call.end(), inner.end())));
    // Joined onto one line, unless that could change a string or drop a comment.
    let joined = if chain.contains('\n') || chain.contains('\r') {
        if chain.contains(['#', '"', '\'', '\\']) {
            return None;
        }
        chain.lines().map(str::trim).collect::<String>()
    } else {
        chain
    };
    Some((group, joined))
}

fn short(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 40 {
        let cut: String = one_line.chars().take(37).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

/// True when the statement (not nested functions) holds a `yield` or an `await`.
fn contains_suspension(stmt: &Stmt) -> bool {
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            if !matches!(s, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                visitor::walk_stmt(self, s);
            }
        }
        fn visit_expr(&mut self, e: &'a Expr) {
            match e {
                Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Await(_) => self.0 = true,
                Expr::Lambda(_) => {}
                _ => visitor::walk_expr(self, e),
            }
        }
    }
    let mut f = Finder(false);
    f.visit_stmt(stmt);
    if let Stmt::For(s) = stmt {
        f.0 |= s.is_async;
    }
    f.0
}

// ---------------------------------------------------------------------------------------------------------------
// `f = open(p)` followed by uses of `f`.

fn named_handle(cx: &Context, site: Site, call: &ast::ExprCall, name: &str, resource: &Resource) -> Option<Finding> {
    let shown = &format!("{}()", resource.shown);
    let Site { scope, block, index: i, stack } = site;

    let stmt = &block[i];
    let uses = scope.uses(cx, name);
    let after: Vec<&Occ> = uses.iter().filter(|o| o.range.start() >= stmt.end()).collect();

    // An `HTTPConnection` that never connects, a session that never sends: nothing to close. Any other use (passed
    // on, returned) may get that far.
    if let Some((_, connecting)) = LAZY_RESOURCES.iter().find(|(q, _)| *q == resource.shown) {
        // `conn.sock = FakeSocket(...)`: the test supplies the socket; the connection never opens one.
        let fake_socket = after.iter().any(|o| {
            matches!(o.exprs(cx).last(), Some(Expr::Attribute(a)) if a.attr.as_str() == "sock"
                && matches!(o.stmt(cx, stmt), Stmt::Assign(s) if s.targets.iter().any(|t| t.range() == a.range)))
        });
        if fake_socket {
            return None;
        }
        // A request the code expects to fail (`with self.assertRaises(ssl.SSLError): conn.request(...)`) leaves
        // nothing open either.
        let connects = after.iter().any(|o| match o.kind {
            OccKind::Load if scope.is_quiet(cx, o.range) => false,
            OccKind::Load => match o.exprs(cx).last() {
                Some(Expr::Attribute(a)) if a.value.range() == o.range => connecting.contains(&a.attr.as_str()),
                _ => true,
            },
            OccKind::Store | OccKind::Del => false,
        });
        if !connects {
            return None;
        }
    }

    if resource.shown == "tempfile.SpooledTemporaryFile" && spooled_in_memory(cx, call, stmt, &after) {
        return None;
    }

    // A process the code reaps and whose pipes it drains at once (`communicate()` without a timeout as the next
    // statement), or waits for when it has no pipes: nothing can leave before, and `Popen.__exit__` would have
    // nothing left to do.
    if resource.shown == "subprocess.Popen" && block.get(i + 1).is_some_and(|next| popen_finished(cx, call, next, name))
    {
        return None;
    }

    // Correct code, left alone: closed in a `finally`, managed by `with`/`closing`/`enter_context`, or its
    // `close` registered as a callback.
    for occ in &after {
        let stmt_of = occ.stmt(cx, stmt);
        let exprs = occ.exprs(cx);
        let (f, unknown) = flow(cx, occ.range, &exprs, stmt_of);
        let is_close_call = f == Flow::Managed && is_close_call(occ.range, &exprs);
        // Closed in a `finally`, or handed to a helper there (`_sync_close(f)`).
        if in_finally(cx, occ) && (is_close_call || unknown.is_some()) {
            return None;
        }
        // `except: f.close(); raise`: closed on error, deliberately kept open (owned by someone) on success.
        if is_close_call && in_except(cx, occ) {
            return None;
        }
        if f == Flow::Managed && !is_close_call {
            return None;
        }
        // `atexit.register(f.close)`, `self.addCleanup(tmpdir.cleanup)`: the bound method is handed over.
        if let Some(Expr::Attribute(a)) = exprs.last() {
            let called =
                exprs.len() >= 2 && matches!(exprs[exprs.len() - 2], Expr::Call(c) if c.func.range() == a.range);
            if matches!(a.attr.as_str(), "close" | "cleanup" | "shutdown" | "terminate" | "detach") && !called {
                return None;
            }
            // `sock.detach()`: the code takes the descriptor out; the object owns nothing after that.
            if a.attr.as_str() == "detach" && called && a.value.range() == occ.range {
                return None;
            }
        }
    }

    if closed_next(block, i, stack, name) {
        return None;
    }
    let closes_on_normal_path = after.iter().any(|o| is_close_call(o.range, &o.exprs(cx)));
    let message = if closes_on_normal_path {
        format!("`{name}` from `{shown}` is not closed if an exception is raised before `{name}.close()`")
    } else {
        format!("`{name}` from `{shown}` is never closed")
    };
    let range = call.range();
    let no_fix = |why: String| Some(Finding::without_fix(NAME, range, message.clone(), why));

    if scope.is_declared(cx, name) {
        return no_fix(format!("`{name}` is declared `global`/`nonlocal`, so the file outlives this scope"));
    }
    if scope.kind == ScopeKind::Class {
        return no_fix(format!("`{name}` is a class attribute"));
    }
    if matches!(stmt, Stmt::AnnAssign(_)) {
        return no_fix(format!("a `with` target cannot carry the annotation of `{name}`"));
    }
    if uses.iter().any(|o| o.captured) {
        return no_fix(format!("`{name}` is used by a nested function, lambda or generator, which may run later"));
    }
    if !cx.source.starts_line(stmt.start()) {
        return no_fix("the assignment shares its line with another statement".into());
    }

    let keep_close = !resource.exit_closes();
    let follow_methods = if resource.names.first() == Some(&"f") {
        Follow::Not
    } else if STRICT_RESULTS.contains(&resource.shown.as_str()) {
        Follow::Strictly
    } else {
        Follow::Weakly
    };
    match plan(cx, site, name, keep_close, follow_methods) {
        Ok(mut plan) => {
            // `con = sqlite3.connect(p)` and nothing else (a constructor test): `with ...: pass` is not what anyone
            // would write. A file opened for nothing still creates or truncates it: `with open(p, "w"): pass` is.
            if plan.last == i && follow_methods != Follow::Not {
                return no_fix(format!("nothing uses `{name}`; close it or drop the statement by hand"));
            }
            if let Some(why) = resource.unproven() {
                plan.unsafe_reason.get_or_insert(why);
            }
            let header = match resource.closing {
                Exit::WithIf { methods, reason, on_error } => {
                    if !calls_method(&block[i + 1..=plan.last], name, methods) {
                        return no_fix(reason.to_string());
                    }
                    if let Some(why) = on_error {
                        plan.unsafe_reason.get_or_insert_with(|| why.to_string());
                    }
                    Header::Replace(call, format!("with {}", cx.source.slice(call.range())), None)
                }
                // `t = TemporaryDirectory()` stays; `with t:` covers its uses, when the code removes the directory
                // itself on the normal path (otherwise its path may be used after the block).
                Exit::WithName if !calls_method(&block[i + 1..=plan.last], name, &["cleanup"]) => {
                    return no_fix(format!(
                        "the directory is removed when the block ends, and the code never calls `{name}.cleanup()`: \
                         its path may be used later"
                    ));
                }
                Exit::WithName if plan.last > i && !plan.split => Header::Before(call.range()),
                Exit::WithName => return no_fix(format!("nothing uses `{name}` on lines of its own")),
                _ => match with_head(cx, scope, resource, call) {
                    Ok((head, import)) => Header::Replace(call, head, import),
                    Err(why) => return no_fix(why),
                },
            };
            Some(with_block(cx, block, i, &plan, header, name, message))
        }
        // `with f:` after a join only where `__exit__` closes.
        Err(why) if resource.closing != Exit::With => no_fix(why),
        Err(why) => match after_join(cx, site, name, follow_methods) {
            Some((frame, mut plan)) => {
                if let Some(why) = resource.unproven() {
                    plan.unsafe_reason.get_or_insert(why);
                }
                Some(with_block(cx, frame.block, frame.index, &plan, Header::Before(call.range()), name, message))
            }
            None => no_fix(why),
        },
    }
}

/// How `plan` follows what methods of the object return (`cu = conn.cursor()`, `resp = conn.getresponse()`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Follow {
    /// A file's methods return plain data.
    Not,
    /// The result may need the open object: its later uses in the block stay in it, but it may outlive the block.
    Weakly,
    /// Closing the object closes the result too (`HTTPConnection.close()` closes its response): it must not
    /// outlive the block.
    Strictly,
}

/// Kinds whose `close()` also closes what their methods returned.
const STRICT_RESULTS: &[&str] = &["http.client.HTTPConnection", "http.client.HTTPSConnection"];

/// What the `with` block covers: `block[i..=last]`, less a trailing `name.close()` statement.
struct Plan {
    last: usize,
    close_stmt: Option<usize>,
    unsafe_reason: Option<String>,
    /// Statements joined by `;` on one line must be split (see `line_sharing`).
    split: bool,
}

/// Follows `name`, bound by `block[i]`, and the names that wrap it through the rest of `block`: where the `with`
/// block must end, and why it cannot be written (`Err`) or is unsafe.
/// `keep_close`: `name.close()` is not what the block's end does (`Pool.close()`): it stays where it is.
/// `follow_methods`: what a method of the object returns may depend on it (a connection's cursor, an archive's
/// member file): follow names bound to such results as strictly as the object.
fn plan(cx: &Context, site: Site, name: &str, keep_close: bool, follow_methods: Follow) -> Result<Plan, String> {
    let Site { scope, block, index: i, stack } = site;

    // The statement that rebinds `name` at this level ends this handle's life.
    let rebind = block[i + 1..].iter().position(|s| binds_name(s, name)).map(|k| i + 1 + k);
    let limit = rebind.unwrap_or(block.len());
    let index_of = |r: TextRange| block[..limit].iter().position(|s| s.range().contains_range(r));

    let stmt = &block[i];
    // Follow `name` and the names that wrap it (`reader = csv.reader(f)`) through the block.
    // `weak`: bound to what an unknown function returned; it may hold the file (so its uses stay in the block)
    // or not (so it may outlive the block: the fix is unsafe already).
    let mut tracked: Vec<(String, bool)> = vec![(name.to_string(), false)];
    let mut last = i;
    let mut close_stmt: Option<usize> = None;
    let mut nested_close = false;
    let mut unsafe_reason: Option<String> = None;
    let mut k = 0;
    while k < tracked.len() {
        let (tname, weak) = tracked[k].clone();
        k += 1;
        for occ in scope.uses(cx, &tname) {
            if stmt.range().contains_range(occ.range) {
                continue;
            }
            // `s = pickle.loads(pickle.dumps(s))`: the statement that rebinds the name still reads the object.
            if tname == name
                && occ.kind == OccKind::Load
                && rebind.is_some_and(|r| block[r].range().contains_range(occ.range))
            {
                return Err(format!("the statement that rebinds `{name}` still reads it"));
            }
            if occ.range.start() < stmt.end() {
                // An earlier binding, unless a loop carries it into this one.
                if let Some(lp) = innermost_loop(stack) {
                    if lp.range().contains_range(occ.range) {
                        return Err(format!("`{tname}` is used across loop iterations"));
                    }
                }
                continue;
            }
            if occ.captured && !weak {
                return Err(format!("`{tname}` is used by a nested function, lambda or generator"));
            }
            let Some(j) = index_of(occ.range) else {
                if rebind.is_some() && tname == name {
                    continue;
                }
                if rebind.is_some_and(|r| occ.range.start() >= block[r].start() && occ.range.end() <= block[r].end()) {
                    continue;
                }
                if weak {
                    continue;
                }
                return Err(format!("`{tname}` is used after the block that opens it"));
            };
            // The original closes the file there: what wraps it is used after the close in the original too.
            if tname != name && close_stmt.is_some_and(|c| j > c) {
                continue;
            }
            if occ.kind == OccKind::Store {
                let top_level_assign =
                    matches!(&block[j], Stmt::Assign(a) if a.targets.len() == 1 && a.targets[0].range() == occ.range);
                if tname == name || !top_level_assign {
                    return Err(format!("`{tname}` is rebound while the file is open"));
                }
                continue;
            }
            if occ.kind == OccKind::Del {
                // A `with` statement keeps the object alive to the block's end: `del` no longer frees it (a test
                // may check that it does).
                if tname == name {
                    return Err(format!("`del {name}` would no longer free the object: the `with` keeps it alive"));
                }
                last = last.max(j);
                continue;
            }
            let stmt_of = occ.stmt(cx, &block[j]);
            let exprs = occ.exprs(cx);
            let (f, unknown) = flow(cx, occ.range, &exprs, stmt_of);
            // `cu = conn.cursor()`: the cursor may need the open connection; its later uses in the block stay in
            // it (followed weakly: `rows = pool.map(...)` is plain data that may well be returned).
            // `select = selector.select`: a bound method holds the object; it must not outlive the block.
            if f == Flow::Consumed {
                if let Some(bound) = bound_method_name(stmt_of, occ.range, &exprs) {
                    if !tracked.iter().any(|(t, _)| *t == bound) {
                        tracked.push((bound, weak));
                    }
                }
            }
            if follow_methods != Follow::Not && f == Flow::Consumed && tname == name {
                if let Some(derived) = derived_name(stmt_of, occ.range, &exprs) {
                    if derived != tname && !tracked.iter().any(|(t, _)| *t == derived) {
                        tracked.push((derived, follow_methods == Follow::Weakly));
                    }
                }
            }
            if let Some(callee) = &unknown {
                if !weak {
                    unsafe_reason.get_or_insert(format!("`{tname}` is passed to `{callee}()`, which may keep it open"));
                }
            }
            match f {
                Flow::Consumed | Flow::Iterated => {}
                Flow::Managed => {
                    if tname == name && !keep_close && is_close_call(occ.range, &exprs) && close_stmt.is_none() {
                        // `try: f.write(x); f.close(); ...more...`: the `with` would wrap the whole `try` and keep
                        // a close in the middle of it; a reviewer would wrap only the statements that use the file.
                        if is_close_statement(&block[j], &exprs) {
                            close_stmt = Some(j);
                        } else {
                            nested_close = true;
                        }
                    }
                }
                Flow::Kept(other) => {
                    if other != tname && !tracked.iter().any(|(t, _)| *t == other) {
                        // A constructor (`StreamHandler(f)`) keeps what it is given: follow its result as strictly
                        // as a known wrapper's. A plain function's result may or may not hold the file.
                        // A socket or connection handed to unknown code usually moves into its result.
                        let weak_result = follow_methods == Follow::Not
                            && unknown.as_deref().is_some_and(|c| !unknown_is_constructor(c));
                        tracked.push((other, weak || weak_result));
                    }
                }
                Flow::Escapes(_) if weak => {}
                Flow::Escapes(how) => return Err(format!("`{tname}` escapes: {how}")),
            }
            last = last.max(j);
        }
    }

    if nested_close {
        return Err(format!(
            "the code closes `{name}` inside a nested block; a `with` would have to wrap the whole statement around it"
        ));
    }
    // Uses after an explicit close would now meet a closed file just the same, but keep the code simple to read:
    // the block ends at the close.
    if let Some(c) = close_stmt {
        if last > c {
            return Err(format!("`{name}` is used after `{name}.close()`"));
        }
    }
    // Another file opened inside the block and used after it (`fin = open(a)`, `fout = open(b)`, a copy loop,
    // `fin.close()`, `fout.close()`): the block covers its uses too, so that the next pass can put that file in a
    // `with` of its own. Closing the first file a little later changes nothing else.
    // Not when the code closes the first file itself before other work: closing it later than the code did may
    // change what that work sees (a socket built on the first one's descriptor); closing the other file is fine.
    let mut k = i + 1;
    let own_last = last;
    while k <= last {
        if let Some(other) = opened_name(cx, &block[k]) {
            if other != name {
                for occ in scope.uses(cx, other) {
                    if let Some(j) = index_of(occ.range) {
                        last = last.max(j);
                    }
                }
            }
        }
        k += 1;
    }
    let closes_other = |s: &Stmt| {
        s.is_expr_stmt()
            && statement_method_call(s, &["close"]).is_some_and(|(r, c)| r != name && c.arguments.is_empty())
    };
    if close_stmt.is_some_and(|c| last > own_last && !block[c + 1..=last].iter().all(closes_other)) {
        last = own_last;
    }
    let split = line_sharing(cx, block, i, last)?;
    Ok(Plan { last, close_stmt, unsafe_reason, split })
}

/// A `SpooledTemporaryFile` that stays a buffer in memory (no descriptor): every later use is an attribute of it,
/// nothing forces a rollover (`fileno()`, `rollover()`, `truncate` beyond the limit), and with a `max_size` of `N`
/// the literal bytes written add up to at most `N` (with none, it rolls over only when forced).
fn spooled_in_memory(cx: &Context, call: &ast::ExprCall, stmt: &Stmt, after: &[&Occ]) -> bool {
    let model = cx.semantic;
    let parent = model.stmt_id(stmt).and_then(|id| model.parent_stmt(id));
    let literal_int = |e: &Expr| match e {
        Expr::NumberLiteral(n) => n.value.as_int().and_then(ast::Int::as_u64),
        _ => None,
    };
    let limit = match call.arguments.find_argument_value("max_size", 0) {
        None => 0,
        Some(e) => match literal_int(e) {
            Some(n) => n,
            None => return false,
        },
    };
    let mut written = 0u64;
    for occ in after {
        // Rebound beside the open: what follows is another object.
        if occ.kind == OccKind::Store && occ.stmt.is_some_and(|id| model.parent_stmt(id) == parent) {
            break;
        }
        if occ.kind != OccKind::Load {
            return false;
        }
        let exprs = occ.exprs(cx);
        let n = exprs.len();
        let Some(Expr::Attribute(a)) = exprs.last() else { return false };
        let called = match n.checked_sub(2).map(|k| exprs[k]) {
            Some(Expr::Call(c)) if c.func.range() == a.range => Some(c),
            _ => None,
        };
        match (a.attr.as_str(), called) {
            ("fileno" | "rollover", _) => return false,
            ("truncate", Some(c)) => match c.arguments.args.first() {
                None => {}
                Some(size) if literal_int(size).is_some_and(|k| limit > 0 && k <= limit) => {}
                Some(_) => return false,
            },
            ("write", Some(c)) if limit > 0 => match c.arguments.args.first() {
                Some(Expr::BytesLiteral(b)) => written += b.value.bytes().count() as u64,
                Some(Expr::StringLiteral(t)) => written += t.value.to_str().len() as u64,
                _ => return false,
            },
            ("writelines", Some(_)) if limit > 0 => return false,
            _ => {}
        }
    }
    limit == 0 || written <= limit
}

/// `next` is `proc.communicate()` without a timeout (it drains the pipes and reaps the child), or `proc.wait()` for
/// a process started without `PIPE` streams.
fn popen_finished(cx: &Context, call: &ast::ExprCall, next: &Stmt, name: &str) -> bool {
    let at_level = |method: &str| {
        statement_method_call(next, &[method])
            .is_some_and(|(r, c)| r == name && c.arguments.find_keyword("timeout").is_none())
    };
    let pipes = ["stdin", "stdout", "stderr"].iter().any(|k| {
        call.arguments.find_keyword(k).is_some_and(|kw| {
            cx.source.slice(kw.value.range()).ends_with("PIPE") || !matches!(kw.value, Expr::Attribute(_))
        })
    });
    at_level("communicate") || (!pipes && at_level("wait"))
}

/// Some statement of `block` calls `name.<one of methods>()` at its own level (`proc.wait()`,
/// `out, err = proc.communicate()`): the code does that on the normal path.
fn calls_method(block: &[Stmt], name: &str, methods: &[&str]) -> bool {
    block.iter().any(|s| statement_method_call(s, methods).is_some_and(|(r, _)| r == name))
}

/// The statement is `x.method(...)` or `y = x.method(...)` for one of `methods`: `x` and the call.
fn statement_method_call<'s>(stmt: &'s Stmt, methods: &[&str]) -> Option<(&'s str, &'s ast::ExprCall)> {
    let value = match stmt {
        Stmt::Expr(e) => e.value.as_ref(),
        Stmt::Assign(a) => a.value.as_ref(),
        _ => return None,
    };
    let Expr::Call(call) = value else { return None };
    let Expr::Attribute(a) = call.func.as_ref() else { return None };
    let Expr::Name(receiver) = a.value.as_ref() else { return None };
    methods.contains(&a.attr.as_str()).then_some((receiver.id.as_str(), call))
}

/// `y = x.method(...)` or `y = x.attr.method(...)[k]` where `x` is at `at`: `y`.
fn derived_name(stmt: &Stmt, at: TextRange, exprs: &[&Expr]) -> Option<String> {
    let Stmt::Assign(a) = stmt else { return None };
    let [Expr::Name(target)] = a.targets.as_slice() else { return None };
    if exprs.first()?.range() != a.value.range() {
        return None;
    }
    // Every enclosing expression is an attribute access, call or subscript on the one inside it.
    let mut cur = at;
    for e in exprs.iter().rev() {
        let chained = match e {
            Expr::Attribute(x) => x.value.range() == cur,
            Expr::Call(x) => x.func.range() == cur,
            Expr::Subscript(x) => x.value.range() == cur,
            _ => false,
        };
        if !chained {
            return None;
        }
        cur = e.range();
    }
    Some(target.id.to_string())
}

/// An archive or compressed file built on a file object it was given (`GzipFile(fileobj=buf)`,
/// `ZipFile(io.BytesIO(data))`, `ZipFile(f)` after `f = open(p)`): closing it releases no descriptor.
fn wraps_file_object(cx: &Context, call: &ast::ExprCall, resource: &Resource) -> bool {
    if !WRAPPING_ARCHIVES.contains(&resource.shown.as_str()) {
        return false;
    }
    if call.arguments.find_keyword("fileobj").is_some_and(|k| !k.value.is_none_literal_expr()) {
        return true;
    }
    let is_file_object = |e: &Expr| match e {
        Expr::Call(c) => {
            opener(cx, c).is_some()
                || qualified_name(cx, &c.func).is_some_and(|q| matches!(q.as_str(), "io.BytesIO" | "io.StringIO"))
        }
        _ => false,
    };
    match call.arguments.args.first().or_else(|| call.arguments.find_keyword("file").map(|k| &k.value)) {
        // A method of a file-like class hands over the object itself (pip's lazy wheel: `ZipFile(self)`).
        Some(Expr::Name(n)) if n.id.as_str() == "self" => true,
        Some(Expr::Name(n)) => {
            matches!(single_assignment(cx, n), Some(Stmt::Assign(a)) if is_file_object(&a.value))
        }
        Some(e) => is_file_object(e),
        None => false,
    }
}

/// Objects that own no descriptor or connection where they stand: an anonymous `mmap.mmap(-1, n)` (plain memory,
/// no tag name), `urlopen("data:...")`, and `urlopen(url).read()`, which reads the response to its end and so
/// closes the connection.
fn holds_nothing(cx: &Context, call: &ast::ExprCall, exprs: &[&Expr], resource: &Resource) -> bool {
    let first = call.arguments.args.first();
    match resource.shown.as_str() {
        "mmap.mmap" => {
            let anonymous = match first {
                Some(Expr::UnaryOp(u)) => {
                    u.op == ast::UnaryOp::USub && cx.source.slice(u.operand.range()).trim() == "1"
                }
                _ => false,
            };
            anonymous && call.arguments.find_keyword("tagname").is_none() && call.arguments.args.len() < 4
        }
        "urllib.request.urlopen" => {
            let data_url = matches!(first, Some(Expr::StringLiteral(s)) if s.value.to_str().starts_with("data:"));
            let read_to_end = match exprs {
                [.., Expr::Call(read), Expr::Attribute(a)] => {
                    a.attr.as_str() == "read" && read.func.range() == a.range && read.arguments.is_empty()
                }
                _ => false,
            };
            data_url || read_to_end
        }
        // `Popen(args).communicate()`: drained and reaped where it stands.
        "subprocess.Popen" => match exprs {
            [.., Expr::Call(c), Expr::Attribute(a)] => {
                a.attr.as_str() == "communicate"
                    && c.func.range() == a.range
                    && c.arguments.find_keyword("timeout").is_none()
            }
            _ => false,
        },
        _ => false,
    }
}

/// `y = x.method` (not called) where `x` is at `at`: `y`, a bound method that holds `x`. Plain data attributes of
/// files and sockets (`name`, `mode`, `closed`, `family`, ...) are not followed.
fn bound_method_name(stmt: &Stmt, at: TextRange, exprs: &[&Expr]) -> Option<String> {
    const DATA_ATTRS: &[&str] =
        &["name", "mode", "closed", "encoding", "errors", "newlines", "family", "type", "proto", "timeout"];
    let Stmt::Assign(a) = stmt else { return None };
    let [Expr::Name(target)] = a.targets.as_slice() else { return None };
    match exprs {
        [Expr::Attribute(attr)] if attr.value.range() == at && a.value.range() == attr.range => {
            (!DATA_ATTRS.contains(&attr.attr.as_str())).then(|| target.id.to_string())
        }
        _ => None,
    }
}

/// `name = open(...)` (any known opener): the name.
fn opened_name<'a>(cx: &Context, stmt: &'a Stmt) -> Option<&'a str> {
    let Stmt::Assign(a) = stmt else { return None };
    let ([Expr::Name(n)], Expr::Call(call)) = (a.targets.as_slice(), a.value.as_ref()) else { return None };
    opener(cx, call).map(|_| n.id.as_str())
}

/// Statements are one per line except simple statements joined by `;` (`f = open(p); data = f.read()`), which the
/// fix splits: `Ok(true)` when some must be split. Statements after `block[last]` on its line are split off too.
fn line_sharing(cx: &Context, block: &[Stmt], i: usize, last: usize) -> Result<bool, String> {
    let shared = || Err("statements in the block share a line".to_string());
    let mut split = false;
    let mut k = i;
    while k < block.len() && (k <= last || !cx.source.starts_line(block[k].start())) {
        let s = &block[k];
        let compound = is_compound(s);
        if !cx.source.starts_line(s.start()) {
            if k == i || compound || cx.source.slice(TextRange::new(block[k - 1].end(), s.start())).trim() != ";" {
                return shared();
            }
            split = true;
        }
        if !cx.source.ends_line(s.end()) && !compound {
            // Only `; next statement` may follow.
            if block.get(k + 1).is_none_or(|n| cx.source.starts_line(n.start())) {
                return shared();
            }
        }
        k += 1;
    }
    Ok(split)
}

fn is_compound(s: &Stmt) -> bool {
    matches!(
        s,
        Stmt::If(_)
            | Stmt::For(_)
            | Stmt::While(_)
            | Stmt::With(_)
            | Stmt::Try(_)
            | Stmt::FunctionDef(_)
            | Stmt::ClassDef(_)
            | Stmt::Match(_)
    )
}

/// `f` bound in every branch that goes on (`if c: f = open(a)` / `else: f = open(b)`, or `try: f = open(a)` /
/// `except OSError: return ...` or `f = open(b)`) and used after the join: the `with f:` block goes after the
/// `if`/`try`, which stays as it is. Each branch either ends with the open (so nothing else in it can raise with the
/// file open) or leaves (`return`, `raise`, `continue`, `break`), and touches `f` nowhere else; a `try` has no
/// `else`/`finally` and its body ends with the open; an `if` has an `else`.
fn after_join<'a>(cx: &Context, site: Site<'_, 'a>, name: &str, follow_methods: Follow) -> Option<(Frame<'a>, Plan)> {
    let Site { scope, block, index: i, stack } = site;

    let (frame, outer) = stack.split_last()?;
    if i + 1 != block.len() {
        return None;
    }
    let uses = scope.uses(cx, name);
    // The branch ends with `name = <open>(...)` and uses `name` nowhere else, or leaves without touching it.
    let branch_ok = |body: &[Stmt], range: TextRange| {
        let Some(end) = body.last() else { return false };
        let elsewhere = uses.iter().any(|o| range.contains_range(o.range) && !end.range().contains_range(o.range));
        if elsewhere {
            return false;
        }
        let opens = opened_name(cx, end) == Some(name);
        let leaves = matches!(end, Stmt::Return(_) | Stmt::Raise(_) | Stmt::Continue(_) | Stmt::Break(_))
            && !uses.iter().any(|o| end.range().contains_range(o.range));
        opens || leaves
    };
    let branch_range = |body: &[Stmt]| match (body.first(), body.last()) {
        (Some(a), Some(b)) => TextRange::new(a.start(), b.end()),
        _ => TextRange::default(),
    };
    let joins = match frame.stmt() {
        Stmt::Try(t) => {
            let body_opens = t.body.last().is_some_and(|s| opened_name(cx, s) == Some(name));
            body_opens
                && branch_ok(&t.body, branch_range(&t.body))
                && t.orelse.is_empty()
                && t.finalbody.is_empty()
                && !t.is_star
                && t.handlers.iter().all(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    branch_ok(&h.body, h.range)
                })
        }
        Stmt::If(s) => {
            let has_else = s.elif_else_clauses.last().is_some_and(|c| c.test.is_none());
            has_else
                && branch_ok(&s.body, branch_range(&s.body))
                && s.elif_else_clauses.iter().all(|c| branch_ok(&c.body, branch_range(&c.body)))
        }
        _ => false,
    };
    if !joins {
        return None;
    }
    let plan =
        plan(cx, Site { scope, block: frame.block, index: frame.index, stack: outer }, name, false, follow_methods)
            .ok()?;
    (plan.last > frame.index).then_some((*frame, plan))
}

/// How the `with` line is written.
enum Header<'c> {
    /// `f = open(p)` becomes `with open(p) as f:`: the call, the start of the `with` line (`with open(p)`,
    /// `with closing(sqlite3.connect(p))`, `async with ...`) and the import that needs.
    Replace(&'c ast::ExprCall, String, Option<Edit>),
    /// `with f:` goes before the statement after `block[i]` (a `try` that opened `f` with the call at this range).
    Before(TextRange),
}

fn with_block(
    cx: &Context,
    block: &[Stmt],
    i: usize,
    plan: &Plan,
    header: Header,
    name: &str,
    message: String,
) -> Finding {
    let Plan { last, close_stmt, ref unsafe_reason, split } = *plan;
    let stmt = &block[i];
    let indent = cx.source.indent_at(stmt.start());
    let unit = cx.style.unit_below(indent).to_string();
    let le = cx.style.line_ending;
    let src = cx.source;
    let (mut edits, body_start, range) = match header {
        Header::Replace(call, ref head, ref import) => {
            let head = realigned(cx, call, head, indent);
            let mut edits = vec![Edit::replace(stmt.range(), format!("{head} as {name}:"))];
            edits.extend(import.clone());
            if src.ends_line(stmt.end()) {
                edits.extend(lint_comment_edit(cx, stmt.end()));
                edits.extend(blank_lines_before(cx, block, i, last));
            }
            (edits, stmt.end(), call.range())
        }
        Header::Before(call) => {
            let at = src.line_start(block[i + 1].start());
            // The range starts on the line before, so the first body line is re-indented too.
            (vec![Edit::insert(at, format!("{indent}with {name}:{le}"))], at - TextSize::from(1), call)
        }
    };
    let body_range = TextRange::new(body_start, block[last].end());
    let close = close_stmt.map(|c| &block[c]);
    let close_alone = close.is_some_and(|c| cx.stands_alone(c.range()));
    // `f.close(); return data`: the rest of the line leaves the block with the close.
    let close_ends_block_line =
        close.is_some_and(|c| close_stmt == Some(last) && src.starts_line(c.start()) && !src.ends_line(c.end()));
    let close_line = close.map(|c| cx.full_lines(c.range()));
    edits.extend(cx.reindent(body_range, &unit).into_iter().filter(|e| {
        !(close_alone || close_ends_block_line) || !close_line.is_some_and(|l| l.contains(e.range.start()))
    }));
    // Statements joined by `;`: each goes on a line of its own, inside the block up to `last`, after it outside.
    let mut skip_separator = None;
    if let (Some(c), Some(close)) = (close_stmt, close) {
        if close_alone {
            // Invariant: statements stand between the open and the close (`closed_next` leaves an open followed at
            // once by its close alone), so removing the close never empties the block.
            let mut line = cx.full_lines(close.range());
            // Keep a comment that trails the `close()` call, on a line of its own.
            let comment = src.slice(TextRange::new(close.end(), src.line_end(close.end()))).trim();
            // `use(f)`, a blank line, `f.close()`, a blank line: the block ends at `use(f)` and one blank line
            // stays after it, not two.
            let gap = TextRange::new(src.next_line_start(block[c - 1].end()), line.start());
            let blank_after = src.slice(TextRange::new(line.end(), src.next_line_start(line.end()))).trim().is_empty()
                && line.end() < src.text_len();
            if comment.is_empty() && c == last && !gap.is_empty() && src.slice(gap).trim().is_empty() && blank_after {
                line = TextRange::new(gap.start(), line.end());
            }
            let mut replacement = String::new();
            if !comment.is_empty() {
                replacement.push_str(&format!("{indent}{unit}{comment}"));
                // The last line of the file may have no line break.
                if src.slice(line).ends_with(['\n', '\r']) {
                    replacement.push_str(le);
                }
            }
            edits.push(Edit::replace(line, replacement));
        } else if !src.starts_line(close.start()) {
            // `data = f.read(); f.close()`
            edits.push(Edit::delete(TextRange::new(block[c - 1].end(), close.end())));
            skip_separator = Some(c);
        } else {
            // `f.close(); return data`
            edits.push(Edit::delete(TextRange::new(close.start(), block[c + 1].start())));
            skip_separator = Some(c + 1);
        }
    } else if last == i {
        // Nothing uses the file: an empty block. After the end of the line, so a trailing comment stays on the
        // `with` line.
        let at = if src.ends_line(stmt.end()) { src.line_end(stmt.end()) } else { stmt.end() };
        edits.push(Edit::insert(at, format!("{le}{indent}{unit}pass")));
    }
    if split {
        let mut k = i + 1;
        while k < block.len() && (k <= last || !src.starts_line(block[k].start())) {
            if !src.starts_line(block[k].start()) && skip_separator != Some(k) {
                let inner = if k <= last { unit.as_str() } else { "" };
                let separator = TextRange::new(block[k - 1].end(), block[k].start());
                edits.push(Edit::replace(separator, format!("{le}{indent}{inner}")));
            }
            k += 1;
        }
    }
    let title = match (&header, stmt) {
        (Header::Replace(..), _) => format!("Open `{name}` in a `with` block"),
        (Header::Before(_), Stmt::If(_)) => format!("Close `{name}` with a `with {name}:` block after the `if`"),
        (Header::Before(_), Stmt::Try(_)) => format!("Close `{name}` with a `with {name}:` block after the `try`"),
        (Header::Before(_), _) => format!("Clean up `{name}` with a `with {name}:` block"),
    };
    Finding::new(NAME, range, message, Fix::new(title, unsafe_reason.clone(), edits))
}

/// `x = f(a,\n      b)` becomes `with f(a,\n     b) as x:`: continuation lines aligned under the call's
/// arguments (deeper than the call's first column) move by as much as the call moved, so they stay aligned. Hanging
/// indents, lines inside strings and tab-indented lines stay as they are.
fn realigned(cx: &Context, call: &ast::ExprCall, head: &str, indent: &str) -> String {
    let src = cx.source;
    let text = src.slice(call.range());
    let Some(pos) = head.find(text) else { return head.to_string() };
    if !text.contains('\n') || head[..pos].contains('\n') {
        return head.to_string();
    }
    let old_col = (call.start() - src.line_start(call.start())).to_usize();
    let new_col = indent.len() + pos;
    if old_col == new_col || src.indent_at(call.start()).contains('\t') {
        return head.to_string();
    }
    let mut out = String::with_capacity(head.len() + 16);
    out.push_str(&head[..pos]);
    let mut offset = call.start();
    for (k, line) in text.split_inclusive('\n').enumerate() {
        let width = line.len() - line.trim_start_matches(' ').len();
        let aligned = k > 0 && width > old_col && !line.trim().is_empty() && !src.in_string(offset);
        if aligned && new_col > old_col {
            out.push_str(&" ".repeat(new_col - old_col));
            out.push_str(line);
        } else if aligned {
            out.push_str(&line[old_col - new_col..]);
        } else {
            out.push_str(line);
        }
        offset += TextSize::of(line);
    }
    out.push_str(&head[pos + text.len()..]);
    out
}

/// Blank lines between the open and the next statement of the block stay outside the block: they move above the
/// `with` line (or go, at the top of a block).
fn blank_lines_before(cx: &Context, block: &[Stmt], i: usize, last: usize) -> Vec<Edit> {
    let src = cx.source;
    if last == i {
        return Vec::new();
    }
    let gap = TextRange::new(src.next_line_start(block[i].end()), src.line_start(block[i + 1].start()));
    if gap.is_empty() || !src.slice(gap).trim().is_empty() {
        return Vec::new();
    }
    let mut edits = vec![Edit::delete(gap)];
    if i > 0 {
        edits.push(Edit::insert(src.line_start(block[i].start()), src.slice(gap)));
    }
    edits
}

/// The comment that ends the line at `end`, without the codes that asked for a `with` (`# noqa: SIM115`,
/// `# pylint: disable=consider-using-with`); the whole comment goes when nothing else is left. `None` when there is
/// nothing to change.
fn lint_comment_edit(cx: &Context, end: TextSize) -> Option<Edit> {
    let tail = TextRange::new(end, cx.source.line_end(end));
    let text = cx.source.slice(tail);
    let comment = text.trim_start();
    if !comment.starts_with('#') {
        return None;
    }
    let mut kept: Vec<String> = Vec::new();
    let mut changed = false;
    // `# noqa: SIM115 # handle managed explicitly`: the text after a directive that goes is its justification.
    let mut justification = false;
    for part in comment.split('#').map(str::trim).filter(|p| !p.is_empty()) {
        let lower = part.to_ascii_lowercase();
        let directive = lower.starts_with("noqa") || lower.starts_with("pylint:") || lower.starts_with("type:");
        if justification && !directive {
            continue;
        }
        justification = false;
        let (prefix, list, sep) = if lower.starts_with("noqa:") {
            ("noqa: ", &part[5..], ", ")
        } else if lower.starts_with("pylint:") && lower.contains("disable") && part.contains('=') {
            let eq = part.find('=').unwrap_or(part.len() - 1);
            (&part[..=eq], &part[eq + 1..], ",")
        } else {
            kept.push(part.to_string());
            continue;
        };
        let codes: Vec<&str> = list.split([',', ' ']).map(str::trim).filter(|c| !c.is_empty()).collect();
        let rest: Vec<&str> = codes
            .iter()
            .copied()
            .filter(|c| !matches!(c.to_ascii_lowercase().as_str(), "sim115" | "consider-using-with" | "r1732"))
            .collect();
        if rest.len() == codes.len() {
            kept.push(part.to_string());
            continue;
        }
        changed = true;
        if rest.is_empty() {
            justification = true;
        } else {
            kept.push(format!("{prefix}{}", rest.join(sep)));
        }
    }
    if !changed {
        return None;
    }
    let gap = &text[..text.len() - comment.len()];
    let new = if kept.is_empty() {
        String::new()
    } else {
        format!("{gap}{}", kept.iter().map(|k| format!("# {k}")).collect::<Vec<_>>().join("  "))
    };
    Some(Edit::replace(tail, new))
}

/// Nothing can raise between the open and `name.close()`: the close is the next statement, or the open ends a
/// `try` body and the close is the first statement of its `else` or the statement after the `try`.
fn closed_next(block: &[Stmt], i: usize, stack: &[Frame], name: &str) -> bool {
    let is_close = |s: &Stmt| {
        s.is_expr_stmt()
            && statement_method_call(s, &["close"]).is_some_and(|(r, c)| r == name && c.arguments.is_empty())
    };
    if let Some(next) = block.get(i + 1) {
        // `try: f.close() ...`: the close still runs first.
        return match next {
            Stmt::Try(t) => t.body.first().is_some_and(is_close),
            other => is_close(other),
        };
    }
    // The open is the last statement of its block: is that block a `try` body?
    let Some(frame) = stack.last() else { return false };
    let Stmt::Try(t) = frame.stmt() else { return false };
    if t.body.last().map(Ranged::range) != block.last().map(Ranged::range) || !t.finalbody.is_empty() {
        return false;
    }
    match t.orelse.first() {
        Some(first) => is_close(first),
        None => frame.block.get(frame.index + 1).is_some_and(is_close),
    }
}

/// `FileResponse`, `logging.StreamHandler`: a class, by the naming convention, whose instances keep their arguments;
/// or a wrapper by its name (`wrap_socket(sock)` returns an SSL socket that owns `sock`).
fn unknown_is_constructor(callee: &str) -> bool {
    let last = callee.rsplit('.').next().unwrap_or(callee);
    last.trim_start_matches('_').chars().next().is_some_and(char::is_uppercase) || last.contains("wrap")
}

/// `set_socket`, `setByteStream`: a setter stores what it is given.
fn is_setter(method: &str) -> bool {
    method.strip_prefix("set").is_some_and(|rest| rest.starts_with('_') || rest.starts_with(char::is_uppercase))
}

fn innermost_loop<'a>(stack: &[Frame<'a>]) -> Option<&'a Stmt> {
    stack.iter().rev().map(Frame::stmt).find(|s| matches!(s, Stmt::For(_) | Stmt::While(_)))
}

/// `name.close()`: the name at `range` with enclosing expressions `exprs`.
fn is_close_call(range: TextRange, exprs: &[&Expr]) -> bool {
    let n = exprs.len();
    n >= 2
        && matches!(exprs[n - 1], Expr::Attribute(a) if a.attr.as_str() == "close" && a.value.range() == range)
        && matches!(exprs[n - 2], Expr::Call(c) if c.func.range() == exprs[n - 1].range())
}

/// The statement is exactly `name.close()`.
fn is_close_statement(stmt: &Stmt, exprs: &[&Expr]) -> bool {
    matches!(stmt, Stmt::Expr(e) if exprs.len() == 2 && e.value.range() == exprs[0].range())
}

fn in_except(cx: &Context, occ: &Occ) -> bool {
    occ.within(cx).any(|s| match s {
        Stmt::Try(t) => t.handlers.iter().any(|h| h.range().contains_range(occ.range)),
        _ => false,
    })
}

fn in_finally(cx: &Context, occ: &Occ) -> bool {
    occ.within(cx).any(|s| match s {
        Stmt::Try(t) => t.finalbody.iter().any(|b| b.range().contains_range(occ.range)),
        _ => false,
    })
}

/// The statement (at its own level) assigns `name`.
fn binds_name(stmt: &Stmt, name: &str) -> bool {
    let is = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    match stmt {
        Stmt::Assign(a) => a.targets.iter().any(is),
        Stmt::AnnAssign(a) => a.value.is_some() && is(&a.target),
        _ => false,
    }
}
