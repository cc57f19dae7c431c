from fractions import Fraction as F
a, b = F(1, 3), F(2, 7)
print(a + b, a - b, a * b, a / b, a ** 2, -a)
print(F("0.125"), F(3.5), F(0.1).limit_denominator(100), F(10, 4))
print(sum(F(1, n) for n in range(1, 11)))
print(float(F(22, 7)), F(7, 3).numerator, F(7, 3).denominator, round(F(7, 3), 2))
print(sorted([F(1, 2), F(1, 3), F(2, 3)]), F(1, 2) == 0.5)
