import unicodedata
a = "caf\u00e9"
b = "cafe\u0301"
print(a == b, len(a), len(b))
print(unicodedata.normalize("NFC", b) == a, len(unicodedata.normalize("NFD", a)))
for ch in "Aé1 ©😀":
    print(repr(ch), unicodedata.name(ch, "?"), unicodedata.category(ch))
print("".join(c for c in unicodedata.normalize("NFKD", "Crème Brûlée") if not unicodedata.combining(c)))
print("ﬁ".upper(), "İ".lower(), len("İ".lower()), "Σ".lower(), "ΌΣΟΣ".lower())
