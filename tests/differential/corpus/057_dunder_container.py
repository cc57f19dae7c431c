class Deck:
    ranks = [str(n) for n in range(2, 11)] + list("JQKA")
    suits = ["spades", "hearts"]
    def __init__(self):
        self.cards = [(r, s) for s in self.suits for r in self.ranks]
    def __len__(self):
        return len(self.cards)
    def __getitem__(self, i):
        return self.cards[i]
    def __contains__(self, card):
        return card in self.cards
deck = Deck()
print(len(deck), deck[0], deck[-1], deck[3:6])
print(("Q", "hearts") in deck, ("Q", "clubs") in deck)
print([c for c in deck][:3], list(reversed(deck))[:2])
class Registry(dict):
    def __missing__(self, key):
        return f"<no {key}>"
r = Registry(a=1)
print(r["a"], r["b"])
