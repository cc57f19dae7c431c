from dataclasses import dataclass, FrozenInstanceError
@dataclass(order=True, frozen=True)
class Card:
    rank: int
    suit: str
cards = [Card(10, "h"), Card(2, "s"), Card(10, "c"), Card(14, "d")]
print(sorted(cards))
print(max(cards), Card(2, "s") < Card(3, "a"))
try:
    cards[0].rank = 5
except FrozenInstanceError as e:
    print("FrozenInstanceError:", e)
print(len({Card(1, "a"), Card(1, "a")}))
