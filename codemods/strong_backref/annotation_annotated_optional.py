# pyfix-fixture: target-version=3.8
# `Annotated[Optional[T], ...]` admits `None` as its `T` does: the property keeps it as written.
from typing import Annotated, List, Optional


class Page:
    def __init__(self, book: "Book") -> None:
        self.book: Annotated[Optional["Book"], "owner"] = book


class Book:
    def __init__(self) -> None:
        self.pages: List[Page] = []

    def new_page(self) -> Page:
        page = Page(self)
        self.pages.append(page)
        return page
