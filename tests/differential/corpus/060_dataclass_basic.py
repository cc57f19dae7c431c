from dataclasses import dataclass, asdict, astuple, replace
@dataclass
class Item:
    name: str
    price: float
    qty: int = 1
    def total(self):
        return self.price * self.qty
items = [Item("pen", 1.5, 4), Item("book", 12.0), Item("bag", 30.25, 2)]
for it in items:
    print(it, it.total())
print(Item("pen", 1.5, 4) == items[0], asdict(items[1]), astuple(items[2]))
print(replace(items[0], qty=10))
print(sum(i.total() for i in items))
