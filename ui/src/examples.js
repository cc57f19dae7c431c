// The example snippets offered in the page's "Examples" menu.

export const EXAMPLES = [
  {
    name: "Hello, world",
    code: 'print("Hello, world!")\n',
  },
  {
    name: "Read stdin",
    code: `import sys

numbers = [int(line) for line in sys.stdin if line.strip()]
print(f"{len(numbers)} numbers, sum {sum(numbers)}, max {max(numbers)}")
`,
    stdin: "3\n14\n15\n92\n",
  },
  {
    name: "Functions and loops",
    code: `def fizzbuzz(n):
    if n % 15 == 0:
        return "FizzBuzz"
    if n % 3 == 0:
        return "Fizz"
    if n % 5 == 0:
        return "Buzz"
    return str(n)


for i in range(1, 16):
    print(fizzbuzz(i))
`,
  },
  {
    name: "Classes",
    code: `from dataclasses import dataclass


@dataclass
class Point:
    x: float
    y: float

    def norm(self) -> float:
        return (self.x ** 2 + self.y ** 2) ** 0.5


points = [Point(3, 4), Point(1, 1), Point(0, 2)]
for p in sorted(points, key=Point.norm):
    print(p, round(p.norm(), 3))
`,
  },
  {
    name: "An exception (traceback)",
    code: `def average(values):
    return sum(values) / len(values)


print(average([1, 2, 3]))
print(average([]))
`,
  },
  {
    name: "Runs too long (time limit)",
    code: `n = 0
while True:
    n += 1
`,
  },
  {
    name: "Too much memory (memory limit)",
    code: `blocks = []
while True:
    blocks.append(bytearray(16 * 1024 * 1024))
`,
  },
  {
    name: "Too much output (output limit)",
    code: `i = 0
while True:
    print(i, "spam " * 20)
    i += 1
`,
  },
];
