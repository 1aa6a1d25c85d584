# pyfix-fixture: target-version=3.8
# An `Any` annotation already admits `None`: the property returns `Any`, not `Optional[Any]`.
from typing import Any, List


class Page:
    def __init__(self, book: "Book") -> None:
        self.book: Any = book


class Book:
    def __init__(self) -> None:
        self.pages: List[Page] = []

    def new_page(self) -> Page:
        page = Page(self)
        self.pages.append(page)
        return page
