import unittest, sys
class T(unittest.TestCase):
    def test_even(self):
        for n in [2, 4, 5, 8]:
            with self.subTest(n=n):
                self.assertEqual(n % 2, 0)
result = unittest.TestResult()
unittest.defaultTestLoader.loadTestsFromTestCase(T).run(result)
print(result.testsRun, len(result.failures))
print(result.failures[0][0])
if not result.wasSuccessful():
    print("tests failed", file=sys.stderr)
    sys.exit(1)
