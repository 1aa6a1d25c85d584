//! The codemod's id and the builtins it knows: which are pure, which never return `None`.

/// The codemod's id, as `--select` and findings spell it.
pub(super) const NAME: &str = "unbounded-cache";

/// Builtins whose result depends only on their arguments.
pub(super) const PURE_BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "bool",
    "chr",
    "divmod",
    "float",
    "frozenset",
    "int",
    "isinstance",
    "len",
    "max",
    "min",
    "ord",
    "pow",
    "range",
    "repr",
    "reversed",
    "round",
    "sorted",
    "str",
    "sum",
    "tuple",
    "zip",
    "enumerate",
    "hash",
];

/// Builtins that never return `None`.
pub(super) const NEVER_NONE_BUILTINS: &[&str] = &[
    "bool",
    "bytes",
    "dict",
    "float",
    "frozenset",
    "int",
    "len",
    "list",
    "repr",
    "set",
    "sorted",
    "str",
    "tuple",
    "abs",
    "round",
    "sum",
    "hash",
    "ord",
    "chr",
    "object",
];
