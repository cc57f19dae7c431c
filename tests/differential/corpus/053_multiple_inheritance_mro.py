class A:
    def who(self):
        return "A"
class B(A):
    def who(self):
        return "B>" + super().who()
class C(A):
    def who(self):
        return "C>" + super().who()
class D(B, C):
    def who(self):
        return "D>" + super().who()
print(D().who())
print([k.__name__ for k in D.mro()])
class LoggerMixin:
    def log(self, msg):
        return f"[{type(self).__name__}] {msg}"
class Service(LoggerMixin, A):
    pass
print(Service().log("started"), Service().who())
try:
    class X(A, B):
        pass
except TypeError as e:
    print("TypeError:", e)
