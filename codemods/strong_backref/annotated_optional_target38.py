# pyfix-fixture: target-version=3.8
# The attribute's annotation moves to the property's return type, as `Optional[...]` before Python 3.10.
from typing import List


class Page:
    def __init__(self, book: "Book") -> None:
        self.book: "Book" = book


class Book:
    def __init__(self) -> None:
        self.pages: List[Page] = []

    def new_page(self) -> Page:
        page = Page(self)
        self.pages.append(page)
        return page
