from collections import defaultdict
graph = defaultdict(list)
edges = [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e")]
for u, v in edges:
    graph[u].append(v)
    graph[v].append(u)
for node in sorted(graph):
    print(node, sorted(graph[node]))
counts = defaultdict(int)
for ch in "mississippi":
    counts[ch] += 1
print(dict(sorted(counts.items())))
nested = defaultdict(lambda: defaultdict(int))
nested["x"]["y"] += 2
print({k: dict(v) for k, v in nested.items()})
def bfs(start):
    from collections import deque
    seen, order, q = {start}, [], deque([start])
    while q:
        n = q.popleft()
        order.append(n)
        for m in sorted(graph[n]):
            if m not in seen:
                seen.add(m)
                q.append(m)
    return order
print(bfs("a"))
