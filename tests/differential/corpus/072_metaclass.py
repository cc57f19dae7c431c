class Registry(type):
    classes = []
    def __new__(mcls, name, bases, ns):
        cls = super().__new__(mcls, name, bases, ns)
        mcls.classes.append(name)
        return cls
class Plugin(metaclass=Registry):
    pass
class Alpha(Plugin):
    pass
class Beta(Plugin):
    pass
print(Registry.classes, type(Alpha).__name__)
class Singleton(type):
    _inst = {}
    def __call__(cls, *a, **k):
        if cls not in cls._inst:
            cls._inst[cls] = super().__call__(*a, **k)
        return cls._inst[cls]
class Config(metaclass=Singleton):
    def __init__(self):
        self.values = {}
Config().values["k"] = 1
print(Config().values, Config() is Config())
class Auto:
    def __init_subclass__(cls, tag="none", **kw):
        super().__init_subclass__(**kw)
        cls.tag = tag
class T1(Auto, tag="one"):
    pass
print(T1.tag)
