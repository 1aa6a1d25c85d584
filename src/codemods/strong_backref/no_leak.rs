//! Cycles that are no leak, so no finding at all: test code that builds them on purpose or lives for one test, owners
//! that live as long as the program (a module-level object, a cache never emptied) or that nothing but the cycle is
//! meant to keep (`nim = Nim(screen)`, never read), a cycle the class itself breaks when it is closed, objects whose
//! life tk decides (widgets, objects that hand tk their bound methods), one more entry of a container whose entries
//! point back by design, and a store that goes through a class-level descriptor (a model field).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::codemods::analyze::attributes::AttributeUseKind;
use crate::codemods::analyze::project::{module_global_named_outside_tests, Elsewhere};
use crate::semantic::{BindingId, BindingKind, Semantic};

use super::backref::{Candidate, Shape};
use super::module_index::{Member, Model};

/// Methods that end an object's use: a cycle one of them breaks is broken on the normal path.
pub(super) fn is_close_method(name: &str) -> bool {
    let n = name.trim_start_matches('_').to_ascii_lowercase();
    [
        "close",
        "destroy",
        "finish",
        "cleanup",
        "clean_up",
        "shutdown",
        "dispose",
        "release",
        "teardown",
        "terminate",
        "detach",
        "disconnect",
        "exit",
        // asyncio protocols: the transport calls these when the connection ends.
        "connection_lost",
        "call_connection_lost",
        "eof_received",
    ]
    .iter()
    .any(|w| n.starts_with(w))
}

/// tkinter and ttk widget classes (and the widget bases of tkinter's own modules).
fn is_tk_widget(name: &str) -> bool {
    [
        "Tk",
        "Toplevel",
        "Frame",
        "Widget",
        "BaseWidget",
        "Canvas",
        "Text",
        "Label",
        "Button",
        "Entry",
        "Listbox",
        "Scrollbar",
        "Menu",
        "Menubutton",
        "Message",
        "Radiobutton",
        "Checkbutton",
        "Scale",
        "Spinbox",
        "LabelFrame",
        "Labelframe",
        "PanedWindow",
        "Panedwindow",
        "OptionMenu",
        "Notebook",
        "Treeview",
        "Combobox",
        "Progressbar",
        "Separator",
        "Sizegrip",
        "LabeledScale",
        "ScrolledText",
    ]
    .contains(&name)
}

/// tkinter calls that register a callback with the Tcl interpreter, which keeps it until the widget is destroyed
/// (`after`, whose callback is dropped once it has run, is not one).
fn is_tk_registration(name: &str) -> bool {
    ["bind", "bind_all", "bind_class", "tag_bind", "protocol", "wm_protocol", "trace_add", "trace_variable"]
        .contains(&name)
}

/// Methods an asyncio transport calls on its protocol when the connection ends, whatever the user does: what they
/// drop is dropped on every normal path (a `close()` is the user's to call, and may never be).
fn is_end_callback(name: &str) -> bool {
    ["connection_lost", "_call_connection_lost", "eof_received"].contains(&name)
}

/// Words in the name of a class that stands in for another in a test or runs one (`FakeSocket`, `TestServerThread`,
/// `_ImporterMock`).
fn is_harness_name(name: &str) -> bool {
    ["Test", "Fake", "Mock", "Dummy", "Stub"].iter().any(|w| name.contains(w))
}

impl<'a> Model<'a, '_> {
    /// Why the cycle through `attr` of `class` (whose owner is `owner`, when it is an owner/child pair) is no leak.
    pub(super) fn no_leak(&self, class: usize, owner: Option<usize>, attr: &str) -> bool {
        (self.test_module && (self.is_harness(class) || attr == "__dict__"))
            || self.keeps_forever.is_some()
            || self.broken_on_close(class, owner, attr)
            || self.through_descriptor(class, attr)
            || owner.is_some_and(|o| self.lives_for_program(o) || self.kept_by_cycle_only(o))
    }

    /// The child lets go of its owner itself (`self._proactor = None` in a method other than `__init__`, in its class
    /// or a subclass), or the owner drops the child when its connection ends (`self._stream_writer = None` in
    /// `connection_lost()`): the class breaks the cycle on its normal path. A `close()` that a `__del__` calls does not
    /// count: the cycle keeps that `__del__` from running.
    pub(super) fn cycle_broken_by_class(
        &self,
        class: usize,
        owner: Option<usize>,
        attr: &str,
        evidence: TextRange,
    ) -> bool {
        let own: Vec<usize> = std::iter::once(class).chain(self.subclasses(class)).collect();
        let mut family = own.clone();
        family.extend(self.bases(class).0);
        if let Some(o) = owner {
            family.push(o);
            family.extend(self.bases(o).0);
        }
        // A `close()` that a `__del__` calls does not run while the cycle holds the object; other methods do.
        let finalizer = family.iter().any(|c| self.finalizer_closes(*c));
        let child_lets_go = own.iter().any(|&sub| {
            self.self_stores(sub, attr).iter().any(|(s, mi)| {
                let method = self.methods[*mi].def.name.as_str();
                method != "__init__"
                    && s.value.is_some_and(Expr::is_none_literal_expr)
                    && !(finalizer && is_close_method(method))
                    && !self.detaches(*mi, attr)
            })
        });
        child_lets_go
            || owner.is_some_and(|o| {
                // The owner's attribute that keeps the child: the store that holds the evidence.
                let forward = self.stores.iter().find_map(|s| {
                    let a = s.attribute()?;
                    let m = self.self_method(&a.value)?;
                    (self.methods[m].class == o && s.stmt.range().contains_range(evidence)).then_some(a.attr.as_str())
                });
                forward.is_some_and(|f| {
                    self.self_stores(o, f).iter().any(|(s, mi)| {
                        s.value.is_some_and(Expr::is_none_literal_expr)
                            && is_end_callback(self.methods[*mi].def.name.as_str())
                    })
                })
            })
    }

    /// tk decides how long the child or the owner lives, so a link back adds no cycle that matters:
    /// - its class derives, directly or through classes of the module, from `tkinter.Frame`, `ttk.Button`, ...:
    ///   widgets are already in cycles through `master` and `master.children`, which tk keeps until `destroy()`;
    /// - its class hands its own bound methods to tk (`text.bind("<<x>>", self.on_x)`, `top.protocol(...,
    ///   self.close)`, `Button(frame, command=self.go)`): the Tcl interpreter keeps them, and the object with them,
    ///   until the widget is destroyed;
    /// - the owner object is a widget, its class unknown: the child passes it as the master of a tkinter object
    ///   (`StringVar(root, '')`, `Toplevel(parent)`), which only a widget can be.
    pub(super) fn tk_widgets(&self, class: usize, owner: Option<usize>, owner_param: Option<BindingId>) -> bool {
        std::iter::once(class).chain(owner).any(|c| {
            std::iter::once(c).chain(self.bases(c).0).any(|k| {
                self.classes[k].def.bases().iter().any(|b| {
                    self.sem
                        .resolve_qualified_name(b)
                        .is_some_and(|q| q.starts_with("tkinter.") && is_tk_widget(q.rsplit('.').next().unwrap_or("")))
                })
            }) || (self.hands_bound_methods_to_tk(c) && !self.destroys_own_widget(c))
        }) || owner_param.is_some_and(|p| self.is_tk_master(p))
    }

    /// A method of `class` (or of an in-module base) destroys a widget the object keeps (`self.top.destroy()`, as a
    /// debugger window's `close()` does): tk lets go of the bound methods then, and the object lives on as long as
    /// its own links do, so a link back is a cycle again.
    fn destroys_own_widget(&self, class: usize) -> bool {
        let mut family = self.bases(class).0;
        family.push(class);
        self.calls.iter().any(|(call, stmt)| {
            let Some(m) = self.method_of(stmt) else { return false };
            if !family.contains(&self.methods[m].class) {
                return false;
            }
            let Some((&me, _)) = self.selves.iter().find(|(_, mi)| **mi == m) else { return false };
            matches!(call.func.as_ref(), Expr::Attribute(f) if f.attr.as_str() == "destroy"
                && matches!(f.value.as_ref(), Expr::Attribute(w) if self.binding_of_name(&w.value) == Some(me)))
        })
    }

    /// The parameter an owner/child pair's `self.parent = parent` stores: the owner object as the child sees it.
    pub(super) fn owner_param(&self, cand: &Candidate) -> Option<BindingId> {
        let (Shape::Owner { .. }, Some(name)) = (cand.shape, cand.param) else { return None };
        self.self_stores(cand.class, cand.attr).iter().find_map(|(s, _)| {
            let b = self.binding_of_name(s.value?)?;
            let binding = self.sem.binding(b);
            (binding.kind == BindingKind::Parameter && binding.name == name).then_some(b)
        })
    }

    /// A method of `class` (or of an in-module base) registers one of the object's bound methods with tk.
    fn hands_bound_methods_to_tk(&self, class: usize) -> bool {
        let mut family = self.bases(class).0;
        family.push(class);
        self.calls.iter().any(|(call, stmt)| {
            let Some(m) = self.method_of(stmt) else { return false };
            if !family.contains(&self.methods[m].class) {
                return false;
            }
            let Some((&me, _)) = self.selves.iter().find(|(_, mi)| **mi == m) else { return false };
            let registers = match call.func.as_ref() {
                Expr::Attribute(f) => is_tk_registration(f.attr.as_str()) && self.imports_tkinter(),
                _ => false,
            };
            let args = call.arguments.args.iter().filter(|_| registers);
            // `Button(frame, command=self.go)`, `button.configure(command=self.go)`.
            let takes_command = self.sem.resolve_qualified_name(&call.func).is_some_and(|q| q.starts_with("tkinter."))
                || (matches!(call.func.as_ref(), Expr::Attribute(f) if ["configure", "config"].contains(&f.attr.as_str()))
                    && self.imports_tkinter());
            let commands = call
                .arguments
                .keywords
                .iter()
                .filter(|k| takes_command && k.arg.as_ref().is_some_and(|a| a.as_str() == "command"));
            args.chain(commands.map(|k| &k.value)).any(|a| self.is_bound_method_of(a, me))
        })
    }

    /// The parameter is passed as the master of a tkinter object: `StringVar(root, '')`, `Toplevel(master=root)`.
    fn is_tk_master(&self, param: BindingId) -> bool {
        self.calls.iter().any(|(call, _)| {
            self.sem.resolve_qualified_name(&call.func).is_some_and(|q| {
                // `StringVar(root)`, `ttk.Frame(root)`; not `Tk(...)`, whose first argument is a display name.
                let name = q.rsplit('.').next().unwrap_or("");
                q.starts_with("tkinter.")
                    && name != "Tk"
                    && !name.ends_with("Error")
                    && name.chars().next().is_some_and(char::is_uppercase)
            }) && call
                .arguments
                .args
                .first()
                .into_iter()
                .chain(
                    call.arguments
                        .keywords
                        .iter()
                        .filter(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "master"))
                        .map(|k| &k.value),
                )
                .any(|a| self.binding_of_name(a) == Some(param))
        })
    }

    fn imports_tkinter(&self) -> bool {
        *self.tkinter.get_or_init(|| {
            self.cx.module.body.iter().any(|s| match s {
                Stmt::Import(i) => i.names.iter().any(|n| n.name.as_str().split('.').next() == Some("tkinter")),
                Stmt::ImportFrom(i) => {
                    i.level == 0 && i.module.as_ref().is_some_and(|m| m.as_str().split('.').next() == Some("tkinter"))
                }
                _ => false,
            })
        })
    }

    /// The owner keeps the child in a container that a class of the module fills with children made around its own
    /// `self` (`self._mock_children[name] = self._get_child_mock(parent=self)`): a parent/children structure whose
    /// entries point back by design, of which this child (`mock._mock_children[entry] = _SpecState(..., mock, ...)`)
    /// is one more entry. The owner is in that cycle whatever this link does, and the link keeps nothing the
    /// structure does not. Children of the candidate's own class do not count: that is this cycle, not another.
    pub(super) fn one_entry_of_cyclic_container(&self, cand: &Candidate<'a>) -> bool {
        if !matches!(cand.shape, Shape::Owner { .. }) {
            return false;
        }
        let Some(container) = self.keeping_container(cand.evidence) else { return false };
        let mut mine = vec![cand.class];
        mine.extend(self.subclasses(cand.class));
        // The owner's class, when known: the container must be its own (or a base's or subclass's).
        let owners = match cand.shape {
            Shape::Owner { owner: Some(o), .. } => {
                let mut v = vec![o];
                v.extend(self.bases(o).0);
                v.extend(self.subclasses(o));
                Some(v)
            }
            _ => None,
        };
        self.stores.iter().any(|s| {
            let Expr::Subscript(sub) = s.target else { return false };
            let Expr::Attribute(a) = sub.value.as_ref() else { return false };
            let Some(m) = self.self_method(&a.value) else { return false };
            let Some(me) = self.binding_of_name(&a.value) else { return false };
            let class = self.methods[m].class;
            if a.attr.as_str() != container
                || mine.contains(&class)
                || owners.as_ref().is_some_and(|o| !o.contains(&class))
            {
                return false;
            }
            let Some(value) = s.value else { return false };
            // `self.xs[k] = result` after `result = self._make_child(parent=self)` in the same method.
            let made = match value {
                Expr::Call(c) => Some(c),
                Expr::Name(_) => self.binding_of_name(value).and_then(|b| {
                    let b = self.sem.binding(b);
                    match b.stmt.map(|id| self.sem.stmt(id)) {
                        Some(Stmt::Assign(asg)) if b.scope == self.methods[m].scope => asg.value.as_call_expr(),
                        _ => None,
                    }
                }),
                _ => None,
            };
            made.is_some_and(|c| {
                self.instantiated(c).is_none_or(|k| !mine.contains(&k))
                    && c.arguments
                        .args
                        .iter()
                        .chain(c.arguments.keywords.iter().map(|k| &k.value))
                        .any(|x| self.binding_of_name(x) == Some(me))
            })
        })
    }

    /// The attribute whose container keeps the value made at `evidence`: `owner.xs[k] = <>`, or through one local
    /// name, `new = <>` ... `owner.xs[k] = new`.
    fn keeping_container(&self, evidence: TextRange) -> Option<&'a str> {
        let container = |t: &'a Expr| match t {
            Expr::Subscript(sub) => match sub.value.as_ref() {
                Expr::Attribute(a) => Some(a.attr.as_str()),
                _ => None,
            },
            _ => None,
        };
        let (_, stmt) = self.calls.iter().find(|(c, _)| c.range() == evidence)?;
        let Stmt::Assign(asg) = stmt else { return None };
        if asg.value.range() != evidence {
            return None;
        }
        let [target] = asg.targets.as_slice() else { return None };
        if let Some(k) = container(target) {
            return Some(k);
        }
        let Expr::Name(n) = target else { return None };
        let b = self.sem.binding_of(n)?;
        self.sem.binding(b).references.iter().find_map(|r| {
            let r = self.sem.reference(*r);
            self.stores.iter().find(|k| k.value.is_some_and(|v| v.range() == r.range)).and_then(|k| container(k.target))
        })
    }

    /// `remove()` takes the object out of its owner's container (`del self.parent.children[i]`,
    /// `self.parent.children.remove(self)`, `self.parent.children = rest`) before it lets go: it detaches one child from an owner that lives on,
    /// which is not the end of the structure's use.
    fn detaches(&self, method: usize, attr: &str) -> bool {
        let def = self.methods[method].def;
        let from_owner = |e: &Expr| {
            let mut e = e;
            loop {
                match e {
                    Expr::Attribute(a) if a.attr.as_str() == attr && self.self_method(&a.value) == Some(method) => {
                        return true
                    }
                    Expr::Attribute(a) => e = &a.value,
                    Expr::Subscript(x) => e = &x.value,
                    _ => return false,
                }
            }
        };
        let removes = self.calls.iter().any(|(c, _)| {
            def.range().contains_range(c.range())
                && matches!(c.func.as_ref(), Expr::Attribute(f)
                    if ["remove", "pop", "discard"].contains(&f.attr.as_str()) && from_owner(&f.value))
        });
        // `self.parent.children = l_children`
        let rewrites = self.stores.iter().any(|st| {
            def.range().contains_range(st.stmt.range())
                && match st.target {
                    Expr::Attribute(a) => from_owner(&a.value),
                    Expr::Subscript(x) => from_owner(&x.value),
                    _ => false,
                }
        });
        let mut deletes = Deletes { from_owner: &from_owner, found: false };
        deletes.visit_body(&def.body);
        removes || rewrites || deletes.found
    }

    /// A class of a test module that lives for one test: defined in a function, named for what it fakes or runs
    /// (`FakeSocket`, `TestServerThread`), or a subclass of a class from elsewhere standing in for it.
    fn is_harness(&self, class: usize) -> bool {
        let c = &self.classes[class];
        let in_function = self
            .sem
            .stmt_id(self.class_stmt(class))
            .is_some_and(|id| self.sem.enclosing_function(self.sem.stmt_scope(id)).is_some());
        in_function || is_harness_name(c.name()) || self.bases(class).1.is_some()
    }

    fn class_stmt(&self, class: usize) -> &'a Stmt {
        self.sem.stmt(self.sem.binding(self.binding_of_class(class)).stmt.expect("a class is bound by its statement"))
    }

    fn binding_of_class(&self, class: usize) -> BindingId {
        *self.class_of_binding.iter().find(|(_, c)| **c == class).expect("every class has a binding").0
    }

    /// `self.initial_focus = None` in `destroy()`, `del root.__dnd` in `finish()`: the class (or the owner's)
    /// breaks the cycle itself when its use ends. Not where a class's `__del__` calls its `close()`: it expects to be
    /// dropped without being closed, and the cycle keeps that `__del__` from running on the last reference.
    fn broken_on_close(&self, class: usize, owner: Option<usize>, attr: &str) -> bool {
        let mut classes = vec![class];
        classes.extend(self.bases(class).0);
        if let Some(o) = owner {
            classes.push(o);
            classes.extend(self.bases(o).0);
        }
        if classes.iter().any(|c| self.finalizer_closes(*c)) {
            return false;
        }
        self.cx.attributes().uses(attr).any(|u| {
            let clears = match u.kind {
                AttributeUseKind::Delete => true,
                AttributeUseKind::Store { value: Some(v) } => v.is_none_literal_expr(),
                _ => false,
            };
            clears
                && self.method_of(u.stmt).is_some_and(|m| {
                    classes.contains(&self.methods[m].class) && is_close_method(self.methods[m].def.name.as_str())
                })
        })
    }

    /// `def __del__(self): self.close()`: the class expects to be dropped without being closed.
    fn finalizer_closes(&self, class: usize) -> bool {
        let Some(Member::Method(del)) = self.classes[class].members.get("__del__") else { return false };
        self.calls.iter().any(|(c, _)| {
            del.range().contains_range(c.range())
                && matches!(c.func.as_ref(), Expr::Attribute(f) if self.self_method(&f.value).is_some()
                    && is_close_method(f.attr.as_str()))
        })
    }

    /// The method (with a `self`) whose body holds `stmt`.
    fn method_of(&self, stmt: &Stmt) -> Option<usize> {
        let scope = self.sem.enclosing_function(self.sem.stmt_scope(self.sem.stmt_id(stmt)?))?;
        self.methods.iter().position(|m| m.scope == scope)
    }

    /// `base = models.ForeignKey(...)` in the class body: `self.base = self` goes through the field's descriptor,
    /// not into the instance's dictionary.
    fn through_descriptor(&self, class: usize, attr: &str) -> bool {
        std::iter::once(class).chain(self.bases(class).0).any(|c| match self.classes[c].members.get(attr) {
            Some(Member::Value(Stmt::Assign(a))) => match a.value.as_ref() {
                Expr::Call(call) => !self
                    .sem
                    .resolve_qualified_name(&call.func)
                    .is_some_and(|q| q.starts_with("builtins.") || q.starts_with("collections.")),
                _ => false,
            },
            _ => false,
        })
    }

    /// Every object of the owner's class is made at module level (`Logger.manager = Manager(Logger.root)`): the
    /// owner lives as long as the program, so a link back to it keeps nothing that would otherwise be freed.
    /// Not when another module of the project names the class: it may make more of them.
    fn lives_for_program(&self, owner: usize) -> bool {
        let mut made = self.made(owner).peekable();
        made.peek().is_some()
            && made.all(|(c, stmt)| {
                let Stmt::Assign(a) = stmt else { return false };
                a.value.range() == c.range()
                    && self.sem.stmt_id(stmt).is_some_and(|id| self.sem.stmt_scope(id) == Semantic::MODULE)
                    && a.targets.iter().all(|t| self.never_unbound(t))
            })
            // Asked last: it may read the project.
            && module_global_named_outside_tests(self.cx, self.classes[owner].name()) == Elsewhere::No
    }

    /// `manager = Manager()` bound once at module level and never deleted or rebound (`Logger.manager = ...`, an
    /// attribute of a module-level object, counts as kept).
    fn never_unbound(&self, target: &Expr) -> bool {
        match target {
            Expr::Name(n) => {
                let bindings = self.sem.scope(Semantic::MODULE).bindings_of(n.id.as_str());
                bindings.len() == 1 && self.sem.binding(bindings[0]).kind == BindingKind::Assignment
            }
            Expr::Attribute(a) => matches!(a.value.as_ref(), Expr::Name(_)),
            _ => false,
        }
    }

    /// Every object of the owner's class is made by a function that keeps neither it nor anything built from it
    /// (`nim = Nim(screen)` never read, `gs = GravSys(); Star(gs)` ... `return "Done!"`): what keeps the structure
    /// alive is the cycle (or callbacks it registered elsewhere), on purpose; it is not a leak.
    fn kept_by_cycle_only(&self, owner: usize) -> bool {
        let mut made = self.made(owner).peekable();
        made.peek().is_some()
            && made.all(|(c, stmt)| match stmt {
                Stmt::Expr(e) => e.value.range() == c.range() && self.in_function(stmt),
                Stmt::Assign(a) if a.value.range() == c.range() && a.targets.len() == 1 => {
                    let Some(b) = self.binding_of_target(stmt, &a.targets[0]) else { return false };
                    self.in_function(stmt) && self.structure_dies(b)
                }
                _ => false,
            })
    }

    fn in_function(&self, stmt: &Stmt) -> bool {
        self.sem.stmt_id(stmt).is_some_and(|id| self.sem.enclosing_function(self.sem.stmt_scope(id)).is_some())
    }

    /// The binding that `target = ...` in `stmt` makes, for a plain name.
    fn binding_of_target(&self, stmt: &Stmt, target: &Expr) -> Option<BindingId> {
        let Expr::Name(n) = target else { return None };
        let scope = self.sem.scope(self.sem.stmt_scope(self.sem.stmt_id(stmt)?));
        scope.bindings_of(n.id.as_str()).iter().copied().find(|b| self.sem.binding(*b).range == n.range())
    }

    /// The local `b` dies with its function, and it is only used as the receiver of its own methods (`gs.init()`)
    /// or passed to a class of the module whose new object dies with the function too (`sun = Star(..., gs)`).
    fn structure_dies(&self, b: BindingId) -> bool {
        if !self.dies_with_function(b) {
            return false;
        }
        self.sem.binding(b).references.iter().all(|r| {
            let r = self.sem.reference(*r);
            let Some(stmt) = r.stmt.map(|s| self.sem.stmt(s)) else { return false };
            let path = self.sem.expr_path(stmt, r.range);
            if path.iter().any(|e| matches!(e, Expr::Attribute(a) if a.value.range() == r.range)) {
                return true;
            }
            let Some(call) = path.iter().find_map(|e| match e {
                Expr::Call(c)
                    if c.arguments
                        .args
                        .iter()
                        .chain(c.arguments.keywords.iter().map(|k| &k.value))
                        .any(|a| a.range() == r.range) =>
                {
                    Some(c)
                }
                _ => None,
            }) else {
                return false;
            };
            self.instantiated(call).is_some()
                && match stmt {
                    Stmt::Expr(e) => e.value.range() == call.range(),
                    Stmt::Assign(a) if a.value.range() == call.range() && a.targets.len() == 1 => {
                        self.binding_of_target(stmt, &a.targets[0]).is_some_and(|x| self.dies_with_function(x))
                    }
                    _ => false,
                }
        })
    }
}

/// A `del` of an item of a container reached from the owner (`del self.parent.children[i]`).
struct Deletes<'f, F: Fn(&Expr) -> bool> {
    from_owner: &'f F,
    found: bool,
}

impl<'a, F: Fn(&Expr) -> bool> Visitor<'a> for Deletes<'_, F> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::Delete(d) = stmt {
            self.found |= d.targets.iter().any(|t| matches!(t, Expr::Subscript(x) if (self.from_owner)(&x.value)));
        }
        visitor::walk_stmt(self, stmt);
    }
}
