import io, re, sys, unittest
class Stack:
    def __init__(self):
        self.items = []
    def push(self, x):
        self.items.append(x)
    def pop(self):
        return self.items.pop()
class StackTests(unittest.TestCase):
    def setUp(self):
        self.s = Stack()
    def test_push_pop(self):
        self.s.push(1)
        self.assertEqual(self.s.pop(), 1)
    def test_pop_empty(self):
        with self.assertRaises(IndexError):
            self.s.pop()
    def test_len(self):
        self.s.push(1)
        self.assertEqual(len(self.s.items), 2, "length mismatch")
stream = io.StringIO()
runner = unittest.TextTestRunner(stream=stream, verbosity=2)
result = runner.run(unittest.defaultTestLoader.loadTestsFromTestCase(StackTests))
print(re.sub(r"Ran (\d+) tests? in [\d.]+s", r"Ran \1 tests", stream.getvalue()))
sys.exit(0 if result.wasSuccessful() else 1)
