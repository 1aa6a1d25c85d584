# pyfix-fixture: target-version=3.8
# With `from __future__ import annotations` nothing is evaluated: `Book | None`, unquoted, even before 3.10.
from __future__ import annotations

from typing import List


class Page:
    def __init__(self, book: "Book") -> None:
        self.book: Book = book


class Book:
    def __init__(self) -> None:
        self.pages: List[Page] = []

    def new_page(self) -> Page:
        page = Page(self)
        self.pages.append(page)
        return page
