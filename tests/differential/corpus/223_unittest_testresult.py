import unittest
def is_prime(n):
    return n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1))
class TestPrime(unittest.TestCase):
    def test_small(self):
        self.assertTrue(is_prime(2))
        self.assertFalse(is_prime(1))
    def test_composite(self):
        self.assertFalse(is_prime(91))
    def test_wrong_on_purpose(self):
        self.assertEqual(is_prime(9), True)
    def test_error(self):
        is_prime(None)
    @unittest.skip("not ready")
    def test_skipped(self):
        pass
suite = unittest.defaultTestLoader.loadTestsFromTestCase(TestPrime)
result = unittest.TestResult()
suite.run(result)
print("ran", result.testsRun)
print("failures", [t.id() for t, _ in result.failures])
print("errors", [t.id() for t, _ in result.errors])
print("skipped", [(t.id(), why) for t, why in result.skipped])
print("success", result.wasSuccessful())
print(result.failures[0][1].splitlines()[-1])
