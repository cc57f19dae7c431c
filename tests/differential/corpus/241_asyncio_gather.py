import asyncio
async def fetch(i):
    await asyncio.sleep(0.01 * (5 - i))
    return i * i
async def main():
    results = await asyncio.gather(*(fetch(i) for i in range(5)))
    print(results)
    async def fail():
        await asyncio.sleep(0.01)
        raise ValueError("fetch failed")
    r = await asyncio.gather(fetch(1), fail(), return_exceptions=True)
    print([type(x).__name__ for x in r], r[0])
asyncio.run(main())
