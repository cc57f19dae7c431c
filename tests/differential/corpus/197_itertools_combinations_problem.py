from itertools import combinations
coins = [1, 2, 5, 10, 20, 50]
target = 31
hits = [c for r in range(1, len(coins) + 1) for c in combinations(coins, r) if sum(c) == target]
print(hits)
def coin_change(amount, coins):
    ways = [1] + [0] * amount
    for c in coins:
        for a in range(c, amount + 1):
            ways[a] += ways[a - c]
    return ways[amount]
print(coin_change(100, coins))
def min_coins(amount, coins):
    best = [0] + [float("inf")] * amount
    for a in range(1, amount + 1):
        best[a] = min((best[a - c] + 1 for c in coins if c <= a), default=float("inf"))
    return best[amount]
print(min_coins(63, coins))
