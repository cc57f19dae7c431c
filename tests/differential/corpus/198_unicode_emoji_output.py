print("Hello 🌍! Python 🐍 is fun 🎉")
print("日本語: こんにちは世界")
print("Arabic: مرحبا بالعالم")
print("Math: ∑ ∫ √ ∞ ≠ ≤ ≥ π")
print("Box: ┌──┐\n     └──┘")
for ch in "aé€😀":
    print(ch, hex(ord(ch)), len(ch.encode()), ch.encode("utf-8"))
print("🇫🇷", len("🇫🇷"), "👨‍👩‍👧", len("👨‍👩‍👧"))
print("\N{GREEK SMALL LETTER ALPHA}\N{SNOWMAN}", "\u00e9", "\U0001F600")
