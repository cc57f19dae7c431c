import re
text = "Contact: alice@example.com, bob.smith@test.org; phone 555-1234 or 555-9876."
print(re.findall(r"[\w.]+@[\w.]+\w", text))
print(re.findall(r"\d{3}-\d{4}", text))
print(re.sub(r"\d", "#", text))
print(re.sub(r"(\w+)@(\w+)", r"\2 at \1", "user@host"))
print(re.split(r"[,;]\s*", "a, b;c,  d"))
print(bool(re.match(r"^\d+$", "12345")), re.search(r"o", "hello world").span())
print(re.sub(r"\s+", " ", "  too   many    spaces ").strip())
pattern = re.compile(r"\b(\w)(\w*)\b")
print(pattern.sub(lambda m: m.group(1).upper() + m.group(2), "title case this text"))
print(re.fullmatch(r"[A-Z]{2}\d{2}", "AB12") is not None, re.escape("a.b*c"))
