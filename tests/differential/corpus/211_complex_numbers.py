import cmath
z = 3 + 4j
print(z, abs(z), z.real, z.imag, z.conjugate(), z * 1j, z ** 2)
print(cmath.sqrt(-1), cmath.phase(1j), cmath.polar(z))
print(complex("1+2j"), complex(1, -1))
a, b, c = 1, 2, 5
d = cmath.sqrt(b * b - 4 * a * c)
print((-b + d) / (2 * a), (-b - d) / (2 * a))
