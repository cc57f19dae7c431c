import copy
orig = {"a": [1, 2], "b": {"c": [3]}}
shallow = copy.copy(orig)
deep = copy.deepcopy(orig)
orig["a"].append(99)
orig["b"]["c"].append(100)
print(orig)
print(shallow)
print(deep)
class Node:
    def __init__(self, v):
        self.v, self.children = v, []
    def __repr__(self):
        return f"Node({self.v}, {self.children})"
root = Node(1); root.children.append(Node(2)); root.children[0].children.append(root.children[0])
c = copy.deepcopy(root)
print(c.v, c.children[0].v, c.children[0].children[0] is c.children[0])
