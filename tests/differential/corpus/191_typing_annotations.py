from typing import List, Dict, Optional, Union, Callable, TypeVar, Generic, get_type_hints
T = TypeVar("T")
class Stack(Generic[T]):
    def __init__(self) -> None:
        self.items: List[T] = []
    def push(self, item: T) -> None:
        self.items.append(item)
    def pop(self) -> T:
        return self.items.pop()
def apply(f: Callable[[int], int], xs: List[int]) -> Dict[int, int]:
    return {x: f(x) for x in xs}
def find(name: str, default: Optional[int] = None) -> Union[int, str]:
    return default if default is not None else name
s: Stack[int] = Stack()
s.push(1); s.push(2)
print(s.pop(), apply(lambda x: x * x, [1, 2, 3]), find("x"), find("x", 3))
print(get_type_hints(find))
print(apply.__annotations__)
print(Stack[int], List[int], Optional[str], int | None)
