n = 0b101101
print(n, n.bit_length(), n.bit_count(), bin(n & -n), n >> 2, n << 3, ~n, n ^ 0xFF)
def is_power_of_two(x):
    return x > 0 and x & (x - 1) == 0
print([x for x in range(70) if is_power_of_two(x)])
def count_bits(x):
    c = 0
    while x:
        x &= x - 1
        c += 1
    return c
print([count_bits(i) for i in range(16)])
print((255).to_bytes(2, "big"), int.from_bytes(b"\x01\x00", "little"))
