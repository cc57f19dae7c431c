nums = [5, 3, 8, 1]
nums.append(9)
nums.extend([2, 7])
nums.insert(0, 10)
print(nums, len(nums))
print(nums.pop(), nums.pop(0), nums)
nums.remove(8)
print(nums, nums.index(1), nums.count(3))
nums.sort()
print(nums, sorted(nums, reverse=True))
nums.reverse()
print(nums, nums[1:3], nums * 2, nums + [0])
print(3 in nums, 42 not in nums, min(nums), max(nums), sum(nums))
matrix = [[0] * 3 for _ in range(3)]
matrix[1][1] = 5
print(matrix)
a = [1, 2, 3]
b = a
c = a[:]
b.append(4)
print(a, c, a is b, a == c)
del a[0]
print(a)
try:
    [].pop()
except IndexError as e:
    print("IndexError:", e)
