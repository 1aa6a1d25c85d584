# pyfix-fixture: target-version=3.10
# `T | None` from 3.10 on; quoted because `Book` is defined after `Page`, where the property's annotation runs.
class Page:
    def __init__(self, book) -> None:
        self.book: Book = book


class Book:
    def __init__(self) -> None:
        self.pages = [Page(self)]
