for n in [0, 5, 255, 1024, -42]:
    print(n, bin(n), oct(n), hex(n))
print(int("ff", 16), int("0b1011", 0), int("777", 8), int("z", 36))
def to_base(n, b):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if n == 0:
        return "0"
    out = ""
    while n:
        n, r = divmod(n, b)
        out = digits[r] + out
    return out
print(to_base(2024, 2), to_base(2024, 7), to_base(2024, 36))
try:
    int("12a")
except ValueError as e:
    print(e)
