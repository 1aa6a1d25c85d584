//! What the codemod knows about Python's standard library: the calls that open files and other resources, how each
//! is closed (`Exit`, `Resource`), and the functions that consume, keep, wrap or manage a file. What a method does
//! with its argument is `analyze::effects`'; telling what a call is lives in `callees.rs`; following a value, `flow.rs`.

/// The codemod's id, as `--select` and findings spell it.
pub(super) const NAME: &str = "bare-open";

/// Calls that return a new open file.
pub(super) const OPENERS: &[(&str, &str)] =
    &[("builtins.open", "open"), ("io.open", "io.open"), ("_io.open", "io.open"), ("codecs.open", "codecs.open")];

/// How a resource must be closed, by what its `__exit__` does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Exit {
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
    /// Its type is not fixed (`urlopen` returns whatever the installed opener's handlers return; a caller, or its
    /// test, may install one whose result has no `__enter__`): `with contextlib.closing(X) as x:` only where the code
    /// calls `x.close()` itself on the normal path (so the object has `close()`); otherwise no fix, for `reason`.
    ClosingIfClosed { reason: &'static str },
}

/// `urlopen` outside test code: the opener is whoever runs the code's choice.
pub(super) const URLOPEN_OPENER: Exit = Exit::ClosingIfClosed {
    reason: "`urlopen()` returns whatever the installed opener returns (a caller or its test may install one whose \
             result is no context manager), and the code never closes it",
};

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
pub(super) const RESOURCES: &[(&str, Exit, &[&str])] = &[
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
            reason: "`Popen.__exit__` waits for the process, and the code does not wait for it on every path",
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
pub(super) const RESOURCE_METHODS: &[(&str, &str, Exit, &[&str])] = &[
    ("ssl.create_default_context", "wrap_socket", Exit::With, &["ssock", "sock"]),
    ("ssl.SSLContext", "wrap_socket", Exit::With, &["ssock", "sock"]),
];

/// Objects that hold no connection until one of these methods runs: an `HTTPConnection` connects on its first
/// request, a `requests` session opens sockets only to send. One that never gets that far leaks nothing.
pub(super) const LAZY_RESOURCES: &[(&str, &[&str])] = &[
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
pub(super) const WRAPPING_ARCHIVES: &[&str] = &[
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

pub(super) const FILE_NAMES: &[&str] = &["f", "fh", "fp", "fobj"];

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
pub(super) struct Resource {
    /// How the call is shown in messages: `open`, `sqlite3.connect`.
    pub(super) shown: String,
    pub(super) closing: Exit,
    /// Names for a new `with` target, best first.
    pub(super) names: &'static [&'static str],
}

impl Resource {
    pub(super) fn file(shown: &str) -> Self {
        Resource { shown: shown.to_string(), closing: Exit::With, names: FILE_NAMES }
    }
    /// Its `__exit__` ends a transaction and leaves it open: `with conn:` on a `sqlite3` or `psycopg2` connection
    /// commits (or rolls back) and the connection stays open, so entering it is a use, not a close. (PyMySQL's and
    /// mysqlclient's connections close in `__exit__` in their current versions, and not in older ones: not listed.)
    pub(super) fn exit_only_commits(&self) -> bool {
        matches!(
            self.shown.as_str(),
            "sqlite3.connect" | "sqlite3.dbapi2.connect" | "sqlite3.Connection" | "psycopg2.connect"
        )
    }
    /// Why a fix for this kind is not `Safe` yet: a kind is proven once every one of its fixes on the corpus has been
    /// read and the misses found were mended (see `PROVEN`). Sockets, processes, pools, selectors and a project's
    /// own factories are not: their close order is often what the code (or its test) is about.
    pub(super) fn unproven(&self) -> Option<String> {
        (self.names != FILE_NAMES && !PROVEN.contains(&self.shown.as_str())).then(|| {
            format!(
                "the `{}()` object is now closed when the block ends; for this kind pyfix has not proven that nothing \
                 uses it later or depends on when it is closed",
                self.shown
            )
        })
    }
    /// An explicit `x.close()` does what the new block's end does, so the block replaces it.
    pub(super) fn exit_closes(&self) -> bool {
        match self.closing {
            Exit::With | Exit::Closing | Exit::ClosingIfClosed { .. } => true,
            Exit::WithIf { methods, .. } => methods.contains(&"close"),
            Exit::AsyncWith | Exit::WithName => false,
        }
    }
}
pub(super) const PATH_TYPES: &[&str] = &["pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath"];
/// Methods of a path that return a path.
pub(super) const PATH_METHODS: &[&str] =
    &["joinpath", "with_name", "with_suffix", "with_stem", "resolve", "absolute", "expanduser", "relative_to"];

/// Functions that use a file they are given and keep no reference to it.
pub(super) const CONSUMERS: &[&str] = &[
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
pub(super) const CONSUMER_METHODS: &[(&str, &str)] = &[
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
pub(super) const KEEPERS: &[&str] = &[
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

/// The first word of a callee that registers or installs what it is given, by common naming:
/// `bus.subscribe_file(f)`, `registerSink(f)`, `loop.add_signal_handler(..., f)`.
pub(super) const REGISTERING_PREFIXES: &[&str] =
    &["register", "subscribe", "attach", "install", "listen", "watch", "hook"];

/// Functions whose result wraps the file and keeps it: the result must be used inside the `with` too.
pub(super) const WRAPPERS: &[&str] = &[
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

/// Functions that take ownership of a file and close it later: the file is managed.
pub(super) const MANAGING_FUNCS: &[&str] =
    &["contextlib.closing", "weakref.finalize", "atexit.register", "ssl.wrap_socket"];

/// Attributes of a file that are (or return) the same underlying file.
pub(super) const SAME_FILE_ATTRS: &[&str] = &["buffer", "raw", "detach", "__enter__", "__iter__"];
