# re-exports the tree of pkg/tree.py
from .tree import Tree
