//! Whether a function closes what it is given: `def _close(f): f.close()`, `with closing(conn): ...`. Which function a
//! call runs is the caller's question; this answers it for one parameter of one definition.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

/// `f` closes its parameter `param` and keeps it nowhere: some use is `param.close()`, `closing(param)` (any callee
/// named `closing`) or `with param:`, and every other use reads an attribute of it, calls a method on it or inspects
/// it (`isinstance(param, str)`); the parameter is not passed on, stored, returned, yielded, rebound or captured by
/// a nested function.
pub fn closes_parameter(f: &StmtFunctionDef, param: &str) -> bool {
    /// Builtins that look at their first argument and keep nothing of it.
    const INSPECTORS: [&str; 5] = ["isinstance", "hasattr", "type", "callable", "id"];
    struct Uses<'p> {
        param: &'p str,
        /// Ranges of the parameter's loads already judged (as a receiver, a `closing` argument, a `with` item).
        judged: Vec<TextRange>,
        closes: bool,
        other: bool,
    }
    impl<'a> Visitor<'a> for Uses<'_> {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            match s {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {
                    // A nested definition that mentions the parameter may keep it.
                    let mut inner = Uses { param: self.param, judged: Vec::new(), closes: false, other: false };
                    visitor::walk_stmt(&mut inner, s);
                    self.other |= inner.closes || inner.other;
                    return;
                }
                Stmt::With(w) => {
                    for item in &w.items {
                        if self.is_param(&item.context_expr) {
                            self.closes = true;
                            self.judged.push(item.context_expr.range());
                        }
                    }
                }
                _ => {}
            }
            visitor::walk_stmt(self, s);
        }
        fn visit_expr(&mut self, e: &'a Expr) {
            match e {
                Expr::Call(c) => {
                    // A check that only looks at it: `isinstance(f, str)`, `hasattr(f, "read")`.
                    if matches!(c.func.as_ref(), Expr::Name(n) if INSPECTORS.contains(&n.id.as_str())) {
                        if let Some(first) = c.arguments.args.first().filter(|a| self.is_param(a)) {
                            self.judged.push(first.range());
                        }
                    }
                    if let Expr::Attribute(a) = c.func.as_ref() {
                        if a.attr.as_str() == "close" && self.is_param(&a.value) {
                            self.closes = true;
                        }
                    }
                    let closing = match c.func.as_ref() {
                        Expr::Name(n) => n.id.as_str() == "closing",
                        Expr::Attribute(a) => a.attr.as_str() == "closing",
                        _ => false,
                    };
                    if closing {
                        if let [arg] = &*c.arguments.args {
                            if self.is_param(arg) {
                                self.closes = true;
                                self.judged.push(arg.range());
                            }
                        }
                    }
                }
                Expr::Attribute(a) if self.is_param(&a.value) => self.judged.push(a.value.range()),
                Expr::Name(n)
                    if n.id.as_str() == self.param && (!n.ctx.is_load() || !self.judged.contains(&n.range)) =>
                {
                    self.other = true;
                }
                _ => {}
            }
            visitor::walk_expr(self, e);
        }
    }
    impl Uses<'_> {
        fn is_param(&self, e: &Expr) -> bool {
            matches!(e, Expr::Name(n) if n.id.as_str() == self.param)
        }
    }
    let mut uses = Uses { param, judged: Vec::new(), closes: false, other: false };
    for s in &f.body {
        uses.visit_stmt(s);
    }
    uses.closes && !uses.other
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_ast::Stmt;

    fn first_def(src: &str) -> StmtFunctionDef {
        let parsed = ruff_python_parser::parse_module(src).unwrap();
        match parsed.into_syntax().body.into_iter().next() {
            Some(Stmt::FunctionDef(f)) => f,
            _ => panic!("no def"),
        }
    }

    #[test]
    fn closing_helpers_close() {
        let closes = |src: &str| closes_parameter(&first_def(src), "f");
        assert!(closes("def c(f):\n    try:\n        f.close()\n    except OSError:\n        pass\n"));
        assert!(closes("def c(f):\n    f.flush()\n    f.close()\n"));
        assert!(closes("def c(f):\n    with closing(f):\n        return f.read()\n"));
        assert!(closes("def c(f):\n    with f:\n        return f.read()\n"));
        assert!(!closes("def c(f):\n    return f.read()\n"));
        assert!(!closes("def c(f):\n    if isinstance(f, str):\n        return f\n    f.close()\n"));
        assert!(closes("def c(f):\n    if not isinstance(f, str):\n        f.close()\n"));
        assert!(!closes("def c(f):\n    if isinstance(f, str):\n        keep(f)\n    f.close()\n"));
        assert!(!closes("def c(f):\n    keep.append(f)\n    f.close()\n"));
        assert!(!closes("def c(f):\n    f.close()\n    return f\n"));
        assert!(!closes("def c(f):\n    def later():\n        f.close()\n    return later\n"));
    }
}
