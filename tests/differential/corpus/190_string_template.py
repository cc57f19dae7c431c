import string
t = string.Template("Dear $name, you owe $$${amount}.")
print(t.substitute(name="Ann", amount="12.50"))
print(t.safe_substitute(name="Bob"))
try:
    t.substitute(name="Cy")
except KeyError as e:
    print("KeyError", e)
print(string.ascii_lowercase, string.digits, string.punctuation)
print(string.capwords("hello   big world"))
fmt = string.Formatter()
print(list(fmt.parse("a {x} b {y!r:>5}")))
