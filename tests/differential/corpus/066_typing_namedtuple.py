from typing import NamedTuple, Optional
class Book(NamedTuple):
    title: str
    year: int
    isbn: Optional[str] = None
    def age(self, now: int) -> int:
        return now - self.year
b = Book("Dune", 1965)
print(b, b.age(2020), b._fields, Book.__annotations__)
