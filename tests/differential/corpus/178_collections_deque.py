from collections import deque
d = deque([1, 2, 3], maxlen=5)
d.append(4); d.appendleft(0); d.append(5)
print(d, d.maxlen)
d.rotate(2)
print(d)
print(d.popleft(), d.pop(), list(d))
window = deque(maxlen=3)
for x in range(1, 8):
    window.append(x)
    print(x, sum(window) / len(window))
def sliding_max(nums, k):
    q, out = deque(), []
    for i, n in enumerate(nums):
        while q and nums[q[-1]] <= n:
            q.pop()
        q.append(i)
        if q[0] <= i - k:
            q.popleft()
        if i >= k - 1:
            out.append(nums[q[0]])
    return out
print(sliding_max([1, 3, -1, -3, 5, 3, 6, 7], 3))
