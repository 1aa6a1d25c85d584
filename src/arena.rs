//! A per-thread bump arena for the tree the driver parses for each file (issue 18: the parser allocates every node,
//! and freeing a tree node by node cost as much as a tenth of a run).
//!
//! `Arena<A>` wraps the global allocator `A`. While a thread is in "arena mode" (only inside [`parsing`], which the
//! engine calls around its own `parse_module` of the file it checks), allocations come from the thread's bump region;
//! everywhere else they go to `A`. Freeing a pointer that lies in any thread's region is a no-op (but for the last
//! block, whose bytes serve again); reallocating one copies it (into the region in arena mode, else into `A`). The
//! engine keeps the tree in a [`Tree`], which forgets it instead of walking it to free every node, and the region is
//! reset when the outermost [`Scope`] of the thread ends.
//!
//! Large requests in arena mode (`LARGE` bytes and more: the tokens, the parser's growing buffers, a long body's
//! statements) are not bumped: each outgrown copy of a growing buffer would stay behind in the region (40 % of the
//! region over the corpus). They come from `A` and are noted in the thread's `large` slots; freeing one takes it off;
//! those still noted when the scope ends (the forgotten tree's) are given back to `A` then.
//!
//! The regions are slots of one address range reserved once (`MAP_NORESERVE`: pages become memory only when touched),
//! so "is this pointer the arena's" is one subtraction and one comparison for every thread, whichever thread frees it.
//! Where the range cannot be reserved (a system that does not overcommit, not a Unix), the arena stays off: every
//! request goes to `A` and every tree is dropped the ordinary way.
//!
//! Soundness rests on this: everything allocated in arena mode is used by its thread only (a noted block freed on
//! another thread would be freed again when the scope ends: `Tree` is neither `Send` nor `Sync`) and is dead when
//! the thread's outermost scope ends. Nothing may be cloned out of the tree to be kept past the file: a long
//! `Name` shares its text with the tree (a reference-counted block), so keep `name.to_string()`, never `name.clone()`. What is allocated in arena mode is what `parse_module` allocates for one file, and
//! what [`parsing`] is given to run on its tree right after (the strings the tree computes lazily, see
//! `engine::analyze`): the parser's temporaries (freed inside the call), the tokens (dropped by `into_syntax` in the
//! scope), a parse error (dropped in the scope), and the tree, owned by a `Tree` that the scope outlives and that no
//! one can move out of (the engine hands out `&` only). The parser and the AST crate keep nothing across calls (no
//! statics or thread-locals are initialised by parsing: the one `LazyLock` in ruff_python_ast, the quote-prefix
//! matcher, is not used by the parser). The tree's one lazily filled part, the text of an implicitly concatenated
//! string (`OnceLock<Box<str>>`), is filled in arena mode before the tree is used: filled later it would come from `A`
//! and be lost with the forgotten tree. A panic while the region is in use (its payload may live in the region, as may
//! anything a panic hook set up) retires the thread's region: it is never reset nor reused, so nothing in it can be
//! overwritten. Zero-sized requests, alignments above a page, a file whose tree outgrows its slot, large blocks beyond
//! the slots and threads beyond the slots go to `A` un-noted ("spilled"); a tree with any such part is dropped the
//! ordinary way (sound either way: freeing an arena pointer is a no-op).

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Address space a thread's region may use.
const SLOT: usize = 1 << 30;
/// Threads that get a region (the others parse into `A`): a slot is a thread's for the process's life, and a run
/// has one worker thread a core.
const SLOTS: usize = 64;
/// Bytes of a region kept resident across files; the rest is handed back to the system after a larger file.
const KEEP: usize = 1 << 20;
/// Requests of this size or more in arena mode go to `A`, noted.
const LARGE: usize = 16 << 10;
/// Large blocks noted at once on a thread; one more spills.
const LARGE_SLOTS: usize = 64;
/// Largest alignment served from the region.
const MAX_ALIGN: usize = 4096;

/// Start of the reserved range; before it is reserved, an address no user-space pointer has.
static BASE: AtomicUsize = AtomicUsize::new(usize::MAX - SLOT * SLOTS);
static ENABLED: AtomicBool = AtomicBool::new(false);
static POISON: AtomicBool = AtomicBool::new(false);
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);
/// The allocator that enabled the arena: noted blocks left at a scope's end are given back through it.
static GIVE_BACK: OnceLock<&'static (dyn Release + Sync)> = OnceLock::new();

struct State {
    /// The region: [start, end); 0 when the thread has none (yet, or retired).
    start: Cell<usize>,
    end: Cell<usize>,
    /// Next free byte.
    top: Cell<usize>,
    /// Highest `top` since the last trim (the pages touched).
    high: Cell<usize>,
    /// Allocating from the region now.
    on: Cell<bool>,
    /// Nested scopes.
    depth: Cell<u32>,
    /// A request in arena mode went to `A` un-noted since the last `parsing` began.
    spilled: Cell<bool>,
    /// Requests served from the region (or noted) since the last `parsing` began.
    served: Cell<usize>,
    /// The thread had a region and gave it up (a panic): it never gets another.
    retired: Cell<bool>,
    /// The large blocks taken from `A` in arena mode and not freed yet: (address, size, alignment); address 0 is a
    /// free slot. A fixed array: the allocator cannot allocate its own bookkeeping.
    large: [Cell<(usize, usize, usize)>; LARGE_SLOTS],
    /// Slots of `large` in use. Every noted block is at least `LARGE` bytes: a free of a smaller block is not looked
    /// up.
    large_count: Cell<usize>,
}

thread_local! {
    static STATE: State = const {
        State {
            start: Cell::new(0),
            end: Cell::new(0),
            top: Cell::new(0),
            high: Cell::new(0),
            on: Cell::new(false),
            depth: Cell::new(0),
            spilled: Cell::new(false),
            served: Cell::new(0),
            retired: Cell::new(false),
            large: [const { Cell::new((0, 0, 0)) }; LARGE_SLOTS],
            large_count: Cell::new(0),
        }
    };
}

impl State {
    /// Notes a large block taken from `A` (a slot is free: `route` checked).
    fn note(&self, ptr: usize, size: usize, align: usize) {
        if let Some(slot) = self.large.iter().find(|c| c.get().0 == 0) {
            slot.set((ptr, size, align));
            self.large_count.set(self.large_count.get() + 1);
        }
    }

    /// The slot noting the block at `ptr`, if it is noted.
    fn noted(&self, ptr: usize) -> Option<&Cell<(usize, usize, usize)>> {
        if self.large_count.get() == 0 {
            return None;
        }
        self.large.iter().find(|c| c.get().0 == ptr)
    }

    fn unnote(&self, slot: &Cell<(usize, usize, usize)>) {
        slot.set((0, 0, 0));
        self.large_count.set(self.large_count.get() - 1);
    }
}

/// Where a request goes.
enum Route {
    /// This block of the region.
    Region(*mut u8),
    /// To `A`, then noted.
    Noted,
    /// To `A`.
    Inner,
}

/// Whether `ptr` lies in any thread's region.
#[inline]
fn in_arena(ptr: *mut u8) -> bool {
    (ptr as usize).wrapping_sub(BASE.load(Ordering::Relaxed)) < SLOT * SLOTS
}

/// How an allocator gives back a block it handed out (what a scope's end needs of the `Arena` that was enabled).
pub trait Release {
    /// # Safety
    /// `ptr` was handed out by this allocator with `layout` and is not used again.
    unsafe fn release(&self, ptr: *mut u8, layout: Layout);
}

impl<A: GlobalAlloc> Release for Arena<A> {
    unsafe fn release(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { self.dealloc(ptr, layout) }
    }
}

impl<A: GlobalAlloc + Sync> Arena<A> {
    /// Turns the arena on for this process: called once by the binary whose global allocator is `self`, before any
    /// thread starts (a second call does nothing). Without it (tests, the `pyfix_sysalloc` build, `PYFIX_NO_ARENA=1`,
    /// the language server) scopes and trees do nothing.
    pub fn enable(&'static self) {
        if std::env::var_os("PYFIX_NO_ARENA").is_some() || GIVE_BACK.set(self).is_err() {
            return;
        }
        let Some(base) = reserve(SLOT * SLOTS) else { return };
        POISON.store(std::env::var_os("PYFIX_ARENA_POISON").is_some(), Ordering::Relaxed);
        BASE.store(base, Ordering::Relaxed);
        ENABLED.store(true, Ordering::Release);
    }
}

/// `len` bytes of address space, readable and writable, memory only where touched; `None` when refused.
#[cfg(unix)]
fn reserve(len: usize) -> Option<usize> {
    // SAFETY: an anonymous private mapping, no address hint; the result is checked.
    let base = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
            -1,
            0,
        )
    };
    (base != libc::MAP_FAILED).then_some(base as usize)
}

#[cfg(not(unix))]
fn reserve(_len: usize) -> Option<usize> {
    None
}

/// Hands `[start, start + len)` of a region back to the system (it reads as zero when touched again).
#[cfg(unix)]
fn trim(start: usize, len: usize) {
    // SAFETY: a range of this thread's region with nothing alive in it (the caller's scope has ended).
    unsafe { libc::madvise(start as *mut libc::c_void, len, libc::MADV_DONTNEED) };
}

#[cfg(not(unix))]
fn trim(_start: usize, _len: usize) {}

/// While alive, this thread's arena allocations stay valid; the outermost scope's end resets the region.
pub struct Scope(());

pub fn scope() -> Scope {
    STATE.with(|s| {
        s.depth.set(s.depth.get() + 1);
        if s.start.get() == 0 && !s.retired.get() && ENABLED.load(Ordering::Acquire) {
            let slot = NEXT_SLOT.fetch_add(1, Ordering::Relaxed);
            if slot < SLOTS {
                let start = BASE.load(Ordering::Relaxed) + slot * SLOT;
                s.start.set(start);
                s.top.set(start);
                s.high.set(start);
                s.end.set(start + SLOT);
            }
        }
    });
    Scope(())
}

impl Drop for Scope {
    fn drop(&mut self) {
        STATE.with(|s| {
            s.on.set(false);
            s.depth.set(s.depth.get() - 1);
            if s.depth.get() > 0 || s.start.get() == 0 {
                return;
            }
            if std::thread::panicking() {
                // What the region holds may outlive the scope (a panic payload): never touch it again (nor the
                // noted blocks: they are let go).
                s.start.set(0);
                s.end.set(0);
                s.top.set(0);
                s.retired.set(true);
                return;
            }
            // The noted blocks still here belong to a forgotten tree.
            if let (true, Some(give_back)) = (s.large_count.get() > 0, GIVE_BACK.get()) {
                for slot in &s.large {
                    let (ptr, size, align) = slot.get();
                    if ptr != 0 {
                        // SAFETY: noted with this layout when `A` handed it out (through the enabled `Arena`), not
                        // freed since (a free takes it off), dead now (the scope has ended).
                        unsafe { give_back.release(ptr as *mut u8, Layout::from_size_align_unchecked(size, align)) };
                    }
                }
            }
            let start = s.start.get();
            let high = s.high.get().max(s.top.get());
            if POISON.load(Ordering::Relaxed) {
                // SAFETY: [start, high) is this thread's region, nothing in it is alive (the scope has ended).
                unsafe { std::ptr::write_bytes(start as *mut u8, 0xA5, high - start) };
            }
            if high - start > KEEP {
                trim(start + KEEP, high - start - KEEP);
                s.high.set(start + KEEP);
            } else {
                s.high.set(high);
            }
            s.top.set(start);
        });
    }
}

/// Runs `f` (one `parse_module`, or work on the tree it made that allocates parts of that tree) in arena mode,
/// inside a [`Scope`] that must outlive what it allocates.
pub fn parsing<R>(_scope: &Scope, f: impl FnOnce() -> R) -> R {
    struct Off;
    impl Drop for Off {
        fn drop(&mut self) {
            STATE.with(|s| s.on.set(false));
        }
    }
    STATE.with(|s| s.on.set(s.start.get() != 0));
    let _off = Off;
    f()
}

/// Whether what the arena mode of this scope made so far can be forgotten (nothing of it spilled to `A`): asked
/// after the last [`parsing`] of the tree.
fn all_in_arena() -> bool {
    STATE.with(|s| s.start.get() != 0 && !s.spilled.get() && s.served.get() > 0)
}

/// A value made by [`parsing`]: forgotten, not dropped, when all of it is in the region or noted (freeing it would
/// walk it only to do nothing), dropped the ordinary way when any part of it came from the global allocator.
pub struct Tree<T> {
    value: ManuallyDrop<T>,
    forget: bool,
    /// Neither `Send` nor `Sync`: the tree stays on the thread that parsed it (see the module's comment).
    _here: std::marker::PhantomData<*const ()>,
}

impl<T> Tree<T> {
    /// `value` must be what the [`parsing`] calls of this thread's outermost scope returned (or part of it), and
    /// nothing of it may have been allocated outside them.
    pub fn new(value: T) -> Self {
        Tree { value: ManuallyDrop::new(value), forget: all_in_arena(), _here: std::marker::PhantomData }
    }
}

impl<T> std::ops::Deref for Tree<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> Drop for Tree<T> {
    fn drop(&mut self) {
        if !self.forget {
            // SAFETY: dropped once, here; never used again.
            unsafe { ManuallyDrop::drop(&mut self.value) };
        }
    }
}

/// Starts a new tree in this thread's scope: what was spilled or served before does not count. Called by the engine
/// before its `parse_module`.
pub fn begin_tree() {
    STATE.with(|s| {
        s.spilled.set(false);
        s.served.set(0);
    });
}

/// The global allocator: `A`, with this thread's region in arena mode.
pub struct Arena<A>(pub A);

impl<A> Arena<A> {
    /// Where a request goes: a block of the region, `A` (noted), or `A`.
    #[inline]
    fn route(layout: Layout) -> Route {
        STATE
            .try_with(|s| {
                if !s.on.get() {
                    return Route::Inner;
                }
                let (size, align) = (layout.size(), layout.align());
                if size >= LARGE && align <= MAX_ALIGN && s.large_count.get() < LARGE_SLOTS {
                    s.served.set(s.served.get() + 1);
                    return Route::Noted;
                }
                if size == 0 || align > MAX_ALIGN || size >= LARGE {
                    s.spilled.set(true);
                    return Route::Inner;
                }
                let at = (s.top.get() + align - 1) & !(align - 1);
                if at + size > s.end.get() {
                    s.spilled.set(true);
                    return Route::Inner;
                }
                s.top.set(at + size);
                if at + size > s.high.get() {
                    s.high.set(at + size);
                }
                s.served.set(s.served.get() + 1);
                Route::Region(at as *mut u8)
            })
            .unwrap_or(Route::Inner)
    }

    /// Notes `ptr` (just handed out by `A` for `layout`) as a large block of this thread, unless it is null.
    fn note(ptr: *mut u8, layout: Layout) {
        if !ptr.is_null() {
            let _ = STATE.try_with(|s| s.note(ptr as usize, layout.size(), layout.align()));
        }
    }
}

// SAFETY: every block handed out is either `A`'s (and given back to `A` only, once: a noted block is taken off when
// freed, and the rest given back when the scope ends) or a fresh, aligned, unshared range of the region that is not
// handed out again before the thread's outermost scope ends (see the module's comment).
unsafe impl<A: GlobalAlloc> GlobalAlloc for Arena<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match Self::route(layout) {
            Route::Region(p) => p,
            Route::Noted => {
                // SAFETY: the caller's contract, passed on.
                let p = unsafe { self.0.alloc(layout) };
                Self::note(p, layout);
                p
            }
            // SAFETY: the caller's contract, passed on.
            Route::Inner => unsafe { self.0.alloc(layout) },
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match Self::route(layout) {
            Route::Region(p) => {
                // SAFETY: `p` is `layout.size()` fresh bytes; a reused region is not zero.
                unsafe { std::ptr::write_bytes(p, 0, layout.size()) };
                p
            }
            Route::Noted => {
                // SAFETY: the caller's contract, passed on.
                let p = unsafe { self.0.alloc_zeroed(layout) };
                Self::note(p, layout);
                p
            }
            // SAFETY: the caller's contract, passed on.
            Route::Inner => unsafe { self.0.alloc_zeroed(layout) },
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if !in_arena(ptr) {
            if layout.size() >= LARGE {
                let _ = STATE.try_with(|s| {
                    if let Some(slot) = s.noted(ptr as usize) {
                        s.unnote(slot);
                    }
                });
            }
            // SAFETY: not the region's, so `A`'s.
            return unsafe { self.0.dealloc(ptr, layout) };
        }
        // The last block of this thread's region (the parser's temporaries, most of them): its bytes serve again.
        let _ = STATE.try_with(|s| {
            if ptr as usize + layout.size() == s.top.get() && ptr as usize >= s.start.get() {
                s.top.set(ptr as usize);
            }
        });
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !in_arena(ptr) {
            let noted = layout.size() >= LARGE && STATE.try_with(|s| s.noted(ptr as usize).is_some()).unwrap_or(false);
            if !noted || new_size < LARGE {
                if noted {
                    // Noted blocks stay large: this one is moved (into the region in arena mode), its note taken off.
                    // SAFETY: `new_size` is non-zero and, rounded to `layout.align()`, does not overflow (the
                    // caller's contract).
                    let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
                    // SAFETY: as above.
                    let new = unsafe { self.alloc(new_layout) };
                    if !new.is_null() {
                        // SAFETY: both blocks are at least `new_size` long and distinct; the old one is the caller's
                        // to give up.
                        unsafe {
                            std::ptr::copy_nonoverlapping(ptr, new, new_size);
                            self.dealloc(ptr, layout);
                        }
                    }
                    return new;
                }
                // SAFETY: `A`'s block, the caller's contract passed on.
                return unsafe { self.0.realloc(ptr, layout, new_size) };
            }
            // SAFETY: `A`'s block, the caller's contract passed on.
            let new = unsafe { self.0.realloc(ptr, layout, new_size) };
            if !new.is_null() {
                // A noted block moves (or changes size) with its note.
                let _ = STATE.try_with(|s| {
                    if let Some(slot) = s.noted(ptr as usize) {
                        slot.set((new as usize, new_size, layout.align()));
                    }
                });
            }
            return new;
        }
        if new_size <= layout.size() {
            return ptr;
        }
        // The last block of this thread's region, in arena mode: grow it in place (while it stays small).
        let grown = STATE
            .try_with(|s| {
                let end = ptr as usize + layout.size();
                if s.on.get()
                    && ptr as usize >= s.start.get()
                    && end == s.top.get()
                    && new_size < LARGE
                    && ptr as usize + new_size <= s.end.get()
                {
                    s.top.set(ptr as usize + new_size);
                    s.high.set(s.high.get().max(ptr as usize + new_size));
                    true
                } else {
                    false
                }
            })
            .unwrap_or(false);
        if grown {
            return ptr;
        }
        // SAFETY: `new_size` is non-zero and, rounded to `layout.align()`, does not overflow (the caller's contract).
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: as above.
        let new = unsafe { self.alloc(new_layout) };
        if !new.is_null() {
            // SAFETY: both blocks are at least `layout.size()` long and distinct.
            unsafe { std::ptr::copy_nonoverlapping(ptr, new, layout.size()) };
            // SAFETY: the old block is the caller's to give up; freeing a region block only rewinds `top` (when it
            // is the last one).
            unsafe { self.dealloc(ptr, layout) };
        }
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::System;

    /// `System`, counting the blocks it has out.
    struct Counting(AtomicUsize);

    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            self.0.fetch_add(1, Ordering::Relaxed);
            // SAFETY: the caller's contract, passed on.
            unsafe { System.alloc(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            self.0.fetch_sub(1, Ordering::Relaxed);
            // SAFETY: the caller's contract, passed on.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    static ARENA: Arena<Counting> = Arena(Counting(AtomicUsize::new(0)));

    fn out() -> usize {
        ARENA.0 .0.load(Ordering::Relaxed)
    }

    #[test]
    fn a_tree_is_dropped_when_the_arena_did_not_make_it() {
        // Without `enable` (the tests' own allocator is not an `Arena`), nothing is forgotten.
        let scope = scope();
        begin_tree();
        let v = parsing(&scope, || vec![1u8; 64]);
        let tree = Tree::new(v);
        assert!(!tree.forget);
        assert_eq!(tree.len(), 64);
    }

    // Enables the arena for this test's process (nextest runs each test in its own; under `cargo test` the other
    // tests' threads never enter arena mode through `ARENA`, and their trees are not forgotten: nothing was served).
    #[test]
    fn small_blocks_come_from_the_region_large_ones_are_given_back_when_the_scope_ends() {
        ARENA.enable();
        if !ENABLED.load(Ordering::Acquire) {
            return; // PYFIX_NO_ARENA, or no address space to reserve: nothing to test.
        }
        let small = Layout::from_size_align(48, 8).unwrap();
        let large = Layout::from_size_align(LARGE * 2, 8).unwrap();
        let before = out();
        {
            let scope = scope();
            begin_tree();
            let (a, b, kept, freed) = parsing(&scope, || unsafe {
                let a = ARENA.alloc(small);
                let b = ARENA.alloc(small);
                let kept = ARENA.alloc(large);
                let freed = ARENA.alloc(large);
                (a, b, kept, freed)
            });
            assert!(in_arena(a) && in_arena(b) && a != b);
            assert!(!in_arena(kept) && !in_arena(freed));
            assert_eq!(out(), before + 2, "the large blocks come from the inner allocator");
            // Freed outside arena mode: taken off the notes, given back at once.
            unsafe { ARENA.dealloc(freed, large) };
            assert_eq!(out(), before + 1);
            // A noted block that moves keeps its note.
            let moved = unsafe { ARENA.realloc(kept, large, LARGE * 8) };
            assert!(!moved.is_null());
            assert_eq!(out(), before + 1);
            assert!(all_in_arena(), "nothing spilled: the tree may be forgotten");
            // The region's blocks are usable.
            unsafe { std::ptr::write_bytes(a, 7, small.size()) };
        }
        // The scope's end gave back the block still noted (a forgotten tree's), once.
        assert_eq!(out(), before);
        // The region starts over: the next scope's first block is where the last one's was.
        let scope = scope();
        begin_tree();
        let again = parsing(&scope, || unsafe { ARENA.alloc(Layout::from_size_align(48, 8).unwrap()) });
        assert!(in_arena(again));
        STATE.with(|s| assert_eq!(again as usize, s.start.get()));
    }

    #[test]
    fn a_request_the_region_does_not_serve_spills_and_the_tree_is_dropped() {
        ARENA.enable();
        if !ENABLED.load(Ordering::Acquire) {
            return;
        }
        let scope = scope();
        begin_tree();
        let p = parsing(&scope, || unsafe { ARENA.alloc(Layout::from_size_align(64, 2 * MAX_ALIGN).unwrap()) });
        assert!(!in_arena(p));
        assert!(!all_in_arena());
        unsafe { ARENA.dealloc(p, Layout::from_size_align(64, 2 * MAX_ALIGN).unwrap()) };
        // Outside arena mode, requests go to the inner allocator.
        let q = unsafe { ARENA.alloc(Layout::from_size_align(48, 8).unwrap()) };
        assert!(!in_arena(q));
        unsafe { ARENA.dealloc(q, Layout::from_size_align(48, 8).unwrap()) };
    }
}
