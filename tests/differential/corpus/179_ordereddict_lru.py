from collections import OrderedDict
class LRU:
    def __init__(self, cap):
        self.cap, self.d = cap, OrderedDict()
    def get(self, k):
        if k not in self.d:
            return -1
        self.d.move_to_end(k)
        return self.d[k]
    def put(self, k, v):
        self.d[k] = v
        self.d.move_to_end(k)
        if len(self.d) > self.cap:
            print("evict", self.d.popitem(last=False))
c = LRU(2)
c.put(1, "one"); c.put(2, "two"); print(c.get(1)); c.put(3, "three"); print(c.get(2)); c.put(4, "four")
print(list(c.d.items()))
