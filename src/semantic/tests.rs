//! The semantic model on its own: Python's scoping rules, one case per test.

use super::*;

/// Parses `src` and hands the model to `f` (the model borrows the tree).
fn with_model(src: &str, f: impl FnOnce(&Semantic, &str)) {
    let parsed = ruff_python_parser::parse_module(src).expect("test source parses");
    let model = Semantic::new(parsed.syntax());
    f(&model, src);
}

/// The `n`th load (0-based, source order) of `name`.
fn load<'m, 'a>(m: &'m Semantic<'a>, name: &str, n: usize) -> &'m Reference<'a> {
    let mut loads: Vec<&Reference> = m.references.iter().filter(|r| r.name == name).collect();
    loads.sort_by_key(|r| r.range.start());
    loads.get(n).copied().unwrap_or_else(|| panic!("no load #{n} of `{name}`"))
}

/// The line (1-based) where the binding a load resolves to is made, or 0 for a builtin.
fn bound_on_line(m: &Semantic, src: &str, r: &Reference) -> usize {
    r.binding.map_or(0, |b| src[..m.binding(b).range.start().to_usize()].matches('\n').count() + 1)
}

#[test]
fn class_scope_is_not_visible_from_methods() {
    let src = "x = 1\nclass C:\n    x = 2\n    y = x\n    def m(self):\n        return x\n";
    with_model(src, |m, src| {
        assert_eq!(bound_on_line(m, src, load(m, "x", 0)), 3, "the class body sees its own x");
        assert_eq!(bound_on_line(m, src, load(m, "x", 1)), 1, "a method skips the class scope");
    });
}

#[test]
fn comprehension_targets_are_local_and_first_iterable_is_outside() {
    let src = "x = [1]\ndef f():\n    return [x for x in x]\n";
    with_model(src, |m, src| {
        // `[x for x in x]`: the element reads the comprehension's x, the iterable the module's.
        let elt = load(m, "x", 0);
        let iter = load(m, "x", 1);
        assert_eq!(m.scope(elt.scope).kind, ScopeKind::Comprehension);
        assert_eq!(m.binding(elt.binding.unwrap()).kind, BindingKind::ComprehensionTarget);
        assert_eq!(m.scope(iter.scope).kind, ScopeKind::Function);
        assert_eq!(bound_on_line(m, src, iter), 1);
    });
}

#[test]
fn class_names_are_not_visible_in_a_class_level_comprehension() {
    let src = "n = 0\nclass C:\n    n = 5\n    ys = [n for _ in range(3)]\n";
    with_model(src, |m, src| assert_eq!(bound_on_line(m, src, load(m, "n", 0)), 1));
}

#[test]
fn walrus_in_comprehension_binds_in_the_enclosing_function() {
    let src = "def f(xs):\n    if any((hit := x) > 3 for x in xs):\n        return hit\n";
    with_model(src, |m, _| {
        let hit = load(m, "hit", 0);
        let b = m.binding(hit.binding.expect("resolved"));
        assert_eq!(b.kind, BindingKind::NamedExpr);
        assert_eq!(m.scope(b.scope).kind, ScopeKind::Function);
    });
}

#[test]
fn global_declared_after_a_use_still_makes_the_name_global() {
    // CPython rejects a *use* before `global`, but an assignment earlier in the body still binds the global.
    let src = "counter = 0\ndef bump():\n    counter = 1\n    global counter\n\ndef read():\n    return counter\n";
    with_model(src, |m, src| {
        let module = m.scope(Semantic::MODULE);
        assert_eq!(module.bindings_of("counter").len(), 2, "the function's assignment binds the module's name");
        assert_eq!(bound_on_line(m, src, load(m, "counter", 0)), 3, "the last module binding");
        let f = m.scopes().find(|(_, s)| s.function().is_some_and(|f| f.name.as_str() == "bump")).unwrap().1;
        assert!(!f.binds("counter"));
        assert_eq!(f.declaration("counter"), Some(Declaration::Global));
    });
}

#[test]
fn nonlocal_binds_in_the_enclosing_function() {
    let src = "def outer():\n    n = 0\n    def inc():\n        nonlocal n\n        n += 1\n    inc()\n    return n\n";
    with_model(src, |m, _| {
        let outer = m.scopes().find(|(_, s)| s.function().is_some_and(|f| f.name.as_str() == "outer")).unwrap().1;
        assert_eq!(outer.bindings_of("n").len(), 2, "`n += 1` rebinds outer's n");
        let aug = load(m, "n", 0);
        assert_eq!(m.binding(aug.binding.unwrap()).kind, BindingKind::Assignment);
    });
}

#[test]
fn a_use_reads_the_binding_made_before_it() {
    let src = "def f(x):\n    x = x + 1\n    return x\n";
    with_model(src, |m, _| {
        assert_eq!(m.binding(load(m, "x", 0).binding.unwrap()).kind, BindingKind::Parameter);
        assert_eq!(m.binding(load(m, "x", 1).binding.unwrap()).kind, BindingKind::Assignment);
        let param = m.scopes().find_map(|(_, s)| s.bindings_of("x").first().copied()).unwrap();
        assert_eq!(m.binding(param).references.len(), 1);
    });
}

#[test]
fn nested_functions_see_the_last_binding_of_the_enclosing_scope() {
    let src = "def f():\n    def g():\n        return v\n    v = 1\n    v = 2\n    return g\n";
    with_model(src, |m, src| assert_eq!(bound_on_line(m, src, load(m, "v", 0)), 5));
}

#[test]
fn loop_targets_are_visible_in_the_loop_body() {
    let src = "x = 0\nfor x in range(3):\n    print(x)\n";
    with_model(src, |m, _| {
        assert_eq!(m.binding(load(m, "x", 0).binding.unwrap()).kind, BindingKind::LoopTarget);
    });
}

#[test]
fn qualified_names_follow_imports_and_aliases() {
    let src = "import socket as s\nimport os.path\nfrom sqlite3 import connect as c\nfrom . import sib\n\
               s.socket()\nos.path.join('a')\nc(':memory:')\nopen('f')\nsib.x\n";
    with_model(src, |m, _| {
        let calls: Vec<&Expr> = m.scope(Semantic::MODULE).facts.calls.iter().map(|c| c.func.as_ref()).collect();
        let names: Vec<Option<String>> = calls.iter().map(|e| m.resolve_qualified_name(e)).collect();
        assert_eq!(
            names,
            vec![
                Some("socket.socket".to_string()),
                Some("os.path.join".to_string()),
                Some("sqlite3.connect".to_string()),
                Some("builtins.open".to_string()),
            ]
        );
        let sib = load(m, "sib", 0);
        assert_eq!(m.binding(sib.binding.unwrap()).kind, BindingKind::FromImport(".sib".into()));
    });
}

#[test]
fn the_last_part_test_passes_every_call_whose_qualified_name_ends_so() {
    // Aliases, dotted imports, builtins, locals, a star import and a call result as the callee.
    let src = "import socket as s\nimport os.path\nimport copy\nfrom sqlite3 import connect as c\nfrom os import *\n\
               s.socket()\nos.path.join('a')\nc(':memory:')\nopen('f')\ncopy(1)\nx = 1\nx()\nx.join()\nf()()\n\
               undefined_name()\n";
    with_model(src, |m, _| {
        let calls: Vec<&Expr> = m.scope(Semantic::MODULE).facts.calls.iter().map(|c| c.func.as_ref()).collect();
        let lasts = ["socket", "join", "connect", "open", "copy", "x", "f", "undefined_name", "path"];
        for e in &calls {
            let last = m.resolve_qualified_name(e).and_then(|q| q.rsplit_once('.').map(|(_, l)| l.to_string()));
            for wanted in lasts {
                let may = m.may_end_with(e, |l| l == wanted);
                if last.as_deref() == Some(wanted) {
                    assert!(may, "{wanted}");
                }
            }
        }
        // What it rules out without resolving: another last part, a local, a dotless import.
        assert!(!m.may_end_with(calls[0], |l| l == "connect"), "s.socket");
        assert!(!m.may_end_with(calls[2], |l| l == "c"), "c is sqlite3.connect");
        assert!(m.may_end_with(calls[2], |l| l == "connect"));
        assert!(!m.may_end_with(calls[4], |l| l == "copy"), "`import copy` binds a dotless name");
        assert!(!m.may_end_with(calls[5], |l| l == "x"), "x is a local");
    });
}

#[test]
fn a_rebound_builtin_is_not_the_builtin() {
    let src = "def f(open):\n    return open('x')\n\ndef g():\n    return open('y')\n";
    with_model(src, |m, _| {
        let calls: Vec<Option<String>> =
            m.scopes().flat_map(|(_, s)| s.facts.calls.iter()).map(|c| m.resolve_qualified_name(&c.func)).collect();
        assert_eq!(calls, vec![None, Some("builtins.open".to_string())]);
    });
}

#[test]
fn star_imports_make_unknown_names_unknown() {
    let src = "from os import *\nopen('x')\n";
    with_model(src, |m, _| {
        let call = m.scope(Semantic::MODULE).facts.calls[0];
        assert_eq!(m.resolve_qualified_name(&call.func), None);
    });
}

#[test]
fn function_imports_are_local_bindings() {
    let src = "def f():\n    import io\n    return io.open('x')\n\ndef g():\n    return io.open('y')\n";
    with_model(src, |m, _| {
        let names: Vec<Option<String>> =
            m.scopes().flat_map(|(_, s)| s.facts.calls.iter()).map(|c| m.resolve_qualified_name(&c.func)).collect();
        assert_eq!(names, vec![Some("io.open".to_string()), None], "g's `io` is undefined, not an import");
    });
}

#[test]
fn statements_know_their_parents_and_scopes() {
    let src = "def f(p):\n    if p:\n        with open(p) as fh:\n            return fh.read()\n";
    with_model(src, |m, _| {
        let fh = load(m, "fh", 0);
        let ret = fh.stmt.unwrap();
        assert!(matches!(m.stmt(ret), Stmt::Return(_)));
        let kinds: Vec<&str> = m
            .ancestors(ret)
            .map(|s| match m.stmt(s) {
                Stmt::With(_) => "with",
                Stmt::If(_) => "if",
                Stmt::FunctionDef(_) => "def",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["with", "if", "def"]);
        assert_eq!(m.scope(m.stmt_scope(ret)).kind, ScopeKind::Function);
        assert_eq!(m.stmt_id(m.stmt(ret)), Some(ret));
        let path = m.expr_path(m.stmt(ret), fh.range);
        assert_eq!(path.len(), 2, "call, then attribute");
    });
}

#[test]
fn facts_record_calls_none_tests_and_generators() {
    let src =
        "def f(env=None, *, n):\n    if env is None:\n        env = {}\n    yield run(env)\n\ndef g():\n    helper()\n";
    with_model(src, |m, _| {
        let f = m.scopes().find(|(_, s)| s.function().is_some_and(|f| f.name.as_str() == "f")).unwrap().1;
        assert!(f.facts.none_tests.contains("env"));
        assert!(!f.facts.none_tests.contains("n"));
        assert!(f.facts.is_generator);
        assert_eq!(f.facts.calls.len(), 1);
        assert_eq!(f.bindings_of("n").len(), 1, "keyword-only parameters bind too");
        let g = m.scopes().find(|(_, s)| s.function().is_some_and(|f| f.name.as_str() == "g")).unwrap().1;
        assert!(!g.facts.is_generator);
    });
}

#[test]
fn lambda_and_defaults_scopes() {
    let src = "k = 1\ndef f(a=k, b=lambda k: k):\n    return a\n";
    with_model(src, |m, src| {
        assert_eq!(bound_on_line(m, src, load(m, "k", 0)), 1, "a default is evaluated outside the function");
        let lam = load(m, "k", 1);
        assert_eq!(m.scope(lam.scope).kind, ScopeKind::Lambda);
        assert_eq!(m.binding(lam.binding.unwrap()).kind, BindingKind::Parameter);
    });
}

#[test]
fn del_unbinds_and_except_names_bind() {
    let src = "x = 1\ndel x\ntry:\n    pass\nexcept ValueError as e:\n    print(e)\n";
    with_model(src, |m, _| {
        let del = m.references.iter().find(|r| r.kind == ReferenceKind::Del).unwrap();
        assert_eq!(m.binding(del.binding.unwrap()).kind, BindingKind::Assignment);
        assert_eq!(m.scope(Semantic::MODULE).bindings_of("x").len(), 2);
        assert_eq!(m.binding(load(m, "e", 0).binding.unwrap()).kind, BindingKind::ExceptHandler);
    });
}

#[test]
fn annotation_only_makes_a_name_local_but_unbound() {
    let src = "x = 1\ndef f():\n    x: int\n    return x\n";
    with_model(src, |m, _| assert_eq!(load(m, "x", 0).binding, None));
}

#[test]
fn match_captures_bind() {
    let src =
        "match v:\n    case [a, *rest]:\n        print(a, rest)\n    case {'k': b, **others}:\n        print(others)\n";
    with_model(src, |m, _| {
        for name in ["a", "rest", "others"] {
            assert_eq!(m.binding(load(m, name, 0).binding.unwrap()).kind, BindingKind::MatchCapture, "{name}");
        }
    });
}

#[test]
fn names_used_anywhere() {
    with_model("def f(a):\n    global g\n    return b.c\n", |m, _| {
        for n in ["f", "a", "g", "b"] {
            assert!(m.is_name_used(n), "{n}");
        }
        assert!(!m.is_name_used("c"), "attributes are not names");
    });
}
